/**
 * The unit the segment writer streams: a section (id, flags, exact length, producer of its bytes)
 * and the two producers shared by the object path (build-sections.ts) and the compaction copy path
 * (copy-rows.ts): fixed-width columns built in ≤ 1 MiB chunks of one scratch buffer, and strings
 * section pairs. Implements the section encodings of docs/segment_format.md §2.4.
 */
import type { BuiltStrings } from './blob-builder.js';
import { FLAG_U64_OFFSETS } from './layout.js';

/** One section to write: its id, flags, exact length and a producer of its bytes in order. */
export interface SectionSource {
  id: number;
  flags: number;
  length: number;
  parts: () => Iterable<Uint8Array>;
}

const CHUNK = 1024 * 1024;

/**
 * The one 1 MiB buffer every chunked column of a segment is produced in, one chunk at a time.
 * Sections are written one after the other and the writer copies each chunk before asking for
 * the next, so they can share it: a segment allocates 1 MiB of scratch instead of one buffer per
 * column (at 1M rows that was ~100 MiB of fresh ArrayBuffers, enough to trigger a full GC over
 * the caller's rows). Per writeSegment call, never shared between concurrent writes. 1 MiB (it
 * was 8) keeps each chunk's building short, so a flush on the main thread can pause between
 * chunks (write-segment.ts, Pause).
 */
export type Scratch = ArrayBuffer;
export const newScratch = (): Scratch => new ArrayBuffer(CHUNK);

export type Column = Float64Array | Float32Array | Uint32Array | Uint8Array;
type ColumnCtor = { new (buf: ArrayBuffer, offset: number, n: number): Column; readonly BYTES_PER_ELEMENT: number };

/**
 * A fixed-width column of n entries × `per` elements, produced when it is written, in chunks of
 * ≤ 1 MiB through the scratch buffer: no column-sized allocation, and building overlaps the I/O.
 * `fill(out, from, to)` writes entries [from, to) at out[(i − from)·per …]; out starts zeroed
 * unless `dense` (fill writes every element, so zeroing the chunk first would be wasted work).
 */
export function chunked(sc: Scratch, id: number, n: number, per: number, Ctor: ColumnCtor, fill: (out: Column, from: number, to: number) => void, dense = false): SectionSource {
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK / (per * Ctor.BYTES_PER_ELEMENT)));
  function* parts(): Iterable<Uint8Array> {
    // One entry wider than the scratch (dim > 2M floats cannot happen: MAX_DIM) gets its own buffer.
    const own = per * Ctor.BYTES_PER_ELEMENT > sc.byteLength;
    const buf = new Ctor(own ? new ArrayBuffer(per * Ctor.BYTES_PER_ELEMENT) : sc, 0, Math.min(rowsPerChunk, n) * per);
    for (let from = 0; from < n; from += rowsPerChunk) {
      const to = Math.min(n, from + rowsPerChunk);
      if (!dense) buf.fill(0);
      fill(buf, from, to);
      yield new Uint8Array(buf.buffer, 0, (to - from) * per * Ctor.BYTES_PER_ELEMENT);
    }
  }
  return { id, flags: 0, length: n * per * Ctor.BYTES_PER_ELEMENT, parts };
}

/** The two sections (offsets, bytes) of a strings column. */
export function strings(offId: number, bytesId: number, s: BuiltStrings): SectionSource[] {
  return [
    { id: offId, flags: s.u64 ? FLAG_U64_OFFSETS : 0, length: s.offsets.length, parts: () => [s.offsets] },
    { id: bytesId, flags: 0, length: s.byteLength, parts: s.parts },
  ];
}
