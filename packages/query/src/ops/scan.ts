/**
 * Scan: every live memory of a space in id order, with the pushed-down stored-column filter
 * applied to each row (the source of `RECALL *`, `FORGET WHERE`, `CONSOLIDATE WHERE`). The engine
 * tests the filter on a row's stored columns before it reads the record, so the memories the
 * filter rejects are never materialised.
 */
import type { RowRef } from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import type { Op } from './op.js';
import { describeFilter, type PushedFilter } from './row-filter.js';
import { runValue, type RunValue } from './run-value.js';

export class ScanOp implements Op<Candidate> {
  readonly name = 'Scan';
  readonly children: readonly Op[] = [];
  constructor(readonly space: RunValue<string>, readonly filter: RunValue<PushedFilter | null>) {}

  describe(ctx: ExecContext): string {
    return `space=${runValue(ctx, this.space)}${describeFilter(runValue(ctx, this.filter))}`;
  }

  run(ctx: ExecContext): Candidate[] {
    const out: Candidate[] = [];
    const filter = runValue(ctx, this.filter);
    let n = 0;
    const accept = filter === null ? undefined : (r: RowRef): boolean => {
      if ((++n & 1023) === 0) ctx.checkBudget();
      return filter.test(r);
    };
    for (const rec of ctx.snap.scan(runValue(ctx, this.space), accept)) {
      if ((++n & 1023) === 0) ctx.checkBudget();
      out.push(candidate(rec));
    }
    return out;
  }
}
