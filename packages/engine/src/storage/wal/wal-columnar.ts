/**
 * Columnar v2 payload of an all-`remember` batch (docs/wal_format.md "Payload v2: columnar
 * remember batch"): fixed-width columns, the embeddings as one raw little-endian f32 block,
 * id/space/content as one UTF-8 blob with end offsets, meta as MessagePack only when present.
 * Decoding checks every count and length against the payload size before it allocates anything.
 */
import { isUtf8 } from 'node:buffer';
import type { MnemoError } from '@mnemo/native';
import type { MemoryRecord, WriteOp } from '../../model.js';
import { packCopy, unpackChecked } from './wal-msgpack.js';

/** First payload byte of a columnar batch; 0xC1 is never used by MessagePack, so no v1 payload starts with it. */
export const COLUMNAR_TAG = 0xc1;
export const COLUMNAR_VERSION = 2;
export const COLUMNAR_HEADER = 24;
export const MAX_COLUMNAR_DIM = 4096;
/** Most recent presentation times one row may carry (a u8 length). */
const MAX_RECENT = 255;
/** Per-row bytes besides the embedding: 7 f64 columns, count u32, 3 string ends u32, meta end u32, kind u8, recent length u8. */
export const ROW_FIXED = 7 * 8 + 4 + 3 * 4 + 4 + 1 + 1;
const RECORD_KEYS = 10;
const DECAY_KEYS = 6;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const KIND_CODE = { episodic: 0, semantic: 1 } as const;
const KIND_NAME = ['episodic', 'semantic'] as const;

type Bad = (why: string) => MnemoError;

/** Byte offsets of the sections (docs/wal_format.md, in this order). */
interface Layout {
  f64: number; times: number; decays: number; counts: number; strEnds: number; metaEnds: number;
  emb: number; kinds: number; recentLens: number; meta: number; strings: number; end: number;
}

function layout(n: number, dim: number, recent: number, metaBytes: number, strBytes: number): Layout {
  const f64 = COLUMNAR_HEADER;
  const times = f64 + 56 * n;
  const decays = times + 8 * recent;
  const counts = decays + 8 * recent;
  const strEnds = counts + 4 * n;
  const metaEnds = strEnds + 12 * n;
  const emb = metaEnds + 4 * n;
  const kinds = emb + 4 * n * dim;
  const recentLens = kinds + n;
  const meta = recentLens + n;
  const strings = meta + metaBytes;
  return { f64, times, decays, counts, strEnds, metaEnds, emb, kinds, recentLens, meta, strings, end: strings + strBytes };
}

// ---- eligibility ----

function keyCount(o: object): number {
  let c = 0;
  for (const _ in o) c++;
  return c;
}

function wellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

function plainDecay(d: unknown): boolean {
  if (d === null || typeof d !== 'object') return false;
  const x = d as MemoryRecord['decay'];
  const t = x.recentTimes;
  const k = x.recentDecays;
  if (!Number.isInteger(x.count) || x.count < 0 || x.count > 0xffffffff) return false;
  if (typeof x.first !== 'number' || typeof x.last !== 'number' || typeof x.olderDecay !== 'number') return false;
  if (!Array.isArray(t) || !Array.isArray(k) || t.length !== k.length || t.length > MAX_RECENT) return false;
  for (let i = 0; i < t.length; i++) if (typeof t[i] !== 'number' || typeof k[i] !== 'number') return false;
  return keyCount(x) === DECAY_KEYS;
}

/** True when the columnar form carries every field of `r` exactly (else the batch goes as v1). */
function plainRecord(r: unknown): r is MemoryRecord {
  if (r === null || typeof r !== 'object') return false;
  const x = r as MemoryRecord;
  if (typeof x.id !== 'string' || typeof x.space !== 'string' || typeof x.content !== 'string') return false;
  if (!wellFormed(x.id) || !wellFormed(x.space) || !wellFormed(x.content)) return false;
  if (!(x.embedding instanceof Float32Array) || (x.kind !== 'episodic' && x.kind !== 'semantic')) return false;
  if (typeof x.created !== 'number' || typeof x.recorded !== 'number' || x.meta === undefined) return false;
  const c = x.confidence;
  if (c === null || typeof c !== 'object' || typeof c.lo !== 'number' || typeof c.hi !== 'number' || keyCount(c) !== 2) return false;
  return plainDecay(x.decay) && keyCount(x) === RECORD_KEYS;
}

