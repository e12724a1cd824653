/**
 * ScanTop: the first k memories of a space in the order of a stored column (`created` or `id`,
 * ties by id ascending), with the pushed-down filter, picked before any record is read; only the
 * k picked are read: the source of `RECALL * ORDER BY created|id … LIMIT k` when nothing after
 * scoring can drop a row (docs/mql_reference.md §"EXPLAIN and PROFILE"). Only those k become
 * candidates, except under PROFILE, which keeps every row so that it can list each one LIMIT cut.
 * - by `created`: each segment's `created` column is read in place, with the snapshot's live-row
 *   bitmap; a row that ranks after the worst of the k kept is skipped before the filter looks at
 *   it, and an id is decoded only to break a tie; then the memtable's rows.
 * - by `id`: the snapshot's ref scan (ids ascending, across layers); ascending, it stops at the
 *   k-th row the filter accepts.
 */
import { bit, SegmentRowRef, type SegmentView, type Snapshot } from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import type { Op } from './op.js';
import { describeFilter, type PushedFilter } from './row-filter.js';
import { runValue, type RunValue } from './run-value.js';
import { TopK } from './top-k.js';

/** The stored columns ScanTop orders by. */
export type ScanOrderColumn = 'created' | 'id';

export const SCAN_ORDER_COLUMNS: readonly string[] = ['created', 'id'];

/** A picked row: its order key, and where to read it (a segment row, or by id). */
class Picked {
  constructor(
    readonly key: number | string,
    readonly view: SegmentView | null,
    readonly row: number,
    private known: string | undefined,
  ) {}

  /** The memory id, decoded from the segment only when asked (a tie, or the final read). */
  get id(): string {
    return (this.known ??= (this.view as SegmentView).reader.id(this.row));
  }
}

export class ScanTopOp implements Op<Candidate> {
  readonly name = 'ScanTop';
  readonly children: readonly Op[] = [];
  private readonly compare: (a: Picked, b: Picked) => number;

  constructor(
    readonly space: RunValue<string>,
    readonly filter: RunValue<PushedFilter | null>,
    readonly column: ScanOrderColumn,
    readonly desc: boolean,
    readonly k: RunValue<number | null>,
  ) {
    const sign = desc ? -1 : 1;
    this.compare = (a, b) => {
      if (a.key !== b.key) return a.key < b.key ? -sign : sign;
      const x = a.id;
      const y = b.id;
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }

  describe(ctx: ExecContext): string {
    const k = runValue(ctx, this.k);
    return `space=${runValue(ctx, this.space)} by=${this.column} ${this.desc ? 'DESC' : 'ASC'}, id ASC${k === null ? '' : ` top=${k}`}${describeFilter(runValue(ctx, this.filter))}`;
  }

  run(ctx: ExecContext): Candidate[] {
    const space = runValue(ctx, this.space);
    const filter = runValue(ctx, this.filter);
    // the planner uses ScanTop only under a LIMIT, so k is a number; PROFILE keeps every row
    const k = ctx.profile === null ? runValue(ctx, this.k) : null;
    const best = new TopK<Picked>(k ?? Number.MAX_SAFE_INTEGER, this.compare);
    if (this.column === 'created') this.pickByCreated(ctx, space, filter, best);
    else this.pickById(ctx, space, filter, best);
    const out: Candidate[] = [];
    const snap: Snapshot = ctx.snap;
    for (const p of best.sorted()) {
      const rec = p.view !== null ? p.view.record(p.row, p.id) : snap.get(space, p.id);
      if (rec !== undefined) out.push(candidate(rec));
    }
    return out;
  }

  private pickByCreated(ctx: ExecContext, space: string, filter: PushedFilter | null, best: TopK<Picked>): void {
    const desc = this.desc;
    for (const v of ctx.snap.segments(space)) {
      if (v.liveCount === 0) continue;
      const created = v.reader.createdColumn();
      const live = v.live;
      const ref = filter === null ? null : new SegmentRowRef(v.reader);
      for (let row = 0; row < created.length; row++) {
        if ((row & 1023) === 1023) ctx.checkBudget();
        if (!bit(live, row)) continue;
        const key = created[row] as number;
        if (best.full) {
          // ranks after the worst kept (an equal key may still win on its id); LIMIT 0 keeps none
          const w = best.worst();
          if (w === undefined || (desc ? key < (w.key as number) : key > (w.key as number))) continue;
        }
        if (ref !== null && !(filter as PushedFilter).test(ref.at(row))) continue;
        best.push(new Picked(key, v, row, undefined));
      }
    }
    for (const r of ctx.snap.memtableRecords(space)) {
      if (filter !== null && !filter.test(r)) continue;
      best.push(new Picked(r.created, null, -1, r.id));
    }
  }

  private pickById(ctx: ExecContext, space: string, filter: PushedFilter | null, best: TopK<Picked>): void {
    let n = 0;
    for (const ref of ctx.snap.refs(space)) {
      if ((++n & 1023) === 0) ctx.checkBudget();
      if (filter !== null && !filter.test(ref)) continue;
      const id = ref.id;
      best.push(new Picked(id, null, -1, id));
      // ids arrive in ascending order: ascending, the first k accepted are the answer
      if (!this.desc && best.full) return;
    }
  }
}
