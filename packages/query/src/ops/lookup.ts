/**
 * Lookup: memories by id (`RECALL id`, SPREAD/PREDICT sources); missing ids produce no row
 * (a RECALL of an unknown id returns nothing rather than failing).
 */
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import type { Op } from './op.js';
import { describeFilter, passes, type PushedFilter } from './row-filter.js';
import { runValue, type RunValue } from './run-value.js';

export class LookupOp implements Op<Candidate> {
  readonly name = 'Lookup';
  readonly children: readonly Op[] = [];
  constructor(
    readonly space: RunValue<string>,
    readonly ids: RunValue<readonly string[]>,
    readonly filter: RunValue<PushedFilter | null>,
  ) {}

  describe(ctx: ExecContext): string {
    const ids = runValue(ctx, this.ids).join(',');
    return `space=${runValue(ctx, this.space)} ids=${ids}${describeFilter(runValue(ctx, this.filter))}`;
  }

  run(ctx: ExecContext): Candidate[] {
    const out: Candidate[] = [];
    const space = runValue(ctx, this.space);
    const filter = runValue(ctx, this.filter);
    for (const id of runValue(ctx, this.ids)) {
      const rec = ctx.snap.get(space, id);
      if (rec !== undefined && passes(filter, rec)) out.push(candidate(rec, null));
    }
    return out;
  }
}
