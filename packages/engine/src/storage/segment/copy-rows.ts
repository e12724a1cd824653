/**
 * Compaction's row sections copied column by column from the input segments' mappings
 * (docs/segment_format.md §1 "Compaction", §2.4): a RowPlan says, for every output row, which
 * input row it is and where its decay state comes from, and the sections are produced from the
 * mapped columns — byte ranges of the strings, raw bits of the embeddings — without a row object.
 * The bytes are those the object path (build-sections.ts) writes for the same rows.
 */
import { offsetBytes } from './blob-builder.js';
import type { DecayArrays, DecayColumns } from './decay-columns.js';
import { DECAY, S } from './layout.js';
import type { RowColumns } from './row-columns.js';
import { chunked, strings, type Column, type Scratch, type SectionSource } from './section-source.js';
import type { StringColumn } from './string-column.js';

/** A strings column as the copy reads it: entry i is bytes[start(i), end(i)). */
export interface StringsSource {
  readonly bytes: Uint8Array;
  readonly length: number;
  start(i: number): number;
  end(i: number): number;
}

/** The decay columns as the copy reads them (DecayColumns of a segment, or a memtable block's). */
export type DecaySource = DecayArrays;

/** The row columns as the copy reads them (RowColumns of a segment, or a memtable block's: column-block.ts). */
export type RowSource = Pick<RowColumns, 'embedding' | 'created' | 'recorded' | 'kind' | 'confLo' | 'confHi'> & {
  ids: StringsSource;
  content: StringsSource;
  meta: StringsSource;
  decay: DecaySource;
};

/** What a plan copies rows and decay states from. */
export interface PlanInput { rows: RowSource; du: DecaySource }

/** The verified, mapped columns of one input (SegmentReader.copyColumns()). */
export interface CopyColumns extends PlanInput { rows: RowColumns; duIds: StringColumn; du: DecayColumns; tombs: StringColumn }

/** Where every output row comes from; arrays are sized for the inputs' total row count. */
export interface RowPlan {
  inputs: readonly PlanInput[];
  count: number;
  /** Input index (newest first) and row index of output row i. */
  src: Uint16Array;
  row: Uint32Array;
  /** -1: the row's own decay state; else the input whose decay update decayRow[i] holds it. */
  decaySrc: Int16Array;
  decayRow: Uint32Array;
}

export function newRowPlan(inputs: readonly PlanInput[]): RowPlan {
  let cap = 0;
  for (const c of inputs) cap += c.rows.ids.length;
  return { inputs, count: 0, src: new Uint16Array(cap), row: new Uint32Array(cap), decaySrc: new Int16Array(cap), decayRow: new Uint32Array(cap) };
}

export function addPlanRow(p: RowPlan, src: number, row: number, decaySrc: number, decayRow: number): void {
  const i = p.count++;
  p.src[i] = src;
  p.row[i] = row;
  p.decaySrc[i] = decaySrc;
  p.decayRow[i] = decayRow;
}

/** Hot loop: copies the byte ranges of the planned rows' strings in scratch-sized chunks. */
function* copyBytes(cols: readonly StringsSource[], p: RowPlan, buf: Uint8Array): Iterable<Uint8Array> {
  let used = 0;
  for (let i = 0; i < p.count; i++) {
    const c = cols[p.src[i] as number] as StringsSource;
    const r = p.row[i] as number;
    const a = c.start(r);
    const len = c.end(r) - a;
    if (used + len > buf.length) {
      if (used > 0) yield buf.subarray(0, used);
      used = 0;
      if (len > buf.length) { yield c.bytes.subarray(a, a + len); continue; }
    }
    const b = c.bytes;
    if (len <= 64) for (let k = 0; k < len; k++) buf[used + k] = b[a + k] as number;
    else buf.set(b.subarray(a, a + len), used);
    used += len;
  }
  if (used > 0) yield buf.subarray(0, used);
}

/** A strings column (offsets computed now, bytes copied when written) of the planned rows. */
function copyStrings(sc: Scratch, offId: number, bytesId: number, p: RowPlan, pick: (c: PlanInput) => StringsSource): SectionSource[] {
  const cols = p.inputs.map(pick);
  let o: Uint32Array | Float64Array = new Uint32Array(p.count + 1);
  let total = 0;
  for (let i = 0; i < p.count; i++) {
    const c = cols[p.src[i] as number] as StringsSource;
    const r = p.row[i] as number;
    total += c.end(r) - c.start(r);
    if (total >= 2 ** 32 && o instanceof Uint32Array) o = Float64Array.from(o);
    o[i + 1] = total;
  }
  return strings(offId, bytesId, { ...offsetBytes(o), byteLength: total, parts: () => copyBytes(cols, p, new Uint8Array(sc)) });
}

type Ctor = typeof Float64Array | typeof Uint32Array | typeof Uint8Array;

/**
 * A fixed-width column of `per` elements per row copied from the inputs' columns: element by
 * element, or with one set() per run of consecutive rows of one input long enough to pay for a
 * view. Embeddings are copied as u32 words, so their bits (NaN payloads too) are kept.
 */
