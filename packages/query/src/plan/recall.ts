/**
 * Planner of RECALL: source (VectorSearch for text/vector patterns with the stored-column filter
 * pushed into traversal, Lookup for an id, Scan for `*`), THRESHOLD, ContextSpread, DecayScore at
 * AS OF (default NOW), post filters, Rank, Limit, Reinforce (unless NO REINFORCE or AS OF /
 * KNOWN AS OF), Project. `RECALL * WHERE id = x` / `id IN (…)` becomes a Lookup (plan/id-lookup.ts). LIMIT defaults to 10 for patterns and to all rows for `*` and ids.
 * The search fetches k = 2·LIMIT + 16 neighbours (4·LIMIT + 16 when a post-filter remains),
 * then scoring re-ranks them and the LIMIT is taken.
 */
import type { SpaceConfig } from '@mnemo/engine';
import type { Recall } from '../ast/index.js';
import { evalCount, evalUnit } from '../analyze/ranges.js';
import { evalTime } from '../analyze/time.js';
import type { ExecContext } from '../exec/context.js';
import { ContextSpreadOp } from '../ops/context-spread.js';
import { DecayScoreOp } from '../ops/decay-score.js';
import { FilterOp } from '../ops/filter.js';
import { LookupOp } from '../ops/lookup.js';
import { andThen, type MaybePromise, type Op } from '../ops/op.js';
import { ScanOp } from '../ops/scan.js';
import { VectorSearchOp } from '../ops/vector-search.js';
import { resolvePattern, type ResolvedPattern } from './pattern.js';
import type { Plan } from './plan.js';
import { idsFromWhere } from './id-lookup.js';
import { splitWhere } from './pushdown.js';
import { confidenceFilter, postWhere, readTail } from './read-tail.js';

export const DEFAULT_PATTERN_LIMIT = 10;

/** Synchronous unless the pattern is text to embed. */
export function planRecall(ctx: ExecContext, s: Recall): MaybePromise<Plan> {
  const space = ctx.space(s.space);
  return andThen(resolvePattern(ctx, s.pattern, space), (pattern) => buildRecall(ctx, s, space, pattern));
}

function buildRecall(ctx: ExecContext, s: Recall, space: SpaceConfig, pattern: ResolvedPattern): Plan {
  const asOf = s.asOf === null ? null : evalTime(s.asOf, ctx.params, ctx.now);
  const knownAsOf = s.knownAsOf === null ? null : evalTime(s.knownAsOf, ctx.params, ctx.now);
  const split = splitWhere(s.where, ctx, asOf, knownAsOf);
  const limitArg = evalCount(s.limit, ctx.params, 'LIMIT');
  const threshold = evalUnit(s.threshold, ctx.params, 'THRESHOLD');
  const isSearch = pattern.kind === 'text' || pattern.kind === 'vector';
  const limit = limitArg ?? (isSearch ? DEFAULT_PATTERN_LIMIT : null);
  let op: Op;
  if (pattern.kind === 'text' || pattern.kind === 'vector') {
    const postFilter = split.post.length > 0 || s.confidence !== null;
    const l = limit ?? DEFAULT_PATTERN_LIMIT;
    const k = Math.min(ctx.limits.rowsReturned, l === 0 ? 0 : (postFilter ? 4 : 2) * l + 16);
    op = new VectorSearchOp(space, pattern.vector, k, split.pushed, pattern.kind === 'text' ? pattern.text : null);
    if (threshold !== null) {
      op = new FilterOp([op], 'Threshold', `similarity >= ${threshold}`, (c) => Math.min(1, (c.similarity ?? 1) + c.lexical) >= threshold);
    }
    op = new ContextSpreadOp([op], space.name);
  } else if (pattern.kind === 'id') {
    op = new LookupOp(space.name, [pattern.id], split.pushed);
  } else {
    const ids = idsFromWhere(s.where, ctx.params);
    op = ids !== null ? new LookupOp(space.name, ids, split.pushed) : new ScanOp(space.name, split.pushed);
  }
  op = new DecayScoreOp([op], space.decay, asOf ?? ctx.now, asOf !== null, knownAsOf);
  op = postWhere(ctx, op, split.post);
  op = confidenceFilter(ctx, op, s.confidence);
  const reinforce = !s.noReinforce && asOf === null && knownAsOf === null;
  return readTail(op, { orderBy: s.orderBy, defaultColumn: 'score', limit, reinforceSpace: reinforce ? space.name : null });
}
