/**
 * Reinforce: every memory a RECALL returns gets one presentation at the query's NOW (ACT-R
 * base-level learning), as ONE batched 'present' write per statement that the statement does not
 * wait for (inside a transaction it joins the transaction's batch). NO REINFORCE removes this op.
 */
import type { WriteOp } from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from './candidate.js';
import { pullThrough, type MaybePromise, type Op } from './op.js';
import { runValue, type RunValue } from './run-value.js';

export class ReinforceOp implements Op<Candidate> {
  readonly name = 'Reinforce';
  constructor(readonly children: readonly Op[], readonly space: RunValue<string>) {}

  describe(): string {
    return `present each returned memory at NOW (one batch)`;
  }

  run(ctx: ExecContext): MaybePromise<Candidate[]> {
    return pullThrough(ctx, this);
  }

  apply(ctx: ExecContext, rows: Candidate[]): Candidate[] {
    const space = runValue(ctx, this.space);
    const ops: WriteOp[] = rows.map((c) => ({ op: 'present', space, id: c.rec.id, at: ctx.now }));
    ctx.reinforce(ops);
    return rows;
  }
}
