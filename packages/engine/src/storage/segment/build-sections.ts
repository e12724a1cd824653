/**
 * Turns normalised SegmentContent into the ordered list of sections of the file (§2.4): every
 * length is known up front (the layout needs them; text columns by one byteLength pass, meta by
 * packing it), and the bytes of fixed-width and text columns are produced in ≤ 8 MiB chunks of
 * one scratch buffer when they are written.
 * Implements docs/segment_format.md §2.4.
 */
import { MnemoError } from '@mnemo/native';
import { Packr } from 'msgpackr';
import type { Association, DecayState } from '../../model.js';
import { RECENT_PRESENTATIONS } from '../../model.js';
import { BlobBuilder, buildStrings, streamStrings } from './blob-builder.js';
import type { BuiltStrings } from './blob-builder.js';
import type { AssocTombstone, DecayUpdate, SegmentContent, SegmentRow } from './content.js';
import { compareIds } from './id-order.js';
import { DECAY, FLAG_U64_OFFSETS, NULL_KIND, S } from './layout.js';

/** One section to write: its id, flags, exact length and a producer of its bytes in order. */
export interface SectionSource {
  id: number;
  flags: number;
  length: number;
  parts: () => Iterable<Uint8Array>;
}

const CHUNK = 8 * 1024 * 1024;
// moreTypes: typed arrays, Sets, Errors and RegExps keep their types (ext 0x74/0x73/0x65/0x78).
// Without it msgpackr 1.12 writes a non-byte typed array as `bin` of its elements truncated to
// bytes, padded with whatever its scratch buffer held: silent corruption and a leak of old bytes.
const packr = new Packr({ useRecords: false, moreTypes: true });

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function fixed(id: number, a: ArrayBufferView): SectionSource {
  const b = bytesOf(a);
  return { id, flags: 0, length: b.length, parts: () => [b] };
}

function strings(offId: number, bytesId: number, s: BuiltStrings): SectionSource[] {
  return [
    { id: offId, flags: s.u64 ? FLAG_U64_OFFSETS : 0, length: s.offsets.length, parts: () => [s.offsets] },
    { id: bytesId, flags: 0, length: s.byteLength, parts: s.parts },
  ];
}

type Column = Float64Array | Float32Array | Uint32Array | Uint8Array;
type ColumnCtor = { new (buf: ArrayBuffer, offset: number, n: number): Column; readonly BYTES_PER_ELEMENT: number };

/**
 * The one 8 MiB buffer every chunked column of a segment is produced in, one chunk at a time.
 * Sections are written one after the other and the writer copies each chunk before asking for
 * the next, so they can share it: a segment allocates 8 MiB of scratch instead of one buffer per
 * column (at 1M rows that was ~100 MiB of fresh ArrayBuffers, enough to trigger a full GC over
 * the caller's rows). Per writeSegment call, never shared between concurrent writes.
 */
export type Scratch = ArrayBuffer;
export const newScratch = (): Scratch => new ArrayBuffer(CHUNK);

/**
 * A fixed-width column of n entries × `per` elements, produced when it is written, in chunks of
 * ≤ 8 MiB through the scratch buffer: no column-sized allocation, and building overlaps the I/O.
 * `fill(out, from, to)` writes entries [from, to) at out[(i − from)·per …]; out starts zeroed.
 */
function chunked(sc: Scratch, id: number, n: number, per: number, Ctor: ColumnCtor, fill: (out: Column, from: number, to: number) => void): SectionSource {
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK / (per * Ctor.BYTES_PER_ELEMENT)));
  function* parts(): Iterable<Uint8Array> {
    // One entry wider than the scratch (dim > 2M floats cannot happen: MAX_DIM) gets its own buffer.
    const own = per * Ctor.BYTES_PER_ELEMENT > sc.byteLength;
    const buf = new Ctor(own ? new ArrayBuffer(per * Ctor.BYTES_PER_ELEMENT) : sc, 0, Math.min(rowsPerChunk, n) * per);
    for (let from = 0; from < n; from += rowsPerChunk) {
      const to = Math.min(n, from + rowsPerChunk);
      buf.fill(0);
      fill(buf, from, to);
      yield new Uint8Array(buf.buffer, 0, (to - from) * per * Ctor.BYTES_PER_ELEMENT);
    }
  }
  return { id, flags: 0, length: n * per * Ctor.BYTES_PER_ELEMENT, parts };
}

