/**
 * Turns normalised SegmentContent into the ordered list of sections of the file (§2.4): string
 * columns built up front (the layout needs their lengths), fixed-width columns streamed in
 * ≤ 8 MiB chunks when they are written.
 * Implements docs/segment_format.md §2.4.
 */
import { MnemoError } from '@mnemo/native';
import { Packr } from 'msgpackr';
import type { Association, DecayState } from '../../model.js';
import { RECENT_PRESENTATIONS } from '../../model.js';
import { BlobBuilder, buildStrings } from './blob-builder.js';
import type { BuiltStrings } from './blob-builder.js';
import type { SegmentContent, SegmentRow } from './content.js';
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
    { id: bytesId, flags: 0, length: s.byteLength, parts: () => s.chunks },
  ];
}

type Column = Float64Array | Float32Array | Uint32Array | Uint8Array;
type ColumnCtor = { new (n: number): Column; readonly BYTES_PER_ELEMENT: number };

/**
 * A fixed-width column of n entries × `per` elements, produced when it is written, in chunks of
 * ≤ 8 MiB through one reused buffer: no column-sized allocation, and building overlaps the I/O.
 * `fill(out, from, to)` writes entries [from, to) at out[(i − from)·per …]; out starts zeroed.
 */
function chunked(id: number, n: number, per: number, Ctor: ColumnCtor, fill: (out: Column, from: number, to: number) => void): SectionSource {
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK / (per * Ctor.BYTES_PER_ELEMENT)));
  function* parts(): Iterable<Uint8Array> {
    const buf = new Ctor(Math.min(rowsPerChunk, n) * per);
    for (let from = 0; from < n; from += rowsPerChunk) {
      const to = Math.min(n, from + rowsPerChunk);
      if (from > 0) buf.fill(0);
      fill(buf, from, to);
      yield new Uint8Array(buf.buffer, 0, (to - from) * per * Ctor.BYTES_PER_ELEMENT);
    }
  }
  return { id, flags: 0, length: n * per * Ctor.BYTES_PER_ELEMENT, parts };
}

/** An f64 column with one value per entry. */
function f64Column<T>(id: number, items: readonly T[], get: (t: T) => number): SectionSource {
  return chunked(id, items.length, 1, Float64Array, (out, from, to) => {
    for (let i = from; i < to; i++) out[i - from] = get(items[i] as T);
  });
}

function recentColumn(id: number, states: readonly DecayState[], pick: (d: DecayState) => readonly number[]): SectionSource {
  const K = RECENT_PRESENTATIONS;
  return chunked(id, states.length, K, Float64Array, (out, from, to) => {
    for (let i = from; i < to; i++) {
      const w = pick(states[i] as DecayState);
      for (let j = 0; j < w.length; j++) out[(i - from) * K + j] = w[j] as number;
    }
  });
}

/** The seven decay columns of a decay block starting at section id `base`. */
export function decaySections(base: number, states: readonly DecayState[]): SectionSource[] {
  const n = states.length;
  return [
    chunked(base + DECAY.count, n, 1, Uint32Array, (out, from, to) => {
      for (let i = from; i < to; i++) out[i - from] = (states[i] as DecayState).count;
    }),
    f64Column(base + DECAY.first, states, (d) => d.first),
    f64Column(base + DECAY.last, states, (d) => d.last),
    chunked(base + DECAY.recentLen, n, 1, Uint8Array, (out, from, to) => {
      for (let i = from; i < to; i++) out[i - from] = (states[i] as DecayState).recentTimes.length;
    }),
    recentColumn(base + DECAY.times, states, (d) => d.recentTimes),
    recentColumn(base + DECAY.decays, states, (d) => d.recentDecays),
    f64Column(base + DECAY.older, states, (d) => d.olderDecay),
  ];
}

function embeddingSection(rows: readonly SegmentRow[], dim: number): SectionSource {
  return chunked(S.embedding, rows.length, dim, Float32Array, (out, from, to) => {
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

function rowSections(rows: readonly SegmentRow[], dim: number): SectionSource[] {
  return [
    ...strings(S.rowIdOff, S.rowIdBytes, buildStrings(rows.map((r) => r.id))),
    ...strings(S.contentOff, S.contentBytes, buildStrings(rows.map((r) => r.content))),
    embeddingSection(rows, dim),
    f64Column(S.created, rows, (r) => r.created),
    f64Column(S.recorded, rows, (r) => r.recorded),
    chunked(S.kind, rows.length, 1, Uint8Array, (out, from, to) => {
      for (let i = from; i < to; i++) out[i - from] = (rows[i] as SegmentRow).kind === 'semantic' ? 1 : 0;
    }),
    f64Column(S.confLo, rows, (r) => r.confidence.lo),
    f64Column(S.confHi, rows, (r) => r.confidence.hi),
    ...strings(S.metaOff, S.metaBytes, metaStrings(rows)),
    ...decaySections(S.rowDecay, rows.map((r) => r.decay)),
  ];
}

/** Sorted, unique kinds used by associations and association tombstones. */
export function kindDictionary(c: SegmentContent): string[] {
  const set = new Set<string>();
  for (const a of c.associations) set.add(a.kind);
  for (const t of c.assocTombstones) if (t.kind !== null) set.add(t.kind);
  return [...set].sort(compareIds);
}

function assocSections(assocs: readonly Association[], kindIndex: Map<string, number>): SectionSource[] {
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
    ...strings(S.fromOff, S.fromBytes, buildStrings(froms)),
    fixed(S.groupStart, Uint32Array.from(starts)),
    ...strings(S.toOff, S.toBytes, buildStrings(assocs.map((a) => a.to))),
    fixed(S.assocKind, kind),
    f64Column(S.weight, assocs, (a) => a.weight),
    f64Column(S.aConfLo, assocs, (a) => a.confidence.lo),
    f64Column(S.aConfHi, assocs, (a) => a.confidence.hi),
    f64Column(S.aCreated, assocs, (a) => a.created),
    f64Column(S.aRecorded, assocs, (a) => a.recorded),
  ];
}

/** All sections of a normalised content, in file order, plus the counts the header records. */
export function buildSections(c: SegmentContent): { sections: SectionSource[]; kinds: number; groups: number } {
  const kinds = kindDictionary(c);
  const kindIndex = new Map(kinds.map((k, i) => [k, i]));
  const assoc = assocSections(c.associations, kindIndex);
  const atKind = Uint32Array.from(c.assocTombstones, (t) => (t.kind === null ? NULL_KIND : (kindIndex.get(t.kind) as number)));
  const sections = [
    ...rowSections(c.rows, c.dim),
    ...strings(S.duIdOff, S.duIdBytes, buildStrings(c.decayUpdates.map((u) => u.id))),
    ...decaySections(S.duDecay, c.decayUpdates.map((u) => u.decay)),
    ...strings(S.tombIdOff, S.tombIdBytes, buildStrings(c.tombstones)),
    ...strings(S.kindOff, S.kindBytes, buildStrings(kinds)),
    ...assoc,
    ...strings(S.atFromOff, S.atFromBytes, buildStrings(c.assocTombstones.map((t) => t.from))),
    ...strings(S.atToOff, S.atToBytes, buildStrings(c.assocTombstones.map((t) => t.to))),
    fixed(S.atKind, atKind),
  ];
  const groups = (assoc[2] as SectionSource).length / 4 - 1;
  return { sections, kinds: kinds.length, groups };
}
