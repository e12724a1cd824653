/**
 * Live-row bitmaps for the vector index (docs/storage.md, "Per-segment access"): bit r of a
 * segment's bitmap is set when row r is the visible version of its memory — no newer segment
 * holds a row or tombstone for the id, and no memtable (at the snapshot's seq) holds a record or
 * tombstone for it. The segments-only part is cached on the Version (immutable); the memtable part
 * is applied per snapshot. Cost: a binary search per shadowing id of the newer layers; after a
 * flush only the new segments are checked (the older bitmaps are extended, not recomputed).
 */
import type { SegmentHandle } from './segment-handle.js';
import type { View } from './view.js';

function clearBit(bits: Uint8Array, row: number): void {
  bits[row >> 3] = (bits[row >> 3] as number) & ~(1 << (row & 7));
}

/** Clears the rows of `seg` that segment `newer` holds as a row or a tombstone. */
function shadowBy(bits: Uint8Array, seg: SegmentHandle, newer: SegmentHandle): void {
  for (let r = 0; r < newer.rows; r++) {
    const row = seg.findRow(newer.idAt(r));
    if (row >= 0) clearBit(bits, row);
  }
  for (const id of newer.tombstones()) {
    const row = seg.findRow(id);
    if (row >= 0) clearBit(bits, row);
  }
}

/**
 * The last segments-only bitmap computed for a segment, with the newer segments it was computed
 * against. A flush only puts new segments on top, so the next Version extends it by checking the
 * new segments alone instead of starting over (each Version has its own cache).
 */
const lastComputed = new WeakMap<SegmentHandle, { above: readonly SegmentHandle[]; bits: Uint8Array }>();

/** Whether `above` ends with `tail` (the same handles, in order). */
function endsWith(above: readonly SegmentHandle[], tail: readonly SegmentHandle[]): boolean {
  if (tail.length > above.length) return false;
  const off = above.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (above[off + i] !== tail[i]) return false;
  return true;
}

function segmentsOnly(view: View, space: string, seg: SegmentHandle): Uint8Array {
  const cached = view.version.bitmapCache.get(seg);
  if (cached !== undefined) return cached;
  const list = view.version.segmentsOf(space);
  const above = list.slice(0, list.indexOf(seg));
  const last = lastComputed.get(seg);
  let bits: Uint8Array;
  let fresh: readonly SegmentHandle[] = above;
  if (last !== undefined && endsWith(above, last.above)) {
    bits = last.bits.slice();
    fresh = above.slice(0, above.length - last.above.length);
  } else {
    bits = new Uint8Array((seg.rows + 7) >> 3).fill(0xff);
    if (seg.rows % 8 !== 0) bits[bits.length - 1] = (1 << seg.rows % 8) - 1;
  }
  for (const newer of fresh) shadowBy(bits, seg, newer);
  view.version.bitmapCache.set(seg, bits);
  lastComputed.set(seg, { above, bits });
  return bits;
}

export function liveBitmap(view: View, space: string, seg: SegmentHandle): Uint8Array {
  const bits = segmentsOnly(view, space, seg).slice();
  for (const mt of view.version.memtables) {
    const table = mt.space(space);
    if (table === undefined) continue;
    for (const id of table.ids()) {
      const v = table.memoryAt(id, view.seq);
      if (v === undefined || v.t === 'decay') continue;
      const row = seg.findRow(id);
      if (row >= 0) clearBit(bits, row);
    }
  }
  return bits;
}
