/**
 * ScanTop: the first k memories of a space in the order of a stored column (`created` or `id`,
 * ties by id ascending), with the pushed-down filter, picked from the rows' stored columns without
 * reading a record (engine `snapshot.refs`), then read by id: the source of `RECALL * ORDER BY
 * created|id … LIMIT k` when nothing after scoring can drop a row (docs/mql_reference.md
 * §"EXPLAIN and PROFILE"). Only those k become candidates, except under PROFILE, which reads
 * every row so that it can list each one LIMIT cut.
 */
import type { RowRef } from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import type { Op } from './op.js';
import { describeFilter, type PushedFilter } from './row-filter.js';
import { runValue, type RunValue } from './run-value.js';
import { TopK } from './top-k.js';

/** The stored columns ScanTop orders by. */
export type ScanOrderColumn = 'created' | 'id';

export const SCAN_ORDER_COLUMNS: readonly string[] = ['created', 'id'];

interface Keyed {
  key: number | string;
  id: string;
}

export class ScanTopOp implements Op<Candidate> {
  readonly name = 'ScanTop';
  readonly children: readonly Op[] = [];
  private readonly compare: (a: Keyed, b: Keyed) => number;

  constructor(
    readonly space: RunValue<string>,
    readonly filter: RunValue<PushedFilter | null>,
    readonly column: ScanOrderColumn,
    readonly desc: boolean,
    readonly k: RunValue<number | null>,
  ) {
    const sign = desc ? -1 : 1;
    this.compare = (a, b) => (a.key < b.key ? -sign : a.key > b.key ? sign : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  describe(ctx: ExecContext): string {
    const k = runValue(ctx, this.k);
    return `space=${runValue(ctx, this.space)} by=${this.column} ${this.desc ? 'DESC' : 'ASC'}, id ASC${k === null ? '' : ` top=${k}`}${describeFilter(runValue(ctx, this.filter))}`;
  }

  run(ctx: ExecContext): Candidate[] {
    const space = runValue(ctx, this.space);
    const filter = runValue(ctx, this.filter);
    // the planner uses ScanTop only under a LIMIT, so k is a number; PROFILE keeps every row (as
    // Rank does), so that Limit can list each memory it cuts with its parts
    const k = ctx.profile === null ? runValue(ctx, this.k) : null;
    const best = new TopK(k ?? Number.MAX_SAFE_INTEGER, this.compare);
    let n = 0;
    for (const ref of ctx.snap.refs(space)) {
      if ((++n & 1023) === 0) ctx.checkBudget();
      if (filter !== null && !filter.test(ref)) continue;
      best.push(this.keyOf(ref));
    }
    const picked = best.sorted();
    const out: Candidate[] = [];
    for (const p of picked) {
      const rec = ctx.snap.get(space, p.id);
      if (rec !== undefined) out.push(candidate(rec));
    }
    return out;
  }

  /** The row's order key and id, copied out of the ref (which the next step repositions). */
  private keyOf(ref: RowRef): Keyed {
    const id = ref.id;
    return { key: this.column === 'created' ? ref.created : id, id };
  }
}
