/**
 * HnswIndex: search over one segment's graph (a checked file image, usually a read-only mapping)
 * and its vectors view. Dispatches to the native handle (hnsw.cc) or the JS searcher; picks an
 * exact scan for `exact`, ef ≥ count, or very selective filters. docs/hnsw_format.md.
 */
import { MnemoError } from '@mnemo/native';
import type { HnswNativeHandle, Mapping } from '@mnemo/native';
import type { Metric } from '../model.js';
import type { SearchResult } from './exact.js';
import { allowedPredicate, checkBitmap, countAllowed, materialize, sampleFraction } from './filter.js';
import type { RowFilter } from './filter.js';
import type { HnswHeader } from './format.js';
import type { HnswGraph } from './graph.js';
import { JsSearcher } from './search-js.js';

/** Below this allowed fraction a filtered search scans the allowed rows exactly. */
export const EXACT_FILTER_FRACTION = 0.03;
export const DEFAULT_EF = 64;

export interface SearchOptions {
  /** Candidate list size (≥ k); default the index's efSearch. */
  ef?: number;
  /** Allowed rows: bitmap (bit i of byte i>>3) or predicate. Filtered rows never appear in results. */
  filter?: RowFilter;
  /** Tombstones: bitmap of rows that must not appear. */
  exclude?: Uint8Array;
  /** Brute-force top-k over the allowed rows. */
  exact?: boolean;
}

export interface IndexParts {
  header: HnswHeader;
  graph: HnswGraph;
  vectors: Float32Array;
  native: HnswNativeHandle | null;
  efSearch?: number;
  /** Released by close() (the index owns it). */
  mapping?: Mapping;
}

export class HnswIndex {
  readonly header: HnswHeader;
  readonly backend: 'native' | 'js';
  efSearch: number;
  private js: JsSearcher | null;
  private native: HnswNativeHandle | null;
  private mapping: Mapping | undefined;
  private closed = false;

  constructor(p: IndexParts) {
    this.header = p.header;
    this.native = p.native;
    this.js = p.native ? null : new JsSearcher(p.graph, p.vectors);
    this.backend = p.native ? 'native' : 'js';
    this.efSearch = p.efSearch ?? DEFAULT_EF;
    this.mapping = p.mapping;
  }

  get count(): number { return this.header.count; }
  get dim(): number { return this.header.dim; }
  get metric(): Metric { return this.header.metric; }

  /** Top-k rows for `query`, best first, ties by row id. */
  search(query: Float32Array, k: number, opts: SearchOptions = {}): SearchResult {
    if (this.closed) throw new MnemoError('RELEASED', 'this HNSW index was closed; open it again');
    if (!(query instanceof Float32Array) || query.length !== this.dim) {
      throw new MnemoError('DIMENSION_MISMATCH', `query must be a Float32Array of length ${this.dim}`);
    }
    checkFiniteQuery(query);
    if (!Number.isInteger(k) || k < 0) throw new MnemoError('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
    const ef = opts.ef ?? this.efSearch;
    if (!Number.isInteger(ef) || ef < 1) throw new MnemoError('INVALID_ARGUMENT', `ef must be a positive integer, got ${ef}`);
    const count = this.count;
    if (opts.exclude !== undefined) checkBitmap(opts.exclude, count, 'exclude');
    if (opts.filter !== undefined && typeof opts.filter !== 'function') checkBitmap(opts.filter, count, 'filter');
    // the walk keeps max(ef, k) results: once that covers every row, the exact scan is the same answer
    let exact = opts.exact === true || Math.max(ef, k) >= count;
    if (count === 0 || k === 0) return { rows: new Uint32Array(0), distances: new Float32Array(0) };
    // nothing is sized by k or ef beyond the row count (k = 2^53 − 1 must not allocate 2^53 slots)
    const kk = Math.min(k, count), eff = Math.min(ef, count);
    if (this.native) {
      let bm = opts.filter as Uint8Array | undefined;
      if (typeof opts.filter === 'function') bm = materialize(opts.filter, count);
      if (!exact && (bm || opts.exclude)) exact = countAllowed(bm, opts.exclude, count) < EXACT_FILTER_FRACTION * count;
      return this.native.search(query, kk, eff, bm ?? null, opts.exclude ?? null, exact);
    }
    const pred = allowedPredicate(opts.filter, opts.exclude);
    if (!exact && pred) exact = sampleFraction(pred, count) < EXACT_FILTER_FRACTION;
    return this.js!.search(query, kk, eff, pred, exact);
  }

  /** Release the native handle and the mapping (if owned). Idempotent; search afterwards throws RELEASED. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.native?.close();
    this.native = null;
    this.js = null;
    this.mapping?.unmap();
  }
}

/** A NaN or ±Infinity component makes every distance NaN or infinite: refused, not searched. */
export function checkFiniteQuery(query: ArrayLike<number>): void {
  for (let i = 0; i < query.length; i++) {
    if (!Number.isFinite(query[i]!)) throw new MnemoError('INVALID_ARGUMENT', `query component ${i} is ${query[i]}; a query vector must be finite`);
  }
}

/** Re-export for callers that filter. */
export type { RowFilter, SearchResult };
