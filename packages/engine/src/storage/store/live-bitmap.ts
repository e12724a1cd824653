/**
 * Live-row bitmaps for the vector index (docs/storage.md, "Per-segment access"): bit r of a
 * segment's bitmap is set when row r is the visible version of its memory — no newer segment
 * holds a row or tombstone for the id, and no memtable (at the snapshot's seq) holds a record or
 * tombstone for it. The segments-only part is cached on the Version (immutable); the memtable part
 * is applied per snapshot. Cost: a binary search per shadowing id of the newer layers.
 */
import type { SegmentHandle } from './segment-handle.js';
import type { View } from './view.js';

function clearBit(bits: Uint8Array, row: number): void {
  bits[row >> 3] = (bits[row >> 3] as number) & ~(1 << (row & 7));
}

function segmentsOnly(view: View, space: string, seg: SegmentHandle): Uint8Array {
  const cached = view.version.bitmapCache.get(seg);
  if (cached !== undefined) return cached;
  const bits = new Uint8Array((seg.rows + 7) >> 3).fill(0xff);
  if (seg.rows % 8 !== 0) bits[bits.length - 1] = (1 << seg.rows % 8) - 1;
  for (const newer of view.version.segmentsOf(space)) {
    if (newer === seg) break;
    for (let r = 0; r < newer.rows; r++) {
      const row = seg.findRow(newer.idAt(r));
      if (row >= 0) clearBit(bits, row);
    }
    for (const id of newer.tombstones()) {
      const row = seg.findRow(id);
      if (row >= 0) clearBit(bits, row);
    }
  }
  view.version.bitmapCache.set(seg, bits);
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
