/**
 * Planner of REINFORCE id [TIMES n] [AT t]: an explicit study event — n presentations at t
 * (default NOW) folded into the memory's decay state by the engine.
 */
import type { WriteOp } from '@mnemo/engine';
import type { Reinforce } from '../ast/index.js';
import { evalCount } from '../analyze/ranges.js';
import { evalTime, isoTime } from '../analyze/time.js';
import { evalId } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import { WriteBatchOp } from '../ops/write.js';
import { planOf, type Plan } from './plan.js';

export function planReinforce(ctx: ExecContext, s: Reinforce): Plan {
  const space = ctx.space(s.space).name;
  const id = evalId(s.id, ctx.params);
  const times = evalCount(s.times, ctx.params, 'TIMES') ?? 1;
  const at = s.at === null ? ctx.now : evalTime(s.at, ctx.params, ctx.now);
  const op: WriteOp = { op: 'present', space, id, at, times };
  return planOf(new WriteBatchOp(`present ${id} times=${times}`, () => [op], () => [{ id, times, at: isoTime(at) }]), ['id', 'times', 'at']);
}