function copyFixed(sc: Scratch, id: number, p: RowPlan, per: number, C: Ctor, pick: (c: PlanInput) => Column): SectionSource {
  const cols = p.inputs.map(pick);
  return chunked(sc, id, p.count, per, C, (out, from, to) => {
    for (let i = from; i < to;) {
      const s = p.src[i] as number;
      const r0 = p.row[i] as number;
      let j = i + 1;
      while (j < to && p.src[j] === s && p.row[j] === r0 + (j - i)) j++;
      const col = cols[s] as Column;
      const a = r0 * per;
      const len = (j - i) * per;
      const o = (i - from) * per;
      if (len >= 256) out.set(col.subarray(a, a + len), o);
      else for (let k = 0; k < len; k++) out[o + k] = col[a + k] as number;
      i = j;
    }
  }, true);
}

type DecayCopy = (d: DecaySource, j: number, out: Column, o: number) => void;

/**
 * Where planned row i's decay state is: its own row's decay columns, or those of the decay update
 * that a newer input holds for it (`own`/`upd`: each input's columns, by input).
 */
class DecayPick {
  readonly own: DecaySource[];
  readonly upd: DecaySource[];
  constructor(private readonly p: RowPlan) {
    this.own = p.inputs.map((c) => c.rows.decay);
    this.upd = p.inputs.map((c) => c.du);
  }

  source(i: number): DecaySource {
    const ds = this.p.decaySrc[i] as number;
    return (ds < 0 ? this.own[this.p.src[i] as number] : this.upd[ds]) as DecaySource;
  }

  row(i: number): number {
    return ((this.p.decaySrc[i] as number) < 0 ? this.p.row[i] : this.p.decayRow[i]) as number;
  }
}

/** The longest recent-presentation window among the planned rows' decay states (0 when none). */
export function planWindowSlots(p: RowPlan): number {
  const pick = new DecayPick(p);
  let k = 0;
  for (let i = 0; i < p.count; i++) k = Math.max(k, pick.source(i).recentLen[pick.row(i)] as number);
  return k;
}

/** The seven row decay columns, windows of K slots; each row's state comes from its own row or from a decay update. */
function copyDecay(sc: Scratch, p: RowPlan, K: number): SectionSource[] {
  const pick = new DecayPick(p);
  // Every column but the two windows (zero past each row's length) is written densely.
  const one = (c: number, per: number, C: Ctor, get: DecayCopy): SectionSource =>
    chunked(sc, S.rowDecay + c, p.count, per, C, (out, from, to) => {
      for (let i = from; i < to; i++) get(pick.source(i), pick.row(i), out, (i - from) * per);
    }, per === 1);
  const window = (pick: (d: DecaySource) => Float64Array): DecayCopy => (d, j, out, o) => {
    const len = d.recentLen[j] as number;
    const col = pick(d);
    for (let k = 0, a = j * d.K; k < len; k++) out[o + k] = col[a + k] as number;
  };
  return [
    one(DECAY.count, 1, Uint32Array, (d, j, out, o) => { out[o] = d.count[j] as number; }),
    one(DECAY.first, 1, Float64Array, (d, j, out, o) => { out[o] = d.first[j] as number; }),
    one(DECAY.last, 1, Float64Array, (d, j, out, o) => { out[o] = d.last[j] as number; }),
    one(DECAY.recentLen, 1, Uint8Array, (d, j, out, o) => { out[o] = d.recentLen[j] as number; }),
    one(DECAY.times, K, Float64Array, window((d) => d.times)),
    one(DECAY.decays, K, Float64Array, window((d) => d.decays)),
    one(DECAY.older, 1, Float64Array, (d, j, out, o) => { out[o] = d.older[j] as number; }),
  ];
}

const words = (e: Float32Array): Uint32Array => new Uint32Array(e.buffer, e.byteOffset, e.length);

/** The row sections (§2.4, ids … row decay) of a planned merge, in file order; decay windows of K slots. */
export function planRowSections(sc: Scratch, p: RowPlan, dim: number, K: number): SectionSource[] {
  return [
    ...copyStrings(sc, S.rowIdOff, S.rowIdBytes, p, (c) => c.rows.ids),
    ...copyStrings(sc, S.contentOff, S.contentBytes, p, (c) => c.rows.content),
    copyFixed(sc, S.embedding, p, dim, Uint32Array, (c) => words(c.rows.embedding)),
    copyFixed(sc, S.created, p, 1, Float64Array, (c) => c.rows.created),
    copyFixed(sc, S.recorded, p, 1, Float64Array, (c) => c.rows.recorded),
    copyFixed(sc, S.kind, p, 1, Uint8Array, (c) => c.rows.kind),
    copyFixed(sc, S.confLo, p, 1, Float64Array, (c) => c.rows.confLo),
    copyFixed(sc, S.confHi, p, 1, Float64Array, (c) => c.rows.confHi),
    ...copyStrings(sc, S.metaOff, S.metaBytes, p, (c) => c.rows.meta),
    ...copyDecay(sc, p, K),
  ];
}
