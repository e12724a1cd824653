/**
 * Scan: every live memory of a space in id order, with the pushed-down stored-column filter
 * applied to each row (the source of `RECALL *`, `FORGET WHERE`, `CONSOLIDATE WHERE`).
 */
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import type { Op } from './op.js';
import { describeFilter, passes, type PushedFilter } from './row-filter.js';

export class ScanOp implements Op<Candidate> {
  readonly name = 'Scan';
  readonly children: readonly Op[] = [];
  constructor(readonly space: string, readonly filter: PushedFilter | null) {}

  describe(): string {
    return `space=${this.space}${describeFilter(this.filter)}`;
  }

  run(ctx: ExecContext): Candidate[] {
    const out: Candidate[] = [];
    let n = 0;
    for (const rec of ctx.snap.scan(this.space)) {
      if ((++n & 1023) === 0) ctx.checkBudget();
      if (passes(this.filter, rec)) out.push(candidate(rec));
    }
    return out;
  }
}
