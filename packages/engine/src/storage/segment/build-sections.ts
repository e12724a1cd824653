/**
 * Turns normalised SegmentContent into the ordered list of sections of the file (§2.4): every
 * length is known up front (the layout needs them; text columns by one byteLength pass, meta by
 * packing it), and the bytes of fixed-width and text columns are produced in ≤ 1 MiB chunks of
 * one scratch buffer when they are written.
 * Implements docs/segment_format.md §2.4.
 */
import type { Association } from '../../model.js';
import { BlobBuilder, buildStrings, streamStrings } from './blob-builder.js';
import type { BuiltStrings } from './blob-builder.js';
import type { AssocTombstone, DecayUpdate, SegmentContent, SegmentRow } from './content.js';
import { planRowSections, planWindowSlots, type RowPlan } from './copy-rows.js';
import { compareIds } from './id-order.js';
import { packMeta } from './meta-pack.js';
import { NULL_KIND, S } from './layout.js';
import { decaySections, rowScalarSections } from './row-scalars.js';
import { chunked, newScratch, strings, type Scratch, type SectionSource } from './section-source.js';

export type { SectionSource } from './section-source.js';


const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function fixed(id: number, a: ArrayBufferView): SectionSource {
  const b = bytesOf(a);
  return { id, flags: 0, length: b.length, parts: () => [b] };
}

/** An f64 column with one value per entry. */
function f64Column<T>(sc: Scratch, id: number, items: readonly T[], get: (t: T) => number): SectionSource {
  return chunked(sc, id, items.length, 1, Float64Array, (out, from, to) => {
    for (let i = from; i < to; i++) out[i - from] = get(items[i] as T);
  }, true);
}

function embeddingSection(sc: Scratch, rows: readonly SegmentRow[], dim: number): SectionSource {
  return chunked(sc, S.embedding, rows.length, dim, Float32Array, (out, from, to) => {
    for (let r = from; r < to; r++) out.set((rows[r] as SegmentRow).embedding, (r - from) * dim);
  }, true);
}

function metaStrings(rows: readonly SegmentRow[]): BuiltStrings {
  const b = new BlobBuilder(rows.length);
  for (const r of rows) {
    if (r.meta === null || r.meta === undefined) b.addEmpty();
    else b.addBytes(packMeta(r.meta, r.id));
  }
  return b.finish();
}

function rowSections(sc: Scratch, rows: readonly SegmentRow[], dim: number, K: number): SectionSource[] {
  const scalars = rowScalarSections(sc, rows, K);
  return [
    ...strings(S.rowIdOff, S.rowIdBytes, streamStrings(rows.length, (i) => (rows[i] as SegmentRow).id, sc)),
    ...strings(S.contentOff, S.contentBytes, streamStrings(rows.length, (i) => (rows[i] as SegmentRow).content, sc)),
    embeddingSection(sc, rows, dim),
    ...scalars.times,
    ...strings(S.metaOff, S.metaBytes, metaStrings(rows)),
    ...scalars.decay,
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

/**
 * The window slots K of the file's decay blocks (header recentK): the longest recent-presentation
 * window among its rows and decay updates, at least 1. A memory seen once has a window of one, so
 * a segment of such memories stores 16 bytes of windows a row instead of 16 per slot of the
 * model's RECENT_PRESENTATIONS (docs/segment_format.md §2.4).
 */
function windowSlots(c: SegmentContent, plan: RowPlan | undefined): number {
  let k = 0;
  if (plan !== undefined) k = planWindowSlots(plan);
  else for (const r of c.rows) k = Math.max(k, r.decay.recentTimes.length);
  for (const u of c.decayUpdates) k = Math.max(k, u.decay.recentTimes.length);
  return Math.max(1, k);
}

/**
 * All sections of a normalised content, in file order, plus the counts and window slots the header
 * records. With `plan` (compaction), the row sections are copied from the input segments' columns
 * and `c.rows` is ignored.
 */
export function buildSections(c: SegmentContent, plan?: RowPlan): { sections: SectionSource[]; kinds: number; groups: number; recentK: number } {
  const sc = newScratch();
  const recentK = windowSlots(c, plan);
  const kinds = kindDictionary(c);
  const kindIndex = new Map(kinds.map((k, i) => [k, i]));
  const assoc = assocSections(sc, c.associations, kindIndex);
  const atKind = Uint32Array.from(c.assocTombstones, (t) => (t.kind === null ? NULL_KIND : (kindIndex.get(t.kind) as number)));
  const sections = [
    ...(plan === undefined ? rowSections(sc, c.rows, c.dim, recentK) : planRowSections(sc, plan, c.dim, recentK)),
    ...strings(S.duIdOff, S.duIdBytes, streamStrings(c.decayUpdates.length, (i) => (c.decayUpdates[i] as DecayUpdate).id, sc)),
    ...decaySections(sc, S.duDecay, c.decayUpdates.map((u) => u.decay), recentK),
    ...strings(S.tombIdOff, S.tombIdBytes, buildStrings(c.tombstones, sc)),
    ...strings(S.kindOff, S.kindBytes, buildStrings(kinds, sc)),
    ...assoc,
    ...strings(S.atFromOff, S.atFromBytes, streamStrings(c.assocTombstones.length, (i) => (c.assocTombstones[i] as AssocTombstone).from, sc)),
    ...strings(S.atToOff, S.atToBytes, streamStrings(c.assocTombstones.length, (i) => (c.assocTombstones[i] as AssocTombstone).to, sc)),
    fixed(S.atKind, atKind),
  ];
  const groups = (assoc[2] as SectionSource).length / 4 - 1;
  return { sections, kinds: kinds.length, groups, recentK };
}
