/**
 * Planner of SPREAD FROM id, … [MAX_HOPS n] [DECAY r] [THRESHOLD a] [LIMIT k]: Spread (engine
 * spreading activation), DecayScore (retention and base level of each reached memory at NOW;
 * its `activation` column is the spread activation), Rank by activation desc (ties by id), Limit,
 * Project with `hops` and `path`. SPREAD does not reinforce. MAX_HOPS above limits.maxHops →
 * LIMIT_EXCEEDED. The plan is built once per statement node (plan/plan-cache.ts); each run binds
 * the space, the sources and options, NOW and LIMIT into its slots.
 */
import { MnemoError, type DecayModel, type SpaceConfig } from '@mnemo/engine';
import type { Spread } from '../ast/index.js';
import { evalCount, evalMaxHops } from '../analyze/ranges.js';
import { evalId, evalNumber } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from '../ops/candidate.js';
import { DecayScoreOp } from '../ops/decay-score.js';
import { pullThrough, type MaybePromise, type Op } from '../ops/op.js';
import { Slot } from '../ops/run-value.js';
import { SpreadOp, type SpreadParams } from '../ops/spread.js';
import type { Plan } from './plan.js';
import { readTail } from './read-tail.js';

/** After DecayScore, the row's activation is the spread activation (score stays the recall score). */
class SpreadActivationOp implements Op<Candidate> {
  readonly name = 'SpreadActivation';
  constructor(readonly children: readonly Op[]) {}
  describe(): string {
    return 'activation = spread activation; score = recall score with that spread';
  }
  run(ctx: ExecContext): MaybePromise<Candidate[]> {
    return pullThrough(ctx, this);
  }

  apply(_ctx: ExecContext, rows: Candidate[]): Candidate[] {
    for (const c of rows) c.activation = c.spread;
    return rows;
  }
}

const SPACE = new Slot<SpaceConfig>(0);
const OPTIONS = new Slot<SpreadParams>(1);
const MODEL = new Slot<DecayModel>(2);
const AT = new Slot<number>(3);
const LIMIT = new Slot<number | null>(4);

function buildSpread(): Plan {
  let op: Op = new SpreadOp(SPACE, OPTIONS);
  op = new DecayScoreOp([op], MODEL, AT, false);
  op = new SpreadActivationOp([op]);
  return readTail(op, { orderBy: null, defaultColumn: 'activation', limit: LIMIT, reinforceSpace: null, extraColumns: ['hops', 'path'] });
}

export function planSpread(ctx: ExecContext, s: Spread): Plan {
  const space = ctx.space(s.space);
  const sources = s.sources.map((x) => evalId(x, ctx.params));
  const maxHops = evalMaxHops(s.maxHops, ctx.params, ctx.limits.maxHops) ?? undefined;
  const decay = s.decay === null ? undefined : evalNumber(s.decay, ctx.params);
  if (decay !== undefined && !(decay > 0 && decay <= 1)) throw new MnemoError('INVALID_ARGUMENT', `DECAY must be in (0, 1], got ${decay}`);
  const threshold = s.threshold === null ? undefined : evalNumber(s.threshold, ctx.params);
  if (threshold !== undefined && !(threshold >= 0)) throw new MnemoError('INVALID_ARGUMENT', `THRESHOLD must be >= 0, got ${threshold}`);
  const limit = evalCount(s.limit, ctx.params, 'LIMIT');
  let plan = ctx.core.plans.get(s, 'spread');
  if (plan === undefined) {
    plan = buildSpread();
    ctx.core.plans.set(s, 'spread', plan);
  }
  const options: SpreadParams = { sources, maxHops, decay, threshold };
  ctx.values = [space, options, space.decay, ctx.now, limit];
  return plan;
}
