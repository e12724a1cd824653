/**
 * ScanTop: the first k memories of a space in the order of `created`, `id` or a score column
 * (`score`, `activation`, `retention`; ties by id ascending), with the pushed-down filter, picked
 * before any record is read; only the k picked are read: the source of `RECALL * [ORDER BY …]
 * LIMIT k` when nothing after scoring can drop a row (docs/mql_reference.md §"EXPLAIN and
 * PROFILE"). Only those k become candidates, except under PROFILE, which keeps every row so that
 * it can list each one LIMIT cut.
 * - by `created`: each segment's `created` column is read in place, with the snapshot's live-row
 *   bitmap; a row that ranks after the worst of the k kept is skipped before the filter looks at
 *   it, and an id is decoded only to break a tie; then the memtable's rows.
 * - by `id`: the snapshot's ref scan (ids ascending, across layers); ascending, it stops at the
 *   k-th row the filter accepts.
 * - by a score column: each live row's decay state alone (its own, unless the segment view's
 *   `updatedRows()` says a decay update above may apply: then `decay(row, id)`; memtable records),
 *   scored as DecayScore scores a `RECALL *` candidate (plainScore), at the run's AS OF.
 */
import { bit, SegmentRowRef, type DecayModel, type DecayState, type SegmentView } from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import { plainScore } from './decay-score.js';
import type { Op } from './op.js';
import { describeFilter, type PushedFilter } from './row-filter.js';
import { runValue, type RunValue } from './run-value.js';
import { TopK } from './top-k.js';

/** The columns ScanTop orders by: stored, or computed from the decay state alone. */
export type ScanOrderColumn = 'created' | 'id' | 'score' | 'activation' | 'retention';

export const SCAN_ORDER_COLUMNS: readonly string[] = ['created', 'id', 'score', 'activation', 'retention'];

/** The run values a score order needs: the decay model, the evaluation time, KNOWN AS OF. */
export interface ScanScoring {
  readonly model: RunValue<DecayModel>;
  readonly at: RunValue<number>;
  readonly knownAsOf: RunValue<number | null>;
}

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
    readonly scoring: ScanScoring,
  ) {
    const sign = desc ? -1 : 1;
    // as Rank's comparators: keys neither smaller nor larger (equal) go by id ascending
    this.compare = (a, b) => {
      if (a.key < b.key) return -sign;
      if (a.key > b.key) return sign;
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
    else if (this.column === 'id') this.pickById(ctx, space, filter, best);
    else this.pickByScore(ctx, space, filter, best);
    const out: Candidate[] = [];
    for (const p of best.sorted()) {
      const rec = p.view !== null ? p.view.record(p.row, p.id) : ctx.snap.get(space, p.id);
      if (rec !== undefined) out.push(candidate(rec));
    }
    return out;
  }

  private pickByCreated(ctx: ExecContext, space: string, filter: PushedFilter | null, best: TopK<Picked>): void {
    for (const v of ctx.snap.segments(space)) {
      if (v.liveCount === 0) continue;
      const created = v.reader.createdColumn();
      const live = v.live;
      const ref = filter === null ? null : new SegmentRowRef(v.reader);
      for (let row = 0; row < created.length; row++) {
        if ((row & 1023) === 1023) ctx.checkBudget();
        if (!bit(live, row)) continue;
        const key = created[row] as number;
        if (this.beaten(best, key)) continue;
        if (ref !== null && !(filter as PushedFilter).test(ref.at(row))) continue;
        best.push(new Picked(key, v, row, undefined));
      }
    }
    for (const r of ctx.snap.memtableRecords(space)) {
      if (filter !== null && !filter.test(r)) continue;
      best.push(new Picked(r.created, null, -1, r.id));
    }
  }

  private pickByScore(ctx: ExecContext, space: string, filter: PushedFilter | null, best: TopK<Picked>): void {
    const model = runValue(ctx, this.scoring.model);
    const at = runValue(ctx, this.scoring.at);
    const knownAsOf = runValue(ctx, this.scoring.knownAsOf);
    const column = this.column;
    const keyOf = (state: DecayState): number => {
      const { decay, parts } = plainScore(state, at, model, knownAsOf);
      return column === 'retention' ? decay.retention : column === 'activation' ? parts.activation : parts.score;
    };
    for (const v of ctx.snap.segments(space)) {
      if (v.liveCount === 0) continue;
      const live = v.live;
      const reader = v.reader;
      // a row without a decay update above the segment is scored from its own state: no id read
      const updated = v.updatedRows();
      const ref = filter === null ? null : new SegmentRowRef(reader);
      for (let row = 0; row < reader.rows; row++) {
        if ((row & 1023) === 1023) ctx.checkBudget();
        if (!bit(live, row)) continue;
        if (ref !== null && !(filter as PushedFilter).test(ref.at(row))) continue;
        if (!updated.has(row)) {
          this.offer(best, new Picked(keyOf(reader.decay(row)), v, row, undefined));
        } else {
          const id = reader.id(row);
          this.offer(best, new Picked(keyOf(v.decay(row, id)), v, row, id));
        }
      }
    }
    for (const r of ctx.snap.memtableRecords(space)) {
      if (filter !== null && !filter.test(r)) continue;
      this.offer(best, new Picked(keyOf(r.decay), null, -1, r.id));
    }
  }

  /** Pushes `p` unless its key alone ranks it after the worst kept. */
  private offer(best: TopK<Picked>, p: Picked): void {
    if (!this.beaten(best, p.key)) best.push(p);
  }

  /**
   * Whether a row with order key `key` cannot get in: the heap is full and the key ranks after the
   * worst kept's (an equal key may still win on its id); LIMIT 0 keeps none.
   */
  private beaten(best: TopK<Picked>, key: number | string): boolean {
    if (!best.full) return false;
    const w = best.worst();
    return w === undefined || (this.desc ? key < w.key : key > w.key);
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