/**
 * The records of a batch that the columnar form represents exactly: every op a `remember` with
 * exactly the MemoryRecord fields, well-formed strings, and one embedding dimension 1..4096.
 * Null when the batch must be written as v1.
 */
export function columnarRecords(ops: readonly WriteOp[]): MemoryRecord[] | null {
  const records = new Array<unknown>(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op === null || typeof op !== 'object' || op.op !== 'remember' || keyCount(op) !== 2) return null;
    records[i] = op.record;
  }
  return columnarRows(records);
}

/** `records` typed as MemoryRecord[] when the columnar form carries them exactly (see columnarRecords), else null. */
function columnarRows(records: readonly unknown[]): MemoryRecord[] | null {
  const n = records.length;
  if (n === 0) return null;
  let dim = -1;
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if (!plainRecord(r)) return null;
    if (dim === -1) dim = r.embedding.length;
    else if (r.embedding.length !== dim) return null;
  }
  return dim >= 1 && dim <= MAX_COLUMNAR_DIM ? (records as MemoryRecord[]) : null;
}

// ---- encoding ----

let scratch = Buffer.allocUnsafe(1 << 16);

/**
 * id, space, content of every row into one UTF-8 blob; `ends` gets the cumulative end offsets.
 * All the strings go to the buffer in one write; when that wrote one byte per UTF-16 unit, every
 * string was ASCII and the offsets are the character offsets, else each string is written again
 * separately to learn its byte length.
 */
function encodeStrings(rows: readonly MemoryRecord[], ends: Uint32Array): Buffer {
  let all = '';
  for (const r of rows) all += r.id + r.space + r.content;
  const cap = 3 * all.length;
  if (scratch.length < cap) scratch = Buffer.allocUnsafe(Math.max(cap, 2 * scratch.length));
  let at = scratch.write(all, 0, 'utf8');
  const ascii = at === all.length;
  if (!ascii) at = 0;
  let c = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (ascii) {
      ends[3 * i] = c += r.id.length;
      ends[3 * i + 1] = c += r.space.length;
      ends[3 * i + 2] = c += r.content.length;
      continue;
    }
    ends[3 * i] = at += scratch.write(r.id, at, 'utf8');
    ends[3 * i + 1] = at += scratch.write(r.space, at, 'utf8');
    ends[3 * i + 2] = at += scratch.write(r.content, at, 'utf8');
  }
  return scratch.subarray(0, at);
}

const fresh = (bytes: number): Uint8Array => new Uint8Array(bytes);

/**
 * Encode rows accepted by columnarRows into `alloc(size)` (default: a new buffer of its own; the
 * encoder writes every byte, so a reused buffer needs no clearing). Hot kernel (one call per
 * ingest batch). A payload that would exceed `maxBytes` is not allocated: its size is returned.
 */
export function encodeColumnar(rows: readonly MemoryRecord[], maxBytes: number, alloc: (bytes: number) => Uint8Array = fresh): Uint8Array | number {
  const n = rows.length;
  const dim = rows[0]!.embedding.length;
  const metas = new Array<Uint8Array | null>(n);
  let recent = 0;
  let metaBytes = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    recent += r.decay.recentTimes.length;
    const m = r.meta === null ? null : packCopy(r.meta);
    metas[i] = m;
    if (m !== null) metaBytes += m.length;
  }
  const strEnds = new Uint32Array(3 * n);
  const strings = encodeStrings(rows, strEnds);
  const L = layout(n, dim, recent, metaBytes, strings.length);
  if (L.end > maxBytes) return L.end;
  const out = alloc(L.end);
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out[0] = COLUMNAR_TAG;
  out[1] = COLUMNAR_VERSION;
  out[2] = out[3] = 0;
  v.setUint32(4, n, true);
  v.setUint32(8, dim, true);
  v.setUint32(12, recent, true);
  v.setUint32(16, strings.length, true);
  v.setUint32(20, metaBytes, true);
  let t = 0;
  let metaEnd = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const d = r.decay;
    const o = L.f64 + 8 * i;
    v.setFloat64(o, r.created, true);
    v.setFloat64(o + 8 * n, r.recorded, true);
    v.setFloat64(o + 16 * n, r.confidence.lo, true);
    v.setFloat64(o + 24 * n, r.confidence.hi, true);
    v.setFloat64(o + 32 * n, d.first, true);
    v.setFloat64(o + 40 * n, d.last, true);
    v.setFloat64(o + 48 * n, d.olderDecay, true);
    for (let k = 0; k < d.recentTimes.length; k++, t++) {
      v.setFloat64(L.times + 8 * t, d.recentTimes[k]!, true);
      v.setFloat64(L.decays + 8 * t, d.recentDecays[k]!, true);
    }
    v.setUint32(L.counts + 4 * i, d.count, true);
    v.setUint32(L.strEnds + 12 * i, strEnds[3 * i]!, true);
    v.setUint32(L.strEnds + 12 * i + 4, strEnds[3 * i + 1]!, true);
    v.setUint32(L.strEnds + 12 * i + 8, strEnds[3 * i + 2]!, true);
    const m = metas[i];
    if (m) out.set(m, L.meta + metaEnd);
    metaEnd += m ? m.length : 0;
    v.setUint32(L.metaEnds + 4 * i, metaEnd, true);
    out[L.kinds + i] = KIND_CODE[r.kind];
    out[L.recentLens + i] = d.recentTimes.length;
  }
  copyEmbeddings(out, v, L.emb, rows);
  out.set(strings, L.strings);
  return out;
}

