/**
 * The internals shared by the Field API files: element reads and byte-range writes across
 * chunks, the three tiers (hot copies → mapped chunks → remote), prefetch application and the
 * counters. Field (field.ts) validates arguments and calls in here; bulk operations live in
 * field-bulk.ts. Layout, naming and behaviour: docs/field_format.md.
 */
import { MnemoError } from '@mnemo/native';
import { ChunkCache, type MappedChunk } from './chunk-cache.js';
import { ChunkWriter } from './chunk-writer.js';
import { encodeValue, storedView, type Dtype } from './dtype.js';
import { fromF16 } from './f16.js';
import { HotTier } from './hot-tier.js';
import { isNativeChoice, mapFnFor } from './io.js';
import { CHUNK_HEADER_BYTES, type Layout } from './layout.js';
import type { FieldMeta } from './meta.js';
import { resolveLimits, type FieldOpenOptions, type ResolvedLimits } from './options.js';
import { PrefetchPredictor, type PrefetchRange } from './prefetch.js';
import { RemoteTier } from './remote-tier.js';

export interface TierCounters {
  hits: number;
  bytes: number;
  latencyMs: number;
}

export class FieldCore {
  readonly dir: string;
  readonly meta: FieldMeta;
  readonly layout: Layout;
  readonly dtype: Dtype;
  readonly es: number;
  readonly cb: number;
  readonly f16: boolean;
  readonly readOnly: boolean;
  readonly nativeMapping: boolean;
  readonly limits: ResolvedLimits;
  readonly cache: ChunkCache;
  readonly writer: ChunkWriter | null;
  readonly predictor: PrefetchPredictor | null;
  readonly hot: HotTier | null;
  readonly remote: RemoteTier | null;
  readonly clock: () => number;
  readonly timing: boolean;
  readonly mapped = { hits: 0, zeroReads: 0, bytes: 0, latencyMs: 0 };
  readonly hotTier = { bytes: 0, latencyMs: 0 };
  readonly prefetchIo = { advised: 0, earlyMaps: 0 };
  closed = false;
  failed: MnemoError | null = null;
  readonly #scratch: Uint8Array<ArrayBuffer>;
  readonly #scratchView: ReturnType<typeof storedView>;

  constructor(dir: string, meta: FieldMeta, o: FieldOpenOptions) {
    this.dir = dir;
    this.meta = meta;
    this.layout = meta.layout;
    this.dtype = meta.dtype;
    this.es = meta.layout.elemSize;
    this.cb = meta.layout.chunkBytes;
    this.f16 = meta.dtype === 'f16';
    this.readOnly = o.readOnly === true || o.remote !== undefined;
    this.nativeMapping = isNativeChoice(o.backend);
    this.limits = resolveLimits(o, this.nativeMapping);
    this.clock = o.clock ?? (() => performance.now());
    this.timing = o.timing === true;
    const id = { fieldId: meta.fieldId, chunkBytes: this.cb };
    const { maxMappedChunks: maxChunks, maxMappedBytes: maxBytes, maxOpenFiles } = this.limits;
    this.cache = new ChunkCache({ dir, id, dtype: this.dtype, elemSize: this.es, mapFn: mapFnFor(o.backend), maxChunks, maxBytes });
    this.writer = this.readOnly ? null : new ChunkWriter({ dir, id, maxOpenFiles, onCreate: (c) => this.cache.noteCreated(c) });
    const pf = o.prefetch ?? true;
    this.predictor = pf === false ? null : new PrefetchPredictor(this.layout.totalBytes, pf === true ? {} : pf);
    // a read-only local open may sit beside a writer in another process: private row copies would
    // go stale there (get() disagreeing with row()), so hot copies are opt-in for it
    const hotOff = o.hot === false || (o.hot === undefined && o.readOnly === true && o.remote === undefined);
    const hot = hotOff || o.hot === false ? null : new HotTier(this.layout.rowBytes, o.hot ?? {});
    this.hot = hot !== null && hot.enabled && this.layout.rowsInChunk ? hot : null;
    this.remote =
      o.remote === undefined ? null : new RemoteTier(dir, o.remote, id, this.clock, (c) => this.cache.noteCreated(c));
    this.#scratch = new Uint8Array(8);
    this.#scratchView = storedView(this.dtype, this.#scratch.buffer, 0, 1);
  }

  /** Throw CLOSED after close(), IO_ERROR after a failed fsync. */
  check(): void {
    if (this.closed) throw new MnemoError('CLOSED', `field ${this.dir} is closed`);
    if (this.failed !== null) throw this.failed;
    if (this.writer?.failed) {
      this.failed = new MnemoError('IO_ERROR', `field ${this.dir} failed to fsync; reopen it: ${this.writer.failed.message}`, {
        ...this.writer.failed.details,
      });
      throw this.failed;
    }
  }

  checkWritable(): ChunkWriter {
    this.check();
    if (this.writer === null) {
      throw new MnemoError('READ_ONLY', `field ${this.dir} was opened read-only${this.remote ? ' (it has a remote tier)' : ''}`);
    }
    return this.writer;
  }

