/**
 * Limit: the first k candidates; the rest are suppressed ('LIMIT k') for PROFILE. Also enforces
 * the rows-returned limit of the database (LIMIT_EXCEEDED when more rows would be returned).
 */
import { MnemoError } from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from './candidate.js';
import { pullThrough, type MaybePromise, type Op } from './op.js';
import { runValue, type RunValue } from './run-value.js';

export class LimitOp implements Op<Candidate> {
  readonly name = 'Limit';
  constructor(readonly children: readonly Op[], readonly k: RunValue<number | null>) {}

  describe(ctx: ExecContext): string {
    const k = runValue(ctx, this.k);
    return k === null ? 'all' : `k=${k}`;
  }

  run(ctx: ExecContext): MaybePromise<Candidate[]> {
    return pullThrough(ctx, this);
  }

  apply(ctx: ExecContext, rows: Candidate[]): Candidate[] {
    const k = runValue(ctx, this.k) ?? rows.length;
    if (Math.min(k, rows.length) > ctx.limits.rowsReturned) {
      throw new MnemoError(
        'LIMIT_EXCEEDED',
        `the statement would return ${Math.min(k, rows.length)} rows, more than the rowsReturned limit ${ctx.limits.rowsReturned}; add a LIMIT or raise limits.rowsReturned`,
        { limit: 'rowsReturned', value: ctx.limits.rowsReturned },
      );
    }
    if (rows.length <= k) return rows;
    if (ctx.profile !== null) {
      for (const c of rows.slice(k)) ctx.suppress(c, `Limit k=${k}`);
    }
    return rows.slice(0, k);
  }
}