/** An f64 column with one value per entry. */
function f64Column<T>(sc: Scratch, id: number, items: readonly T[], get: (t: T) => number): SectionSource {
  return chunked(sc, id, items.length, 1, Float64Array, (out, from, to) => {
    for (let i = from; i < to; i++) out[i - from] = get(items[i] as T);
  });
}

function recentColumn(sc: Scratch, id: number, states: readonly DecayState[], pick: (d: DecayState) => readonly number[]): SectionSource {
  const K = RECENT_PRESENTATIONS;
  return chunked(sc, id, states.length, K, Float64Array, (out, from, to) => {
    for (let i = from; i < to; i++) {
      const w = pick(states[i] as DecayState);
      for (let j = 0; j < w.length; j++) out[(i - from) * K + j] = w[j] as number;
    }
  });
}

/** The seven decay columns of a decay block starting at section id `base`. */
export function decaySections(sc: Scratch, base: number, states: readonly DecayState[]): SectionSource[] {
  const n = states.length;
  return [
    chunked(sc, base + DECAY.count, n, 1, Uint32Array, (out, from, to) => {
      for (let i = from; i < to; i++) out[i - from] = (states[i] as DecayState).count;
    }),
    f64Column(sc, base + DECAY.first, states, (d) => d.first),
    f64Column(sc, base + DECAY.last, states, (d) => d.last),
    chunked(sc, base + DECAY.recentLen, n, 1, Uint8Array, (out, from, to) => {
      for (let i = from; i < to; i++) out[i - from] = (states[i] as DecayState).recentTimes.length;
    }),
    recentColumn(sc, base + DECAY.times, states, (d) => d.recentTimes),
    recentColumn(sc, base + DECAY.decays, states, (d) => d.recentDecays),
    f64Column(sc, base + DECAY.older, states, (d) => d.olderDecay),
  ];
}

function embeddingSection(sc: Scratch, rows: readonly SegmentRow[], dim: number): SectionSource {
  return chunked(sc, S.embedding, rows.length, dim, Float32Array, (out, from, to) => {
    for (let r = from; r < to; r++) out.set((rows[r] as SegmentRow).embedding, (r - from) * dim);
  });
}

function packMeta(r: SegmentRow): Uint8Array {
  try {
    return packr.pack(r.meta);
  } catch (e) {
    throw new MnemoError('INVALID_ARGUMENT', `segment content: row ${JSON.stringify(r.id)}: meta cannot be encoded as msgpack: ${(e as Error).message}`, { id: r.id });
  }
}

function metaStrings(rows: readonly SegmentRow[]): BuiltStrings {
  const b = new BlobBuilder(rows.length);
  for (const r of rows) {
    if (r.meta === null || r.meta === undefined) b.addEmpty();
    else b.addBytes(packMeta(r));
  }
  return b.finish();
}

