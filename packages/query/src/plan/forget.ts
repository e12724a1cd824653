/**
 * Planner of FORGET id (one tombstone) and FORGET WHERE condition (Scan with the stored-column
 * part pushed down, DecayScore when the condition names computed columns, then one batch of
 * tombstones). Returns one row { forgotten: n }; the ids are in stats.ids.
 */
import type { WriteOp } from '@mnemo/engine';
import type { Forget } from '../ast/index.js';
import { evalId } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from '../ops/candidate.js';
import { DecayScoreOp } from '../ops/decay-score.js';
import { pull, type Op } from '../ops/op.js';
import { ScanOp } from '../ops/scan.js';
import { WriteBatchOp } from '../ops/write.js';
import { planOf, type Plan } from './plan.js';
import { splitWhere } from './pushdown.js';
import { postWhere } from './read-tail.js';

export function planForget(ctx: ExecContext, s: Forget): Plan {
  const space = ctx.space(s.space);
  if (s.id !== null) {
    const id = evalId(s.id, ctx.params);
    const op: WriteOp = { op: 'forget', space: space.name, id };
    const root = new WriteBatchOp(`forget ${id}`, (c) => {
      if (c.snap.get(space.name, id) === undefined && !c.isBuffered(space.name, id)) return [];
      return [op];
    }, (ops) => [{ forgotten: ops.length }]);
    return planOf(root, ['forgotten']);
  }
  const split = splitWhere(s.where, ctx, null, null);
  let source: Op = new ScanOp(space.name, split.pushed);
  if (split.post.length > 0) source = postWhere(ctx, new DecayScoreOp([source], space.decay, ctx.now, false), split.post);
  const input = source;
  const root = new WriteBatchOp('forget where', async (c) => {
    const rows = (await pull(c, input)) as Candidate[];
    return rows.map((r): WriteOp => ({ op: 'forget', space: space.name, id: r.rec.id }));
  }, (ops) => [{ forgotten: ops.length }], [input]);
  return planOf(root, ['forgotten']);
}
