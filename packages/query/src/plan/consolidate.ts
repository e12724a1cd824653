/**
 * Planner of CONSOLIDATE (<pattern> | WHERE cond | *) [INTO id] [SIMILARITY s] [MIN_SIZE n]
 * [SCHEDULER IMMEDIATE | INTERVAL d | THRESHOLD n]. Immediate: source (Scan of episodic memories
 * with WHERE pushed down, or a vector search of 1 000 neighbours for a text/vector pattern),
 * Consolidate, Rank by id, Project with `members`. Other schedulers register a job (the same
 * statement with SCHEDULER IMMEDIATE, in the catalog) and return its id.
 */
import { MnemoError } from '@mnemo/engine';
import * as ast from '../ast/index.js';
import type { Consolidate } from '../ast/index.js';
import { print } from '../ast/printer/print.js';
import { evalCount, evalUnit } from '../analyze/ranges.js';
import { evalDuration } from '../analyze/time.js';
import { evalId } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import { ActionOp } from '../ops/action.js';
import { ConsolidateOp } from '../ops/consolidate.js';
import { DecayScoreOp } from '../ops/decay-score.js';
import { LookupOp } from '../ops/lookup.js';
import type { PushedFilter } from '../ops/row-filter.js';
import type { Op } from '../ops/op.js';
import { ScanOp } from '../ops/scan.js';
import { VectorSearchOp } from '../ops/vector-search.js';
import { resolvePattern } from './pattern.js';
import { planOf, type Plan } from './plan.js';
import { splitWhere } from './pushdown.js';
import { postWhere, readTail } from './read-tail.js';

export const PATTERN_NEIGHBOURHOOD = 1000;

function planJob(ctx: ExecContext, s: Consolidate, spaceName: string): Plan {
  const sched = s.scheduler as ast.SchedulerInterval | ast.SchedulerThreshold;
  const interval = sched.kind === 'Scheduler.Interval' ? evalDuration(sched.every, ctx.params) : null;
  const threshold = sched.kind === 'Scheduler.Threshold' ? evalCount(sched.count, ctx.params, 'SCHEDULER THRESHOLD') : null;
  if (interval !== null && !(interval > 0)) throw new MnemoError('INVALID_ARGUMENT', 'SCHEDULER INTERVAL must be a positive duration');
  if (threshold !== null && threshold < 1) throw new MnemoError('INVALID_ARGUMENT', 'SCHEDULER THRESHOLD must be >= 1');
  if (ctx.params !== undefined && ast.countParams(s).params.length > 0) {
    throw new MnemoError('INVALID_ARGUMENT', 'a scheduled CONSOLIDATE cannot use parameters (the job re-runs the statement text later); write literals');
  }
  const statement = print(ast.consolidate({ ...s, space: ast.id({ name: spaceName }), scheduler: ast.schedulerImmediate() }));
  const detail = interval !== null ? `every=${interval}ms` : `after=${threshold} new episodes`;
  return planOf(new ActionOp('ScheduleJob', `${detail} statement=${statement}`, async (c) => {
    const id = c.core.jobs.register('consolidate', spaceName, { statement, episodes: 0 }, interval, threshold);
    return [{ job: id, kind: 'consolidate', space: spaceName, interval_ms: interval, threshold, statement }];
  }), ['job', 'kind', 'space', 'interval_ms', 'threshold', 'statement']);
}

export async function planConsolidate(ctx: ExecContext, s: Consolidate): Promise<Plan> {
  const space = ctx.space(s.space);
  if (s.scheduler !== null && s.scheduler.kind !== 'Scheduler.Immediate') return planJob(ctx, s, space.name);
  const similarity = evalUnit(s.similarity, ctx.params, 'SIMILARITY') ?? 0.8;
  const minSize = evalCount(s.minSize, ctx.params, 'MIN_SIZE') ?? 3;
  if (minSize < 2) throw new MnemoError('INVALID_ARGUMENT', `MIN_SIZE must be an integer >= 2, got ${minSize}`);
  const into = s.into === null ? null : evalId(s.into, ctx.params);
  const split = splitWhere(s.where, ctx, null, null);
  const stored = split.pushed;
  const pushed: PushedFilter = stored === null
    ? { test: (r) => r.kind === 'episodic', text: "kind = 'episodic'" }
    : { test: (r) => r.kind === 'episodic' && stored.test(r), text: `kind = 'episodic' AND ${stored.text}` };
  const pattern = s.pattern === null ? { kind: 'all' as const } : await resolvePattern(ctx, s.pattern, space);
  let op: Op;
  if (pattern.kind === 'text' || pattern.kind === 'vector') {
    op = new VectorSearchOp(space, pattern.vector, PATTERN_NEIGHBOURHOOD, pushed, null);
  } else if (pattern.kind === 'id') {
    op = new LookupOp(space.name, [pattern.id], pushed);
  } else {
    op = new ScanOp(space.name, pushed);
  }
  if (split.post.length > 0) op = postWhere(ctx, new DecayScoreOp([op], space.decay, ctx.now, false), split.post);
  op = new ConsolidateOp([op], space, { similarity, minSize, into });
  return readTail(op, { orderBy: null, defaultColumn: 'id', defaultDesc: false, limit: null, reinforceSpace: null, extraColumns: ['members', 'updated'] });
}
