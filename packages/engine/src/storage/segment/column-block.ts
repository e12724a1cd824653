/**
 * Column blocks: rows kept in memory in the segment's own column encodings (docs/storage.md,
 * "Memtable" and "Flush"; docs/segment_format.md §2.4), in shared memory, so that a flush hands a
 * frozen memtable to the segment worker without copying or serialising a row: the worker maps
 * the same bytes (blockColumns) and writes them through the compaction copy path (copy-rows.ts).
 * The memtable appends into a block (memtable/row-block.ts); this module owns the layout.
 */
import { MnemoError } from '@mnemo/native';
import { RECENT_PRESENTATIONS } from '../../model.js';
import type { SegmentContent } from './content.js';
import type { PlanInput, RowPlan, StringsSource } from './copy-rows.js';
import type { DecayArrays } from './decay-columns.js';
import type { PlannedContent } from './merge-plan.js';
import { compareBytes } from './string-column.js';

export const BLOCK_K = RECENT_PRESENTATIONS;

/** Byte offsets of the fixed-width columns of a block of `capacity` rows of `dim` floats. */
export interface BlockLayout {
  embedding: number;
  created: number;
  recorded: number;
  confLo: number;
  confHi: number;
  first: number;
  last: number;
  older: number;
  times: number;
  decays: number;
  count: number;
  idOff: number;
  contentOff: number;
  metaOff: number;
  kind: number;
  recentLen: number;
  bytes: number;
}

export function blockLayout(capacity: number, dim: number): BlockLayout {
  const n = capacity;
  let at = 0;
  const take = (bytes: number): number => {
    const o = at;
    at = o + Math.ceil(bytes / 8) * 8;
    return o;
  };
  return {
    embedding: take(4 * n * dim),
    created: take(8 * n), recorded: take(8 * n), confLo: take(8 * n), confHi: take(8 * n),
    first: take(8 * n), last: take(8 * n), older: take(8 * n), times: take(8 * n * BLOCK_K), decays: take(8 * n * BLOCK_K),
    count: take(4 * n), idOff: take(4 * (n + 1)), contentOff: take(4 * (n + 1)), metaOff: take(4 * (n + 1)),
    kind: take(n), recentLen: take(n),
    bytes: at,
  };
}

/**
 * What crosses to the worker for one block (structured clone shares the SharedArrayBuffers): the
 * fixed columns, and the UTF-8 bytes of ids, contents and packed metas (each `used` bytes long).
 */
export interface BlockDescriptor {
  dim: number;
  capacity: number;
  length: number;
  fixed: SharedArrayBuffer;
  ids: SharedArrayBuffer;
  contents: SharedArrayBuffer;
  metas: SharedArrayBuffer;
}

/** Rows of a flush: row `row[i]` of block `src[i]`, in any order (planMemRows sorts them by id). */
export interface MemRows {
  blocks: BlockDescriptor[];
  count: number;
  src: Uint16Array;
  row: Uint32Array;
}

/** Most blocks one flush can name (RowPlan sources are u16, decay sources i16). */
export const MAX_FLUSH_BLOCKS = 0x7fff;

/** A flush's content: the rows are `memRows` (the memtable's blocks), `rows` is empty. */
export interface MemRowsContent extends SegmentContent {
  memRows: MemRows;
}

class BlockStrings implements StringsSource {
  constructor(
    readonly bytes: Uint8Array,
    private readonly off: Uint32Array,
    readonly length: number,
  ) {}

  start(i: number): number {
    return this.off[i] as number;
  }

  end(i: number): number {
    return this.off[i + 1] as number;
  }
}

/** The fixed-width columns of a block, as typed-array views of its `fixed` buffer. */
export interface BlockViews {
  embedding: Float32Array;
  created: Float64Array;
  recorded: Float64Array;
  confLo: Float64Array;
  confHi: Float64Array;
  kind: Uint8Array;
  decay: DecayArrays;
  /** String offsets: entry i is bytes [off[i], off[i + 1]) of the ids, contents or metas. */
  idOff: Uint32Array;
  contentOff: Uint32Array;
  metaOff: Uint32Array;
}

/** Views of the columns of a block of `capacity` rows of `dim` floats laid out in `fixed` (blockLayout). */
export function blockViews(fixed: SharedArrayBuffer, capacity: number, dim: number): BlockViews {
  const L = blockLayout(capacity, dim);
  const n = capacity;
  const f64 = (at: number, per = 1): Float64Array => new Float64Array(fixed, at, n * per);
  const offsets = (at: number): Uint32Array => new Uint32Array(fixed, at, n + 1);
  return {
    embedding: new Float32Array(fixed, L.embedding, n * dim),
    created: f64(L.created), recorded: f64(L.recorded), confLo: f64(L.confLo), confHi: f64(L.confHi), kind: new Uint8Array(fixed, L.kind, n),
    decay: {
      count: new Uint32Array(fixed, L.count, n), first: f64(L.first), last: f64(L.last), recentLen: new Uint8Array(fixed, L.recentLen, n),
      times: f64(L.times, BLOCK_K), decays: f64(L.decays, BLOCK_K), older: f64(L.older), K: BLOCK_K,
    },
    idOff: offsets(L.idOff), contentOff: offsets(L.contentOff), metaOff: offsets(L.metaOff),
  };
}

/** Views of a block's columns in the shape the copy path reads (a decay update list never comes from a block). */
export function blockColumns(d: BlockDescriptor): PlanInput {
  const v = blockViews(d.fixed, d.capacity, d.dim);
  const str = (off: Uint32Array, bytes: SharedArrayBuffer): BlockStrings => new BlockStrings(new Uint8Array(bytes), off, d.length);
  return {
    rows: {
      ids: str(v.idOff, d.ids), content: str(v.contentOff, d.contents), embedding: v.embedding,
      created: v.created, recorded: v.recorded, kind: v.kind, confLo: v.confLo, confHi: v.confHi, meta: str(v.metaOff, d.metas), decay: v.decay,
    },
    du: v.decay,
  };
}

