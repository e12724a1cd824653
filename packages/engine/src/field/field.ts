/**
 * Field: a memory-mapped N-dimensional array of any size (docs/field_format.md: the bytes,
 * the API rules and durability). Validates arguments and delegates to FieldCore
 * (element reads/writes, tiers) and field-bulk.ts (batchGet, slice, fill).
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { MnemoError } from '@mnemo/native';
import { dtypeInfo, encodeValue, newFieldArray, storedView, type Dtype, type FieldArray } from './dtype.js';
import { batchRead, checkResultSize, fillBox, readRun, sliceBox } from './field-bulk.js';
import { FieldCore } from './field-core.js';
import { fsyncDir, sys } from './io.js';
import { CHUNK_HEADER_BYTES, CHUNK_STAGING, DEFAULT_CHUNK_BYTES, checkShape, effectiveChunkBytes, linearIndex, makeLayout } from './layout.js';
import { encodeMeta, META_FILE, newFieldId, readMeta, writeMetaAtomic, type FieldMeta } from './meta.js';
import type { FieldCreateOptions, FieldOpenOptions } from './options.js';
import { fetchRemoteMeta } from './remote-tier.js';
import { fieldStats, type FieldStats } from './stats.js';

function assertLittleEndian(): void {
  if (os.endianness() !== 'LE') throw new MnemoError('NOT_SUPPORTED', 'Field needs a little-endian host');
}

export class Field {
  readonly #core: FieldCore;

  private constructor(core: FieldCore) {
    this.#core = core;
  }

  /** Create a new field in `dir` (created if needed; must not hold a FIELD yet). */
  static create(dir: string, shape: readonly number[], options: FieldCreateOptions): Field {
    assertLittleEndian();
    const info = dtypeInfo(options?.dtype);
    checkShape(shape, info.size);
    const rowBytes = (shape[shape.length - 1] as number) * info.size;
    const chunkBytes = effectiveChunkBytes(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, rowBytes, info.size);
    const layout = makeLayout(shape, info.size, chunkBytes);
    const meta: FieldMeta = { dtype: info.name, fieldId: newFieldId(), layout };
    const created = sys(`cannot create ${dir}`, () => fs.mkdirSync(dir, { recursive: true, mode: 0o700 }));
    if (fs.existsSync(path.join(dir, META_FILE))) {
      throw new MnemoError('INVALID_ARGUMENT', `${dir} already holds a field; use Field.open`, { path: dir });
    }
    // options are checked (the core opens nothing) before FIELD exists, so a bad option leaves no field behind
    const core = new FieldCore(dir, meta, options);
    writeMetaAtomic(dir, encodeMeta(meta));
    if (created !== undefined) {
      // every directory from the parent of the first one created down to dir's parent gained an entry
      const top = path.dirname(path.resolve(created));
      for (let d = path.dirname(path.resolve(dir)); ; d = path.dirname(d)) {
        fsyncDir(d);
        if (d === top || d === path.dirname(d)) break;
      }
    }
    return new Field(core);
  }

  /** Open the field in `dir`. With a remote tier and no local FIELD, use openRemote. */
  static open(dir: string, options: FieldOpenOptions = {}): Field {
    assertLittleEndian();
    const meta = readMeta(dir);
    if (options.readOnly !== true) {
      // Leftovers of a crashed writer (this process is the field's single writer now).
      sys(`cannot remove ${META_FILE}.tmp in ${dir}`, () => fs.rmSync(path.join(dir, `${META_FILE}.tmp`), { force: true }));
      sys(`cannot empty ${path.join(dir, CHUNK_STAGING)}`, () => fs.rmSync(path.join(dir, CHUNK_STAGING), { recursive: true, force: true }));
    }
    return new Field(new FieldCore(dir, meta, options));
  }

  /**
   * Open a read-only replica: `dir` is the local cache directory; FIELD is fetched from
   * `options.remote` when not present locally. Reads of non-local chunks need the *Async methods.
   */
  static async openRemote(dir: string, options: FieldOpenOptions & { remote: NonNullable<FieldOpenOptions['remote']> }): Promise<Field> {
    assertLittleEndian();
    const meta = fs.existsSync(path.join(dir, META_FILE)) ? readMeta(dir) : await fetchRemoteMeta(dir, options.remote);
    return new Field(new FieldCore(dir, meta, options));
  }

  get shape(): readonly number[] {
    return this.#core.layout.shape;
  }

  get dtype(): Dtype {
    return this.#core.dtype;
  }

  /** Effective data bytes per chunk file. */
  get chunkBytes(): number {
    return this.#core.cb;
  }

  get readOnly(): boolean {
    return this.#core.readOnly;
  }

  /** True when chunks are really mapped (native addon); false for heap copies (MNEMO_NATIVE=0 / backend 'js'). */
  get nativeMapping(): boolean {
    return this.#core.nativeMapping;
  }

  /** Element at `idx` (one index per axis). Untouched regions read as 0. */
  get(...idx: number[]): number {
    const core = this.#core;
    core.check();
    return core.readLinear(linearIndex(core.layout, idx));
  }

  /** set(i₀, …, i_{r−1}, value): f16 rounds to nearest even; i8/u8 round and clamp (docs/field_format.md). */
  set(...args: number[]): void {
    const core = this.#core;
    core.checkWritable();
    const value = args.pop();
    if (typeof value !== 'number') throw new MnemoError('INVALID_ARGUMENT', 'set(...idx, value) needs a numeric value');
    core.writeLinear(linearIndex(core.layout, args), value);
  }

  /** Write a whole last-axis row (rank−1 leading indices) from `values`. */
  setRow(idx: readonly number[], values: ArrayLike<number>): void {
    const core = this.#core;
    core.checkWritable();
    const { rowLength, rowBytes } = core.layout;
    if (values.length !== rowLength) {
      throw new MnemoError('DIMENSION_MISMATCH', `row needs ${rowLength} values, got ${values.length}`);
    }
    const lin = this.#rowStart(idx);
    const bytes = new Uint8Array(rowBytes);
    const view = storedView(core.dtype, bytes.buffer, 0, rowLength);
    for (let i = 0; i < rowLength; i++) view[i] = encodeValue(core.dtype, values[i] as number);
    core.writeRange(lin * core.es, bytes);
  }

  /**
   * The last-axis row at `idx` (rank−1 leading indices). Zero-copy view over the mapping when the
   * row lies inside one existing chunk and the dtype is not f16; it sees later writes and stays
   * valid while reachable (its chunk is never unmapped under it) until close(), after which it has
   * length 0. Otherwise (f16, a row spanning chunks, a chunk never written) a copy.
   */
  row(...idx: number[]): FieldArray {
    this.#core.check();
    return this.#span(this.#rowStart(idx), 1);
  }

  /**
   * `count` consecutive rows from flat row number `start` (rows numbered over all leading axes, as
   * if the field were [Π leading dims, last dim]), row-major: one zero-copy view when they lie in
   * one existing chunk (same rules as row()), else a copy. For scans: rows(i, n) per block.
   */
  rows(start: number, count: number): FieldArray {
    const core = this.#core;
    core.check();
    const total = core.layout.elements / core.layout.rowLength;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || start < 0 || count < 0 || start + count > total) {
      throw new MnemoError('INVALID_ARGUMENT', `rows [${start}, ${start + count}) out of range for ${total} rows`);
    }
    if (count === 0) return newFieldArray(core.dtype, 0); // touches no chunk (one may not even exist)
    return this.#span(start * core.layout.rowLength, count);
  }

  /** `count` rows from linear element `lin`: a view if inside one chunk (not f16), else a copy. */
  #span(lin: number, count: number): FieldArray {
    const core = this.#core;
    const length = count * core.layout.rowLength;
    const bytes = length * core.es;
    const byte = lin * core.es;
    const c = Math.floor(byte / core.cb);
    if (!core.f16 && byte - c * core.cb + bytes <= core.cb) {
      if (core.predictor !== null) core.observe(byte, bytes);
      const mc = core.chunkFor(c);
      if (mc === null) {
        core.mapped.zeroReads += length;
        return newFieldArray(core.dtype, length);
      }
      core.cache.markView(mc);
      core.mapped.hits += length;
      core.mapped.bytes += bytes;
      return storedView(core.dtype, mc.mapping.buffer, CHUNK_HEADER_BYTES + byte - c * core.cb, length) as FieldArray;
    }
    checkResultSize(core, length);
    const out = newFieldArray(core.dtype, length);
    readRun(core, lin, length, out, 0);
    return out;
  }

  /** Values at many indices: `number[][]` or a flat array of rank-tuples. Request order kept. */
  batchGet(indices: readonly (readonly number[])[] | ArrayLike<number>): FieldArray {
    const core = this.#core;
    core.check();
    return batchRead(core, this.#linears(indices), core.predictor !== null);
  }

  /** Copy of the box [start, end) (end exclusive), row-major. */
  slice(start: readonly number[], end: readonly number[]): FieldArray {
    this.#core.check();
    return sliceBox(this.#core, start, end);
  }

  /** Set every element of [start, end) (default: all) to `value`. Filling zeros never creates chunks. */
  fill(value: number, start?: readonly number[], end?: readonly number[]): void {
    fillBox(this.#core, value, start, end);
  }

  /** Make every write so far durable (fsync chunk files, then new directory entries). */
  flush(): void {
    const core = this.#core;
    const writer = core.checkWritable();
    try {
      writer.flush();
    } catch (e) {
      core.failed = e instanceof MnemoError ? e : new MnemoError('IO_ERROR', String(e));
      throw core.failed;
    }
  }

  /** Flush (when writable), unmap every chunk and close files. Idempotent. */
  close(): void {
    const core = this.#core;
    if (core.closed) return;
    try {
      if (core.writer !== null && core.failed === null) this.flush();
    } finally {
      core.closed = true;
      core.remote?.close();
      core.writer?.close();
      core.cache.close();
      core.hot?.clear();
    }
  }

  stats(): FieldStats {
    return fieldStats(this.#core);
  }

  /** get() that first downloads the element's chunk from the remote tier if needed. */
  async getAsync(...idx: number[]): Promise<number> {
    const core = this.#core;
    core.check();
    const lin = linearIndex(core.layout, idx);
    await this.#ensureLocal(lin, 1);
    return this.get(...idx);
  }

  /** row() through the remote tier (same result kinds as row()). */
  async rowAsync(...idx: number[]): Promise<FieldArray> {
    this.#core.check();
    await this.#ensureLocal(this.#rowStart(idx), this.#core.layout.rowLength);
    return this.row(...idx);
  }

  /** batchGet() through the remote tier: missing chunks are downloaded concurrently first. */
  async batchGetAsync(indices: readonly (readonly number[])[] | ArrayLike<number>): Promise<FieldArray> {
    const core = this.#core;
    core.check();
    const lins = this.#linears(indices);
    if (core.remote !== null) {
      const chunks = new Set<number>();
      for (const lin of lins) chunks.add(Math.floor((lin * core.es) / core.cb));
      await Promise.all([...chunks].map((c) => core.remote?.ensureLocal(c)));
    }
    core.check();
    return batchRead(core, lins, core.predictor !== null);
  }

  async #ensureLocal(lin: number, len: number): Promise<void> {
    const core = this.#core;
    if (core.remote === null) return;
    const first = Math.floor((lin * core.es) / core.cb);
    const last = Math.floor(((lin + len) * core.es - 1) / core.cb);
    const waits: Promise<void>[] = [];
    for (let c = first; c <= last; c++) waits.push(core.remote.ensureLocal(c));
    await Promise.all(waits);
  }

  #rowStart(idx: readonly number[]): number {
    const { layout } = this.#core;
    return linearIndex(layout, idx, layout.rank - 1);
  }

  #linears(indices: readonly (readonly number[])[] | ArrayLike<number>): Float64Array {
    const { layout } = this.#core;
    const nested = Array.isArray(indices) && indices.length > 0 && Array.isArray(indices[0]);
    const n = nested ? indices.length : indices.length / layout.rank;
    if (!Number.isInteger(n)) {
      throw new MnemoError('INVALID_ARGUMENT', `flat index array length ${indices.length} is not a multiple of rank ${layout.rank}`);
    }
    checkResultSize(this.#core, n);
    const lins = new Float64Array(n);
    if (nested) {
      (indices as readonly (readonly number[])[]).forEach((t, i) => (lins[i] = linearIndex(layout, t)));
    } else {
      const flat = indices as ArrayLike<number>;
      const tuple = new Array<number>(layout.rank);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < layout.rank; k++) tuple[k] = flat[i * layout.rank + k] as number;
        lins[i] = linearIndex(layout, tuple);
      }
    }
    return lins;
  }
}