/**
 * The embeddings, row after row, from `at`. Rows whose embeddings lie back to back in one buffer
 * (the store's validation copies a batch's embeddings into one) are copied with one set() per run.
 */
function copyEmbeddings(out: Uint8Array, v: DataView, at: number, rows: readonly MemoryRecord[]): void {
  for (let i = 0; i < rows.length; ) {
    const e = rows[i]!.embedding;
    let end = e.byteOffset + e.byteLength;
    let j = i + 1;
    for (; j < rows.length; j++) {
      const f = rows[j]!.embedding;
      if (f.buffer !== e.buffer || f.byteOffset !== end) break;
      end += f.byteLength;
    }
    const bytes = new Uint8Array(e.buffer, e.byteOffset, end - e.byteOffset);
    if (LITTLE_ENDIAN) out.set(bytes, at);
    else for (let k = 0; k < bytes.length; k += 4) v.setFloat32(at + k, new DataView(e.buffer).getFloat32(e.byteOffset + k, false), true);
    at += bytes.length;
    i = j;
  }
}

// ---- decoding ----

/** Read and check the header; the payload length must equal what the counts imply. */
function readLayout(p: Uint8Array, v: DataView, bad: Bad): { n: number; dim: number; recent: number; L: Layout } {
  if (p.length < COLUMNAR_HEADER) throw bad(`columnar batch header truncated (${p.length} of ${COLUMNAR_HEADER} bytes)`);
  if (p[1] !== COLUMNAR_VERSION) throw bad(`unsupported columnar batch version ${p[1]}`);
  if (v.getUint16(2, true) !== 0) throw bad('columnar batch header reserved bytes not zero');
  const n = v.getUint32(4, true);
  const dim = v.getUint32(8, true);
  const recent = v.getUint32(12, true);
  if (n === 0) throw bad('columnar batch declares 0 rows');
  if (dim === 0 || dim > MAX_COLUMNAR_DIM) throw bad(`columnar batch dimension ${dim} is outside 1..${MAX_COLUMNAR_DIM}`);
  if (recent > n * MAX_RECENT) throw bad(`columnar batch declares ${recent} presentation times for ${n} rows`);
  // Every term is < 2^32 · 2^14, so the sum is exact in a double.
  const L = layout(n, dim, recent, v.getUint32(20, true), v.getUint32(16, true));
  if (L.end !== p.length) throw bad(`columnar batch of ${n} rows × dim ${dim} declares ${L.end} bytes but the payload holds ${p.length}`);
  return { n, dim, recent, L };
}

/** Cumulative end offsets at `at` (count of them) must rise to exactly `total`; returns them. */
function readEnds(v: DataView, at: number, count: number, total: number, what: string, bad: Bad): Uint32Array {
  const ends = new Uint32Array(count);
  let prev = 0;
  for (let i = 0; i < count; i++) {
    const e = v.getUint32(at + 4 * i, true);
    if (e < prev || e > total) throw bad(`columnar batch ${what} offset ${i} (${e}) is out of order or past ${total} bytes`);
    ends[i] = prev = e;
  }
  if (prev !== total) throw bad(`columnar batch ${what} offsets end at ${prev}, not at the declared ${total} bytes`);
  return ends;
}