  /** Mapped chunk `c`; null = no chunk (zeros). Throws NOT_SUPPORTED if only the remote may have it. */
  chunkFor(c: number): MappedChunk | null {
    const mc = this.cache.get(c);
    if (mc === null && this.remote !== null && !this.remote.isAbsent(c)) {
      throw new MnemoError(
        'NOT_SUPPORTED',
        `chunk ${c} of field ${this.dir} is not local yet; use getAsync/rowAsync/batchGetAsync to read through the remote tier`,
      );
    }
    return mc;
  }

  /** Value of the element at linear index `lin` (index already validated). */
  readLinear(lin: number): number {
    const hot = this.hot;
    if (hot !== null) {
      const row = Math.floor(lin / this.layout.rowLength);
      const copy = hot.get(row);
      if (copy !== undefined) {
        this.hotTier.bytes += this.es;
        const v = copy[lin - row * this.layout.rowLength] as number;
        return this.f16 ? fromF16(v) : v;
      }
      const v = this.#readMapped(lin);
      if (hot.touch(row)) this.promote(row);
      return v;
    }
    return this.#readMapped(lin);
  }

  #readMapped(lin: number): number {
    const t0 = this.timing ? this.clock() : 0;
    const byte = lin * this.es;
    const c = Math.floor(byte / this.cb);
    if (this.predictor !== null) this.observe(byte, this.es);
    const mc = this.chunkFor(c);
    let v = 0;
    if (mc === null) this.mapped.zeroReads++;
    else {
      const s = mc.data[(byte - c * this.cb) / this.es] as number;
      v = this.f16 ? fromF16(s) : s;
      this.mapped.hits++;
      this.mapped.bytes += this.es;
    }
    if (this.timing) this.mapped.latencyMs += this.clock() - t0;
    return v;
  }

  /** Copy row `row` into the hot tier (rows lie inside one chunk when the hot tier is on). */
  promote(row: number): void {
    const { rowLength, rowBytes } = this.layout;
    const byte = row * rowBytes;
    const c = Math.floor(byte / this.cb);
    const mc = this.cache.get(c);
    if (mc === null) return;
    const at = (byte - c * this.cb) / this.es;
    this.hot?.put(row, mc.data.slice(at, at + rowLength));
  }

  /** Write one element (value already a number); keeps heap copies and the hot copy current. */
  writeLinear(lin: number, x: number): void {
    const writer = this.checkWritable();
    const enc = encodeValue(this.dtype, x);
    this.#scratchView[0] = enc;
    const byte = lin * this.es;
    const c = Math.floor(byte / this.cb);
    const off = byte - c * this.cb;
    writer.write(c, off, this.#scratch.subarray(0, this.es));
    if (!this.nativeMapping) for (const mc of this.cache.copiesOf(c)) if (!mc.mapping.native) mc.data[off / this.es] = enc;
    if (this.hot !== null) {
      const row = Math.floor(lin / this.layout.rowLength);
      const copy = this.hot.peek(row);
      if (copy !== undefined) copy[lin - row * this.layout.rowLength] = enc;
    }
  }

  /** Write encoded bytes at field byte `byte`, split across chunks (creating chunks as needed). */
  writeRange(byte: number, bytes: Uint8Array): void {
    const writer = this.checkWritable();
    let done = 0;
    while (done < bytes.length) {
      const at = byte + done;
      const c = Math.floor(at / this.cb);
      const off = at - c * this.cb;
      const n = Math.min(bytes.length - done, this.cb - off);
      const part = bytes.subarray(done, done + n);
      writer.write(c, off, part);
      if (!this.nativeMapping) for (const mc of this.cache.copiesOf(c)) if (!mc.mapping.native) mc.bytes.set(part, off);
      done += n;
    }
    if (this.hot !== null && bytes.length > 0) {
      const rb = this.layout.rowBytes;
      this.hot.invalidate(Math.floor(byte / rb), Math.floor((byte + bytes.length - 1) / rb));
    }
  }

  /** Feed the predictor and act on its predictions. */
  observe(byte: number, length: number): void {
    const ranges = (this.predictor as PrefetchPredictor).observe(byte, length);
    if (ranges.length > 0) this.applyPrefetch(ranges);
  }

  /** madvise(WILLNEED) predicted ranges; map predicted chunks early while the LRU has room. */
  applyPrefetch(ranges: readonly PrefetchRange[]): void {
    for (const r of ranges) {
      let at = r.offset;
      const end = r.offset + r.length;
      while (at < end) {
        const c = Math.floor(at / this.cb);
        const off = at - c * this.cb;
        const n = Math.min(end - at, this.cb - off);
        this.#adviseChunk(c, off, n);
        at += n;
      }
    }
  }

  #adviseChunk(c: number, off: number, n: number): void {
    let mc: MappedChunk | null;
    if (this.cache.isMapped(c)) mc = this.cache.get(c);
    else {
      this.remote?.prefetch(c); // downloads in the background unless local or known absent
      if (!this.cache.hasRoom(this.cb + CHUNK_HEADER_BYTES)) return;
      try {
        mc = this.cache.get(c);
      } catch {
        return; // speculative: a bad predicted chunk fails the read that needs it, not this one
      }
      if (mc !== null) this.prefetchIo.earlyMaps++;
    }
    if (mc === null || !mc.mapping.native) return;
    mc.mapping.advise('willneed', CHUNK_HEADER_BYTES + off, n);
    this.prefetchIo.advised++;
  }
}