function rowSections(sc: Scratch, rows: readonly SegmentRow[], dim: number): SectionSource[] {
  return [
    ...strings(S.rowIdOff, S.rowIdBytes, streamStrings(rows.length, (i) => (rows[i] as SegmentRow).id, sc)),
    ...strings(S.contentOff, S.contentBytes, streamStrings(rows.length, (i) => (rows[i] as SegmentRow).content, sc)),
    embeddingSection(sc, rows, dim),
    f64Column(sc, S.created, rows, (r) => r.created),
    f64Column(sc, S.recorded, rows, (r) => r.recorded),
    chunked(sc, S.kind, rows.length, 1, Uint8Array, (out, from, to) => {
      for (let i = from; i < to; i++) out[i - from] = (rows[i] as SegmentRow).kind === 'semantic' ? 1 : 0;
    }),
    f64Column(sc, S.confLo, rows, (r) => r.confidence.lo),
    f64Column(sc, S.confHi, rows, (r) => r.confidence.hi),
    ...strings(S.metaOff, S.metaBytes, metaStrings(rows)),
    ...decaySections(sc, S.rowDecay, rows.map((r) => r.decay)),
  ];
}

/** Sorted, unique kinds used by associations and association tombstones. */
export function kindDictionary(c: SegmentContent): string[] {
  const set = new Set<string>();
  for (const a of c.associations) set.add(a.kind);
  for (const t of c.assocTombstones) if (t.kind !== null) set.add(t.kind);
  return [...set].sort(compareIds);
}

function assocSections(sc: Scratch, assocs: readonly Association[], kindIndex: Map<string, number>): SectionSource[] {
  const n = assocs.length;
  const at = (i: number): Association => assocs[i] as Association;
  const froms: string[] = [];
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0 || at(i).from !== at(i - 1).from) { froms.push(at(i).from); starts.push(i); }
  }
  starts.push(n);
  const kind = new Uint32Array(n);
  for (let i = 0; i < n; i++) kind[i] = kindIndex.get(at(i).kind) as number;
  return [
    ...strings(S.fromOff, S.fromBytes, buildStrings(froms, sc)),
    fixed(S.groupStart, Uint32Array.from(starts)),
    ...strings(S.toOff, S.toBytes, streamStrings(n, (i) => at(i).to, sc)),
    fixed(S.assocKind, kind),
    f64Column(sc, S.weight, assocs, (a) => a.weight),
    f64Column(sc, S.aConfLo, assocs, (a) => a.confidence.lo),
    f64Column(sc, S.aConfHi, assocs, (a) => a.confidence.hi),
    f64Column(sc, S.aCreated, assocs, (a) => a.created),
    f64Column(sc, S.aRecorded, assocs, (a) => a.recorded),
  ];
}

/** All sections of a normalised content, in file order, plus the counts the header records. */
export function buildSections(c: SegmentContent): { sections: SectionSource[]; kinds: number; groups: number } {
  const sc = newScratch();
  const kinds = kindDictionary(c);
  const kindIndex = new Map(kinds.map((k, i) => [k, i]));
  const assoc = assocSections(sc, c.associations, kindIndex);
  const atKind = Uint32Array.from(c.assocTombstones, (t) => (t.kind === null ? NULL_KIND : (kindIndex.get(t.kind) as number)));
  const sections = [
    ...rowSections(sc, c.rows, c.dim),
    ...strings(S.duIdOff, S.duIdBytes, streamStrings(c.decayUpdates.length, (i) => (c.decayUpdates[i] as DecayUpdate).id, sc)),
    ...decaySections(sc, S.duDecay, c.decayUpdates.map((u) => u.decay)),
    ...strings(S.tombIdOff, S.tombIdBytes, buildStrings(c.tombstones, sc)),
    ...strings(S.kindOff, S.kindBytes, buildStrings(kinds, sc)),
    ...assoc,
    ...strings(S.atFromOff, S.atFromBytes, streamStrings(c.assocTombstones.length, (i) => (c.assocTombstones[i] as AssocTombstone).from, sc)),
    ...strings(S.atToOff, S.atToBytes, streamStrings(c.assocTombstones.length, (i) => (c.assocTombstones[i] as AssocTombstone).to, sc)),
    fixed(S.atKind, atKind),
  ];
  const groups = (assoc[2] as SectionSource).length / 4 - 1;
  return { sections, kinds: kinds.length, groups };
}
