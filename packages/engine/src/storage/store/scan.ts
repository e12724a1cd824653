/**
 * Ordered scan of a space over all layers (docs/storage.md, "LSM read rules"): a k-way merge of
 * the sorted id lists of the memtables and the segments' row ids. Ties go to the newest layer, so
 * the first stream yielding an id is the newest layer that holds it: when that is a segment, no
 * memtable has the id and no newer segment has a row for it, so only the newer segments'
 * tombstones and decay updates need checking (and only when they have any) — no lookups at all in
 * the common case. Memtable winners take the general `View.get` path. A filtered scan tests a
 * segment row's stored columns through a RowRef before it reads the record, so the rows the filter
 * rejects are never materialised.
 */
import type { DecayState, MemoryRecord } from '../../model.js';
import { compareIds } from '../memtable/index.js';
import { SegmentRowRef, type RowPredicate, type RowRef } from './row-ref.js';
import type { SegLayer } from './seg-layer.js';
import type { View } from './view.js';

interface Stream {
  /** Next id, or undefined at the end. */
  head: string | undefined;
  /** Row of `head` (segments), -1 for memtables. */
  row: number;
  advance(): void;
}

function memStream(ids: readonly string[]): Stream {
  let i = 0;
  const s: Stream = { head: ids[0], row: -1, advance: () => void (s.head = ids[++i]) };
  return s;
}

function segStream(seg: SegLayer): Stream {
  const s: Stream = {
    head: seg.rows > 0 ? seg.idAt(0) : undefined,
    row: 0,
    advance: () => {
      s.row += 1;
      s.head = s.row < seg.rows ? seg.idAt(s.row) : undefined;
    },
  };
  return s;
}

/** Whether `id`, whose newest holder is segment `i`, is shadowed by a newer segment's tombstone. */
function tombstonedAbove(segs: readonly SegLayer[], i: number, id: string): boolean {
  for (let j = 0; j < i; j++) {
    const newer = segs[j] as SegLayer;
    if (newer.tombstones().length > 0 && newer.isTombstoned(id)) return true;
  }
  return false;
}

/** The visible record of `id` whose newest holder is segment `i` at `row`. */
function fromSegment(segs: readonly SegLayer[], i: number, row: number, id: string): MemoryRecord | undefined {
  if (tombstonedAbove(segs, i, id)) return undefined;
  let decay: DecayState | undefined;
  for (let j = 0; j < i && decay === undefined; j++) {
    const newer = segs[j] as SegLayer;
    if (newer.decayUpdateIds().length > 0) decay = newer.decayUpdate(id);
  }
  const r = (segs[i] as SegLayer).record(row);
  return decay === undefined ? r : { ...r, decay };
}

interface Winner {
  id: string;
  /** Layer index: memtables first, then segments newest first. */
  layer: number;
  row: number;
}

/** Each candidate id once, in id order, with the newest layer that holds it. */
function* winners(view: View, space: string): Generator<Winner> {
  const streams: Stream[] = [];
  for (const mt of view.version.memtables) streams.push(memStream(mt.space(space)?.ids() ?? []));
  for (const seg of view.version.segmentsOf(space)) streams.push(segStream(seg));
  let last: string | undefined;
  for (;;) {
    let best = -1;
    let bestId: string | undefined;
    for (let k = 0; k < streams.length; k++) {
      const h = (streams[k] as Stream).head;
      if (h !== undefined && (bestId === undefined || compareIds(h, bestId) < 0)) {
        best = k;
        bestId = h;
      }
    }
    if (best < 0 || bestId === undefined) return;
    const s = streams[best] as Stream;
    const row = s.row;
    s.advance();
    if (bestId === last) continue;
    last = bestId;
    yield { id: bestId, layer: best, row };
  }
}

/**
 * Live memories of `space` in id order, as seen by `view`; with `filter`, only those it accepts
 * (it sees stored columns only, which decay updates and tombstones above a row never change).
 */
export function* scanSpace(view: View, space: string, filter?: RowPredicate): Generator<MemoryRecord> {
  const memCount = view.version.memtables.length;
  const segs = view.version.segmentsOf(space);
  // one reusable RowRef per segment, made when the filter first looks at one of its rows
  const refs: (SegmentRowRef | undefined)[] = [];
  for (const w of winners(view, space)) {
    if (w.layer < memCount) {
      const r = filter === undefined ? view.get(space, w.id) : view.getIf(space, w.id, filter);
      if (r !== undefined) yield r;
      continue;
    }
    const i = w.layer - memCount;
    if (filter !== undefined) {
      const ref = (refs[i] ??= new SegmentRowRef((segs[i] as SegLayer).reader));
      if (!filter(ref.at(w.row))) continue;
    }
    const r = fromSegment(segs, i, w.row, w.id);
    if (r !== undefined) yield r;
  }
}

/**
 * The stored columns of every live memory of `space`, in id order, without reading records: for a
 * segment row, one RowRef per segment repositioned at each step (valid until the next step); for
 * a memtable winner, its record. What an ordered top-k needs to pick rows before reading them.
 */
export function* scanRefs(view: View, space: string): Generator<RowRef> {
  const memCount = view.version.memtables.length;
  const segs = view.version.segmentsOf(space);
  const refs: (SegmentRowRef | undefined)[] = [];
  for (const w of winners(view, space)) {
    if (w.layer < memCount) {
      const r = view.refOf(space, w.id);
      if (r !== undefined) yield r;
      continue;
    }
    const i = w.layer - memCount;
    if (tombstonedAbove(segs, i, w.id)) continue;
    yield (refs[i] ??= new SegmentRowRef((segs[i] as SegLayer).reader)).at(w.row);
  }
}

/** Number of live memories of `space`, without materialising segment records. */
export function countSpace(view: View, space: string): number {
  const memCount = view.version.memtables.length;
  const segs = view.version.segmentsOf(space);
  let n = 0;
  for (const w of winners(view, space)) {
    if (w.layer < memCount ? view.has(space, w.id) : !tombstonedAbove(segs, w.layer - memCount, w.id)) n++;
  }
  return n;
}