function invalid(message: string): MnemoError {
  return new MnemoError('INVALID_ARGUMENT', `segment content: ${message}`);
}

/**
 * The checks the object path's normalizeContent makes on rows, over the columns: ids strictly
 * ascending in byte order (= the id order), finite numbers, kind 0/1, windows within K and count.
 * Strings are UTF-8 the memtable encoded from checked text, so they are not decoded again.
 */
export function checkMemRows(inputs: readonly PlanInput[], m: MemRows): void {
  let prevIds: StringsSource | undefined;
  let prevRow = 0;
  const fin = Number.isFinite;
  for (let i = 0; i < m.count; i++) {
    const c = (inputs[m.src[i] as number] as PlanInput).rows;
    const r = m.row[i] as number;
    const ids = c.ids;
    if (prevIds !== undefined && compareBytes(prevIds.bytes, prevIds.start(prevRow), prevIds.end(prevRow), ids.bytes, ids.start(r), ids.end(r)) >= 0) {
      throw invalid(`row ${i} is not in ascending id order (or repeats an id)`);
    }
    prevIds = ids;
    prevRow = r;
    const d = c.decay;
    if (!(fin(c.created[r]) && fin(c.recorded[r]) && fin(c.confLo[r]) && fin(c.confHi[r]) && fin(d.first[r]) && fin(d.last[r]) && fin(d.older[r]))) {
      throw invalid(`row ${i}: a time, confidence or decay value is not a finite number`);
    }
    const len = d.recentLen[r] as number;
    if ((c.kind[r] as number) > 1 || len > BLOCK_K || len > (d.count[r] as number)) throw invalid(`row ${i}: kind or decay window out of range`);
    for (let k = 0; k < len; k++) {
      if (!Number.isFinite(d.times[r * BLOCK_K + k]) || !Number.isFinite(d.decays[r * BLOCK_K + k])) throw invalid(`row ${i}: a decay window value is not finite`);
    }
  }
}

/** Bytes [at, at + 6) of an id as one number, zero-padded past its end (exact: < 2⁴⁸). */
function key6(bytes: Uint8Array, at: number, end: number): number {
  let k = 0;
  for (let j = at; j < at + 6; j++) k = k * 256 + (j < end ? (bytes[j] as number) : 0);
  return k;
}

/**
 * Puts the rows of `m` in id order (UTF-8 byte order = the id order), in place. Rows are keyed by
 * their id's first 12 bytes as two numbers (zero-padded: keys never order two ids against their
 * byte order), so the comparator compares whole ids only on equal keys; rows already in order are
 * left as they are.
 */
export function sortMemRows(inputs: readonly PlanInput[], m: MemRows): void {
  const n = m.count;
  const key = new Float64Array(n);
  const key2 = new Float64Array(n);
  const idsOf = (i: number): StringsSource => (inputs[m.src[i] as number] as PlanInput).rows.ids;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const ids = idsOf(i);
    const r = m.row[i] as number;
    const a = ids.start(r);
    const e = ids.end(r);
    key[i] = key6(ids.bytes, a, e);
    key2[i] = key6(ids.bytes, a + 6, e);
    if (i > 0 && !((key[i - 1] as number) < (key[i] as number) || (key[i - 1] === key[i] && (key2[i - 1] as number) < (key2[i] as number)))) sorted = false;
  }
  if (sorted) return;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => {
    const d = (key[x] as number) - (key[y] as number) || (key2[x] as number) - (key2[y] as number);
    if (d !== 0) return d;
    const p = idsOf(x);
    const q = idsOf(y);
    const rx = m.row[x] as number;
    const ry = m.row[y] as number;
    return compareBytes(p.bytes, p.start(rx), p.end(rx), q.bytes, q.start(ry), q.end(ry));
  });
  const src = m.src.slice(0, n);
  const row = m.row.slice(0, n);
  for (let i = 0; i < n; i++) {
    m.src[i] = src[order[i] as number] as number;
    m.row[i] = row[order[i] as number] as number;
  }
}

/**
 * The flush content as the writer takes it: a row plan over the blocks' columns (rows sorted by
 * id, then checked), every row with its own decay state. Runs where the segment is written (the
 * worker), so the main thread never sorts a flush's rows.
 */
export function planMemRows(c: MemRowsContent): PlannedContent {
  const m = c.memRows;
  if (m.blocks.length > MAX_FLUSH_BLOCKS || m.src.length < m.count || m.row.length < m.count) throw invalid(`a flush names ${m.blocks.length} blocks for ${m.count} rows`);
  const inputs = m.blocks.map(blockColumns);
  for (let i = 0; i < m.count; i++) {
    const b = m.blocks[m.src[i] as number];
    if (b === undefined || (m.row[i] as number) >= b.length || b.dim !== c.dim) throw invalid(`row ${i} names no row of a block of dim ${c.dim}`);
  }
  sortMemRows(inputs, m);
  checkMemRows(inputs, m);
  const rowPlan: RowPlan = { inputs, count: m.count, src: m.src, row: m.row, decaySrc: new Int16Array(m.count).fill(-1), decayRow: new Uint32Array(m.count) };
  return {
    space: c.space, segmentId: c.segmentId, dim: c.dim, minLsn: c.minLsn, maxLsn: c.maxLsn, created: c.created, rows: [], rowPlan,
    decayUpdates: c.decayUpdates, tombstones: c.tombstones, associations: c.associations, assocTombstones: c.assocTombstones,
  };
}
