/**
 * Prefetch predictor (docs/field_format.md "Prefetch"): a pure model of the access stream of one Field,
 * in the field's linear byte space. It detects sequential runs (forward or backward, steps of at
 * most `denseStep`) and constant strides (positive or negative, larger steps), and answers each
 * access with the byte ranges worth asking the OS to read ahead. It also keeps the counters:
 * faults (first touch of a page not prefetched), hits (first touch of a prefetched page), pages
 * issued, and accuracy = hits / issued. No I/O here; the Field turns ranges into madvise calls.
 */
import { positive } from './options.js';

export interface PrefetchOptions {
  /** Page size the accounting uses. Default 4096. */
  pageSize?: number;
  /** Equal steps needed before predicting (2 = three accesses). Default 2. */
  confirm?: number;
  /** First read-ahead window of a sequential run, bytes. Default 128 KiB. */
  initialWindow?: number;
  /** The window doubles per issue up to this. Default 8 MiB. */
  maxWindow?: number;
  /** Accesses predicted ahead on a stride. Default 8. */
  strideDepth?: number;
  /**
   * Steps up to this many bytes count as a (dense) sequential run and are read ahead as one
   * contiguous window — large I/Os beat one small read per access, as the kernel's own read-around
   * does. Larger constant steps are strides, predicted access by access. Default 32 KiB.
   */
  denseStep?: number;
  /** Page-state blocks kept (each covers 16384 pages). Default 256. */
  maxBlocks?: number;
}

export interface PrefetchRange {
  offset: number;
  length: number;
}

export interface PrefetchCounters {
  accesses: number;
  /** First touches of pages that had not been prefetched. */
  faults: number;
  /** First touches of pages that had been prefetched (= used prefetches). */
  hits: number;
  /** Pages predicted (each counted once). */
  issued: number;
  /** hits / issued (0 before anything was issued). */
  accuracy: number;
  /** Runs of sequential / strided access that reached confirmation. */
  sequentialRuns: number;
  strideRuns: number;
}

const BLOCK_PAGES = 16384;
const UNTOUCHED = 0;
const ISSUED = 1;
const TOUCHED = 2;
const NONE: PrefetchRange[] = [];

export class PrefetchPredictor {
  readonly #ps: number;
  readonly #confirm: number;
  readonly #win0: number;
  readonly #winMax: number;
  readonly #depth: number;
  readonly #dense: number;
  readonly #maxBlocks: number;
  readonly #limit: number;
  readonly #blocks = new Map<number, Uint8Array>();
  #lastBlock = -1;
  #lastArr: Uint8Array | null = null;
  #lastOff = -1;
  #lastDelta = 0;
  #run = 0;
  #window = 0;
  /** Sequential: furthest byte issued in the run's direction; stride: last predicted access. */
  #horizon = -1;
  #c = { accesses: 0, faults: 0, hits: 0, issued: 0, sequentialRuns: 0, strideRuns: 0 };

  /** `limit`: size of the byte space (nothing is predicted outside [0, limit)). */
  constructor(limit: number, o: PrefetchOptions = {}) {
    this.#limit = limit;
    this.#ps = positive('prefetch.pageSize', o.pageSize, 4096);
    this.#confirm = positive('prefetch.confirm', o.confirm, 2);
    this.#win0 = positive('prefetch.initialWindow', o.initialWindow, 128 * 1024);
    this.#winMax = Math.max(this.#win0, positive('prefetch.maxWindow', o.maxWindow, 8 * 2 ** 20));
    this.#depth = positive('prefetch.strideDepth', o.strideDepth, 8);
    this.#dense = Math.max(this.#ps, positive('prefetch.denseStep', o.denseStep, 32 * 1024));
    this.#maxBlocks = positive('prefetch.maxBlocks', o.maxBlocks, 256);
  }

  counters(): PrefetchCounters {
    const c = this.#c;
    return { ...c, accuracy: c.issued === 0 ? 0 : c.hits / c.issued };
  }

