/**
 * Hot tier of a Field (docs/field_format.md "Tiers"): copies of frequently read rows kept in RAM.
 * A row is promoted after `promoteAfter` reads through get/batchGet/getAsync; copies are bounded
 * by `maxBytes` with LRU eviction. Writes update a hot copy in place, so it never goes stale.
 */
import type { StoredArray } from './dtype.js';

export interface HotTierOptions {
  /** Bytes of row copies kept. Default 8 MiB; 0 disables the tier. */
  maxBytes?: number;
  /** Reads of a row before it is promoted. Default 4. */
  promoteAfter?: number;
}

export interface HotTierCounters {
  hits: number;
  promotions: number;
  evictions: number;
  rows: number;
  bytes: number;
}

/** Access counts kept for at most this many rows; the table is cleared when full (aging). */
const MAX_COUNTED = 1 << 16;

export class HotTier {
  readonly #rows = new Map<number, StoredArray>();
  readonly #counts = new Map<number, number>();
  readonly #maxBytes: number;
  readonly #promoteAfter: number;
  readonly #rowBytes: number;
  #bytes = 0;
  #c = { hits: 0, promotions: 0, evictions: 0 };

  constructor(rowBytes: number, o: HotTierOptions = {}) {
    this.#rowBytes = rowBytes;
    this.#maxBytes = o.maxBytes ?? 8 * 2 ** 20;
    this.#promoteAfter = Math.max(1, o.promoteAfter ?? 4);
  }

  get enabled(): boolean {
    return this.#maxBytes >= this.#rowBytes;
  }

  counters(): HotTierCounters {
    return { ...this.#c, rows: this.#rows.size, bytes: this.#bytes };
  }

  /** The hot copy of `row` (counted as a hit and made most recent), or undefined. */
  get(row: number): StoredArray | undefined {
    const r = this.#rows.get(row);
    if (r === undefined) return undefined;
    this.#c.hits++;
    this.#rows.delete(row);
    this.#rows.set(row, r);
    return r;
  }

  /** The hot copy of `row` without counting or reordering (for writes). */
  peek(row: number): StoredArray | undefined {
    return this.#rows.get(row);
  }

  /** Count a read of `row` served below this tier; true when it should now be promoted. */
  touch(row: number): boolean {
    const n = (this.#counts.get(row) ?? 0) + 1;
    if (n >= this.#promoteAfter) {
      this.#counts.delete(row);
      return true;
    }
    if (this.#counts.size >= MAX_COUNTED) this.#counts.clear();
    this.#counts.set(row, n);
    return false;
  }

  /** Keep `copy` (the stored elements of `row`), evicting least recently used rows. */
  put(row: number, copy: StoredArray): void {
    if (!this.enabled || this.#rows.has(row)) return;
    this.#rows.set(row, copy);
    this.#bytes += this.#rowBytes;
    this.#c.promotions++;
    for (const old of this.#rows.keys()) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#rows.delete(old);
      this.#bytes -= this.#rowBytes;
      this.#c.evictions++;
    }
  }

  /** Drop hot copies of rows [first, last] (after a multi-element write). */
  invalidate(first: number, last: number): void {
    if (this.#rows.size === 0) return;
    if (last - first < this.#rows.size) {
      for (let r = first; r <= last; r++) this.#drop(r);
    } else {
      for (const r of this.#rows.keys()) if (r >= first && r <= last) this.#drop(r);
    }
  }

  #drop(row: number): void {
    if (this.#rows.delete(row)) this.#bytes -= this.#rowBytes;
  }

  clear(): void {
    this.#rows.clear();
    this.#counts.clear();
    this.#bytes = 0;
  }
}
