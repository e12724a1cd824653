/**
 * Lookup: memories by id (`RECALL id`, SPREAD/PREDICT sources); missing ids produce no row
 * (a RECALL of an unknown id returns nothing rather than failing).
 */
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import type { Op } from './op.js';
import { describeFilter, passes, type PushedFilter } from './row-filter.js';

export class LookupOp implements Op<Candidate> {
  readonly name = 'Lookup';
  readonly children: readonly Op[] = [];
  constructor(readonly space: string, readonly ids: readonly string[], readonly filter: PushedFilter | null) {}

  describe(): string {
    return `space=${this.space} ids=${this.ids.join(',')}${describeFilter(this.filter)}`;
  }

  run(ctx: ExecContext): Candidate[] {
    const out: Candidate[] = [];
    for (const id of this.ids) {
      const rec = ctx.snap.get(this.space, id);
      if (rec !== undefined && passes(this.filter, rec)) out.push(candidate(rec, null));
    }
    return out;
  }
}
