/**
 * Planner of RECALL: source (VectorSearch for text/vector patterns with the stored-column filter
 * pushed into traversal, Lookup for an id, Scan for `*` — ScanTop when it has a LIMIT and is
 * ordered by created, id or a score column, with nothing after scoring to drop a row),
 * THRESHOLD, ContextSpread, DecayScore at
 * AS OF (default NOW), post filters, Rank, Limit, Reinforce (unless NO REINFORCE or AS OF /
 * KNOWN AS OF), Project. `RECALL * WHERE id = x` / `id IN (…)` becomes a Lookup (plan/id-lookup.ts).
 * The plan is built once per statement node and pattern kind and reused (plan/plan-cache.ts); each
 * run resolves the space and pattern and binds its values (plan/recall-values.ts).
 */
import type { SpaceConfig } from '@mnemo/engine';
import type { Recall } from '../ast/index.js';
import { prepareConditions } from '../analyze/condition.js';
import type { ExecContext } from '../exec/context.js';
import { candidateField } from '../ops/candidate-fields.js';
import { ContextSpreadOp } from '../ops/context-spread.js';
import { DecayScoreOp } from '../ops/decay-score.js';
import { FilterOp } from '../ops/filter.js';
import { LookupOp } from '../ops/lookup.js';
import type { MaybePromise, Op } from '../ops/op.js';
import { runValue } from '../ops/run-value.js';
import { ScanOp } from '../ops/scan.js';
import { SCAN_ORDER_COLUMNS, ScanTopOp, type ScanOrderColumn } from '../ops/scan-top.js';
import { VectorSearchOp } from '../ops/vector-search.js';
import { namesIdsIn } from './id-lookup.js';
import { resolvePattern, type ResolvedPattern } from './pattern.js';
import type { Plan } from './plan.js';
import { prepareWhere, type PreparedWhere } from './pushdown.js';
import { confidenceOp, readTail, whereFilter } from './read-tail.js';
import {
  AT, bindRecall, CONFIDENCE, FILTER, IDS, K, KNOWN_AS_OF, LIMIT, MODEL, POST, SPACE, SPACE_NAME, TEXT, THRESHOLD, VECTOR,
  type RecallParts,
} from './recall-values.js';

type RecallPlan = Plan & RecallParts;

/** Synchronous unless the pattern is text to embed. */
export function planRecall(ctx: ExecContext, s: Recall): MaybePromise<Plan> {
  const space = ctx.space(s.space);
  const pattern = resolvePattern(ctx, s.pattern, space);
  if (pattern instanceof Promise) return pattern.then((p) => bound(ctx, s, space, p));
  return bound(ctx, s, space, pattern);
}

/** The statement's plan for this pattern kind (built on first use), with this run's values bound into `ctx`. */
function bound(ctx: ExecContext, s: Recall, space: SpaceConfig, pattern: ResolvedPattern): Plan {
  let plan = ctx.core.plans.get(s, pattern.kind) as RecallPlan | undefined;
  if (plan === undefined) {
    plan = buildRecall(s, pattern.kind);
    ctx.core.plans.set(s, pattern.kind, plan);
  }
  ctx.values = bindRecall(ctx, s, space, pattern, plan);
  return plan;
}

/**
 * Whether `RECALL *` can pick its first LIMIT rows in its order before reading any record
 * (ScanTop): it orders (by default: score) by `created`, `id` or a score column, has a LIMIT, and
 * nothing after scoring can drop a row (no WHERE on computed columns, no CONFIDENCE filter).
 */
function orderedScan(s: Recall, where: PreparedWhere): boolean {
  return SCAN_ORDER_COLUMNS.includes(s.orderBy?.column.name ?? 'score') && s.limit !== null
    && where.post.length === 0 && s.confidence === null;
}

/** The operator tree of `s` for a pattern of kind `kind`: every run value is a slot (plan/recall-values.ts). */
function buildRecall(s: Recall, kind: ResolvedPattern['kind']): RecallPlan {
  const where = prepareWhere(s.where);
  let op: Op;
  if (kind === 'text' || kind === 'vector') {
    op = new VectorSearchOp(SPACE, VECTOR, K, FILTER, TEXT, true);
    if (s.threshold !== null) {
      op = new FilterOp([op], 'Threshold', (ctx) => `similarity >= ${runValue(ctx, THRESHOLD)}`,
        (c, ctx) => Math.min(1, (c.similarity ?? 1) + c.lexical) >= runValue(ctx, THRESHOLD));
    }
    op = new ContextSpreadOp([op], SPACE_NAME);
  } else if (kind === 'id' || namesIdsIn(s.where)) {
    op = new LookupOp(SPACE_NAME, IDS, FILTER);
  } else if (orderedScan(s, where)) {
    const column = (s.orderBy?.column.name ?? 'score') as ScanOrderColumn;
    op = new ScanTopOp(SPACE_NAME, FILTER, column, s.orderBy === null || s.orderBy.direction === 'desc', LIMIT, { model: MODEL, at: AT, knownAsOf: KNOWN_AS_OF });
  } else {
    op = new ScanOp(SPACE_NAME, FILTER);
  }
  op = new DecayScoreOp([op], MODEL, AT, s.asOf !== null, KNOWN_AS_OF);
  const post = where.post.length > 0 ? prepareConditions(where.post, candidateField) : null;
  if (post !== null) op = whereFilter(op, where.post, post, POST);
  if (s.confidence !== null) op = confidenceOp(op, s.confidence, CONFIDENCE);
  const reinforce = !s.noReinforce && s.asOf === null && s.knownAsOf === null;
  const tail = readTail(op, { orderBy: s.orderBy, defaultColumn: 'score', limit: LIMIT, reinforceSpace: reinforce ? SPACE_NAME : null });
  return { root: tail.root, columns: tail.columns, where, post };
}
