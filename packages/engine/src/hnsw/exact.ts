/**
 * Exact (brute-force) top-k over the allowed rows, the JS path's oracle-grade search and the
 * fallback for very selective filters. Distances as in docs/hnsw_format.md; ties by row id.
 */
import type { RowDistance } from './distance.js';
import { PairHeap } from './heap.js';

export interface SearchResult {
  /** Row ids, best first (ties by lower row id). */
  rows: Uint32Array;
  distances: Float32Array;
}

export function exactTopK(count: number, k: number, dist: RowDistance, allowed?: (row: number) => boolean): SearchResult {
  return closestRows(count, k, dist, allowed).drainSorted();
}

/**
 * The k closest allowed rows of 0…count−1, ties by lower row, in a max-heap (the farthest kept on
 * top; pop them for the order), with their distances as `dist` gave them (f64). Also the memtable
 * part of a store-wide search (search/vector-search.ts), over its id-ordered records.
 */
export function closestRows(count: number, k: number, dist: RowDistance, allowed?: (row: number) => boolean): PairHeap {
  const heap = new PairHeap(true, k + 1);
  if (k <= 0) return heap;
  for (let row = 0; row < count; row++) {
    if (allowed && !allowed(row)) continue;
    const d = dist(row);
    if (heap.size < k) heap.push(d, row);
    else if (d < heap.topDist || (d === heap.topDist && row < heap.topRow)) {
      heap.pop();
      heap.push(d, row);
    }
  }
  return heap;
}
