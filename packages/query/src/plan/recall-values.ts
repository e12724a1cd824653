/**
 * The run values of a RECALL plan (docs/mql_reference.md §"Prepared statements"): the slots its
 * operators read and the binder that fills them for one run — the space the run resolved, the
 * pattern's vector or text, k, the pushed filter, ids, AS OF / KNOWN AS OF, THRESHOLD, LIMIT, the
 * post-scoring WHERE's right-hand sides and CONFIDENCE — evaluated in the order the clauses are
 * checked (so a run with several bad values reports the same error as before plans were reused).
 */
import type { DecayModel, SpaceConfig } from '@mnemo/engine';
import type { Recall } from '../ast/index.js';
import { bindRhs, type PreparedCondition } from '../analyze/condition.js';
import { evalCount, evalUnit } from '../analyze/ranges.js';
import { evalTime } from '../analyze/time.js';
import { evalNumber } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from '../ops/candidate.js';
import type { PushedFilter } from '../ops/row-filter.js';
import { Slot } from '../ops/run-value.js';
import { idsFromWhere } from './id-lookup.js';
import type { ResolvedPattern } from './pattern.js';
import { bindPushdown, type PreparedWhere } from './pushdown.js';

export const DEFAULT_PATTERN_LIMIT = 10;

export const SPACE = new Slot<SpaceConfig>(0);
export const SPACE_NAME = new Slot<string>(1);
export const MODEL = new Slot<DecayModel>(2);
export const VECTOR = new Slot<Float32Array>(3);
export const TEXT = new Slot<string | null>(4);
export const K = new Slot<number>(5);
export const FILTER = new Slot<PushedFilter | null>(6);
export const IDS = new Slot<readonly string[]>(7);
export const AT = new Slot<number>(8);
export const KNOWN_AS_OF = new Slot<number | null>(9);
export const THRESHOLD = new Slot<number>(10);
export const LIMIT = new Slot<number | null>(11);
export const POST = new Slot<readonly unknown[]>(12);
export const CONFIDENCE = new Slot<number>(13);

/** What the binder needs from the plan: the prepared WHERE parts. */
export interface RecallParts {
  readonly where: PreparedWhere;
  readonly post: PreparedCondition<Candidate> | null;
}

/**
 * This run's values, indexed by the slots above. The search fetches k = 2·LIMIT + 16 neighbours
 * (4·LIMIT + 16 when a post-filter remains); LIMIT defaults to 10 for patterns, all rows otherwise.
 */
export function bindRecall(ctx: ExecContext, s: Recall, space: SpaceConfig, pattern: ResolvedPattern, parts: RecallParts): unknown[] {
  const params = ctx.params;
  const asOf = s.asOf === null ? null : evalTime(s.asOf, params, ctx.now);
  const knownAsOf = s.knownAsOf === null ? null : evalTime(s.knownAsOf, params, ctx.now);
  const pushed = bindPushdown(parts.where, ctx, asOf, knownAsOf);
  const limitArg = evalCount(s.limit, params, 'LIMIT');
  const threshold = evalUnit(s.threshold, params, 'THRESHOLD');
  let vector: Float32Array | null = null;
  let text: string | null = null;
  let k = 0;
  let ids: readonly string[] | null = null;
  let limit = limitArg;
  if (pattern.kind === 'text' || pattern.kind === 'vector') {
    limit ??= DEFAULT_PATTERN_LIMIT;
    const postFilter = parts.where.post.length > 0 || s.confidence !== null;
    k = Math.min(ctx.limits.rowsReturned, limit === 0 ? 0 : (postFilter ? 4 : 2) * limit + 16);
    vector = pattern.vector;
    if (pattern.kind === 'text') text = pattern.text;
  } else if (pattern.kind === 'id') {
    ids = [pattern.id];
  } else {
    ids = idsFromWhere(s.where, params);
  }
  const post = parts.post === null ? null : bindRhs(parts.post, ctx);
  const confidence = s.confidence === null ? null : evalNumber(s.confidence.value, params);
  return [space, space.name, space.decay, vector, text, k, pushed, ids, asOf ?? ctx.now, knownAsOf, threshold, limit, post, confidence];
}