  /** Record an access of `length` bytes at `offset`; returns ranges to prefetch (often none). */
  observe(offset: number, length: number): PrefetchRange[] {
    this.#c.accesses++;
    this.#touch(offset, length);
    const delta = this.#lastOff < 0 ? 0 : offset - this.#lastOff;
    this.#lastOff = offset;
    if (delta === 0) return NONE;
    const small = Math.abs(delta) <= this.#dense;
    const same = small
      ? Math.sign(delta) === Math.sign(this.#lastDelta) && Math.abs(this.#lastDelta) <= this.#dense
      : delta === this.#lastDelta;
    if (!same) {
      this.#lastDelta = delta;
      this.#run = 1;
      this.#window = this.#win0;
      this.#horizon = -1;
      return NONE;
    }
    this.#lastDelta = delta;
    this.#run++;
    if (this.#run < this.#confirm) return NONE;
    if (this.#run === this.#confirm) {
      if (small) this.#c.sequentialRuns++;
      else this.#c.strideRuns++;
    }
    return small ? this.#sequential(offset, length, delta > 0) : this.#stride(offset, length, delta);
  }

  #sequential(offset: number, length: number, forward: boolean): PrefetchRange[] {
    const w = this.#window;
    if (forward) {
      const end = offset + length;
      const from = Math.max(this.#horizon, end);
      if (this.#horizon >= 0 && this.#horizon - end >= w / 4) return NONE;
      const to = Math.min(this.#limit, end + w);
      if (to <= from) return NONE;
      this.#horizon = to;
      this.#window = Math.min(this.#winMax, w * 2);
      return this.#issue([{ offset: from, length: to - from }]);
    }
    const lo = Math.max(0, offset - w);
    const hi = this.#horizon >= 0 ? Math.min(this.#horizon, offset) : offset;
    if (this.#horizon >= 0 && offset - this.#horizon >= w / 4) return NONE;
    if (hi <= lo) return NONE;
    this.#horizon = lo;
    this.#window = Math.min(this.#winMax, w * 2);
    return this.#issue([{ offset: lo, length: hi - lo }]);
  }

  #stride(offset: number, length: number, delta: number): PrefetchRange[] {
    const out: PrefetchRange[] = [];
    let k = this.#horizon < 0 ? 1 : Math.round((this.#horizon - offset) / delta) + 1;
    for (; k <= this.#depth; k++) {
      const at = offset + k * delta;
      if (at < 0 || at + length > this.#limit) break;
      out.push({ offset: at, length });
      this.#horizon = at;
    }
    return out.length === 0 ? NONE : this.#issue(out);
  }

  /** Page-state array of the block holding `page` (created on demand, bounded FIFO). */
  #block(page: number): Uint8Array {
    const b = Math.floor(page / BLOCK_PAGES);
    if (b === this.#lastBlock && this.#lastArr !== null) return this.#lastArr;
    let arr = this.#blocks.get(b);
    if (arr === undefined) {
      if (this.#blocks.size >= this.#maxBlocks) {
        const oldest = this.#blocks.keys().next().value as number;
        this.#blocks.delete(oldest);
        if (oldest === this.#lastBlock) this.#lastArr = null;
      }
      arr = new Uint8Array(BLOCK_PAGES);
      this.#blocks.set(b, arr);
    }
    this.#lastBlock = b;
    this.#lastArr = arr;
    return arr;
  }

  #touch(offset: number, length: number): void {
    const first = Math.floor(offset / this.#ps);
    const last = Math.floor((offset + Math.max(1, length) - 1) / this.#ps);
    for (let p = first; p <= last; p++) {
      const arr = this.#block(p);
      const i = p % BLOCK_PAGES;
      const s = arr[i];
      if (s === TOUCHED) continue;
      if (s === ISSUED) this.#c.hits++;
      else this.#c.faults++;
      arr[i] = TOUCHED;
    }
  }

  /** Count the new pages of `ranges` as issued and return the ranges. */
  #issue(ranges: PrefetchRange[]): PrefetchRange[] {
    for (const r of ranges) {
      const first = Math.floor(r.offset / this.#ps);
      const last = Math.floor((r.offset + r.length - 1) / this.#ps);
      for (let p = first; p <= last; p++) {
        const arr = this.#block(p);
        const i = p % BLOCK_PAGES;
        if (arr[i] !== UNTOUCHED) continue;
        arr[i] = ISSUED;
        this.#c.issued++;
      }
    }
    return ranges;
  }
}
