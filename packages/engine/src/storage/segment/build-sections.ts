/**
 * Turns normalised SegmentContent into the ordered list of sections of the file (§2.4): every
 * column assembled in one large typed array, the embedding column streamed in ≤ 8 MiB chunks.
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

const EMBED_CHUNK = 8 * 1024 * 1024;
const packr = new Packr({ useRecords: false });

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function fixed(id: number, a: ArrayBufferView): SectionSource {
  const b = bytesOf(a);
  return { id, flags: 0, length: b.length, parts: () => [b] };
}

/** A fixed-width section of known length built only when it is written (overlaps the I/O). */
function lazy(id: number, length: number, build: () => ArrayBufferView): SectionSource {
  return { id, flags: 0, length, parts: () => [bytesOf(build())] };
}

function strings(offId: number, bytesId: number, s: BuiltStrings): SectionSource[] {
  return [
    { id: offId, flags: s.u64 ? FLAG_U64_OFFSETS : 0, length: s.offsets.length, parts: () => [s.offsets] },
    { id: bytesId, flags: 0, length: s.byteLength, parts: () => s.chunks },
  ];
}

function f64(n: number, get: (i: number) => number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = get(i);
  return a;
}

interface DecayArrays {
  count: Uint32Array; first: Float64Array; last: Float64Array; len: Uint8Array;
  times: Float64Array; decays: Float64Array; older: Float64Array;
}

function decayArrays(states: readonly DecayState[]): DecayArrays {
  const n = states.length;
  const K = RECENT_PRESENTATIONS;
  const a: DecayArrays = {
    count: new Uint32Array(n), first: new Float64Array(n), last: new Float64Array(n), len: new Uint8Array(n),
    times: new Float64Array(n * K), decays: new Float64Array(n * K), older: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const d = states[i] as DecayState;
    a.count[i] = d.count; a.first[i] = d.first; a.last[i] = d.last; a.older[i] = d.olderDecay;
    const m = d.recentTimes.length;
    a.len[i] = m;
    for (let j = 0; j < m; j++) {
      a.times[i * K + j] = d.recentTimes[j] as number;
      a.decays[i * K + j] = d.recentDecays[j] as number;
    }
  }
  return a;
}

/** The seven decay columns of a decay block starting at section id `base`, built on first write. */
export function decaySections(base: number, states: readonly DecayState[]): SectionSource[] {
  const n = states.length;
  const K = RECENT_PRESENTATIONS;
  let memo: DecayArrays | null = null;
  const get = (): DecayArrays => (memo ??= decayArrays(states));
  return [
    lazy(base + DECAY.count, 4 * n, () => get().count), lazy(base + DECAY.first, 8 * n, () => get().first),
    lazy(base + DECAY.last, 8 * n, () => get().last), lazy(base + DECAY.recentLen, n, () => get().len),
    lazy(base + DECAY.times, 8 * n * K, () => get().times), lazy(base + DECAY.decays, 8 * n * K, () => get().decays),
    lazy(base + DECAY.older, 8 * n, () => { const o = get().older; memo = null; return o; }),
  ];
}

function embeddingSection(rows: readonly SegmentRow[], dim: number): SectionSource {
  const perChunk = Math.max(1, Math.floor(EMBED_CHUNK / (dim * 4)));
  function* parts(): Iterable<Uint8Array> {
    const buf = new Float32Array(Math.min(perChunk, rows.length) * dim);
    for (let start = 0; start < rows.length; start += perChunk) {
      const end = Math.min(rows.length, start + perChunk);
      for (let r = start; r < end; r++) buf.set((rows[r] as SegmentRow).embedding, (r - start) * dim);
      yield new Uint8Array(buf.buffer, 0, (end - start) * dim * 4);
    }
  }
  return { id: S.embedding, flags: 0, length: rows.length * dim * 4, parts };
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
  const n = rows.length;
  const at = (i: number): SegmentRow => rows[i] as SegmentRow;
  const kind = (): Uint8Array => {
    const k = new Uint8Array(n);
    for (let i = 0; i < n; i++) k[i] = at(i).kind === 'semantic' ? 1 : 0;
    return k;
  };
  return [
    ...strings(S.rowIdOff, S.rowIdBytes, buildStrings(rows.map((r) => r.id))),
    ...strings(S.contentOff, S.contentBytes, buildStrings(rows.map((r) => r.content))),
    embeddingSection(rows, dim),
    lazy(S.created, 8 * n, () => f64(n, (i) => at(i).created)),
    lazy(S.recorded, 8 * n, () => f64(n, (i) => at(i).recorded)),
    lazy(S.kind, n, kind),
    lazy(S.confLo, 8 * n, () => f64(n, (i) => at(i).confidence.lo)),
    lazy(S.confHi, 8 * n, () => f64(n, (i) => at(i).confidence.hi)),
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
    lazy(S.weight, 8 * n, () => f64(n, (i) => at(i).weight)),
    lazy(S.aConfLo, 8 * n, () => f64(n, (i) => at(i).confidence.lo)),
    lazy(S.aConfHi, 8 * n, () => f64(n, (i) => at(i).confidence.hi)),
    lazy(S.aCreated, 8 * n, () => f64(n, (i) => at(i).created)),
    lazy(S.aRecorded, 8 * n, () => f64(n, (i) => at(i).recorded)),
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