function checkColumns(p: Uint8Array, n: number, recent: number, L: Layout, bad: Bad): void {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (p[L.kinds + i]! > 1) throw bad(`columnar batch row ${i} has unknown kind ${p[L.kinds + i]}`);
    sum += p[L.recentLens + i]!;
  }
  if (sum !== recent) throw bad(`columnar batch rows hold ${sum} presentation times but the header declares ${recent}`);
}

function checkStrings(blob: Uint8Array, ends: Uint32Array, bad: Bad): void {
  if (!isUtf8(blob)) throw bad('columnar batch strings are not valid UTF-8');
  for (let i = 0; i < ends.length; i++) {
    const e = ends[i]!;
    if (e < blob.length && (blob[e]! & 0xc0) === 0x80) throw bad(`columnar batch string offset ${i} splits a UTF-8 character`);
  }
}

/** Decode a columnar payload whose checksum was valid (first byte COLUMNAR_TAG). */
export function decodeColumnar(p: Uint8Array, bad: Bad): WriteOp[] {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const { n, dim, recent, L } = readLayout(p, v, bad);
  checkColumns(p, n, recent, L, bad);
  const strEnds = readEnds(v, L.strEnds, 3 * n, L.end - L.strings, 'string', bad);
  const metaEnds = readEnds(v, L.metaEnds, n, L.strings - L.meta, 'meta', bad);
  const blob = Buffer.from(p.buffer, p.byteOffset + L.strings, L.end - L.strings);
  checkStrings(blob, strEnds, bad);
  const metas = new Array<unknown>(n);
  for (let i = 0, s = 0; i < n; s = metaEnds[i]!, i++) {
    const e = metaEnds[i]!;
    metas[i] = e === s ? null : unpackChecked(p.subarray(L.meta + s, L.meta + e), `meta of columnar batch row ${i}`, bad);
  }
  const emb = readEmbeddings(p, v, L.emb, n * dim);
  return buildOps(p, v, { n, dim, L, strEnds, blob, metas, emb });
}

/**
 * All embeddings as one Float32Array. A payload that owns its whole buffer (a reassembled
 * fragmented batch, a flush hand-over) is viewed in place — the section offset is a multiple of 4
 * by construction — otherwise copied with one set().
 */
function readEmbeddings(p: Uint8Array, v: DataView, at: number, count: number): Float32Array {
  if (LITTLE_ENDIAN && p.byteOffset === 0 && p.byteLength === p.buffer.byteLength) return new Float32Array(p.buffer, at, count);
  const out = new Float32Array(count);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(p.subarray(at, at + 4 * count));
  else for (let k = 0; k < count; k++) out[k] = v.getFloat32(at + 4 * k, true);
  return out;
}

interface Decoded {
  n: number; dim: number; L: Layout; strEnds: Uint32Array; blob: Buffer; metas: unknown[]; emb: Float32Array;
}

/** Rows → remember ops with the key order of validate-ops' normalised records. */
function buildOps(p: Uint8Array, v: DataView, d: Decoded): WriteOp[] {
  const { n, dim, L, strEnds, blob, metas, emb } = d;
  const ops = new Array<WriteOp>(n);
  let t = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const o = L.f64 + 8 * i;
    const len = p[L.recentLens + i]!;
    const recentTimes = new Array<number>(len);
    const recentDecays = new Array<number>(len);
    for (let k = 0; k < len; k++, t++) {
      recentTimes[k] = v.getFloat64(L.times + 8 * t, true);
      recentDecays[k] = v.getFloat64(L.decays + 8 * t, true);
    }
    const e0 = strEnds[3 * i]!;
    const e1 = strEnds[3 * i + 1]!;
    const e2 = strEnds[3 * i + 2]!;
    const record: MemoryRecord = {
      id: blob.toString('utf8', s, e0), space: blob.toString('utf8', e0, e1), content: blob.toString('utf8', e1, e2),
      embedding: emb.subarray(i * dim, (i + 1) * dim), kind: KIND_NAME[p[L.kinds + i]!]!,
      created: v.getFloat64(o, true), recorded: v.getFloat64(o + 8 * n, true),
      confidence: { lo: v.getFloat64(o + 16 * n, true), hi: v.getFloat64(o + 24 * n, true) },
      decay: {
        count: v.getUint32(L.counts + 4 * i, true), first: v.getFloat64(o + 32 * n, true), last: v.getFloat64(o + 40 * n, true),
        recentTimes, recentDecays, olderDecay: v.getFloat64(o + 48 * n, true),
      },
      meta: metas[i],
    };
    ops[i] = { op: 'remember', record };
    s = e2;
  }
  return ops;
}
