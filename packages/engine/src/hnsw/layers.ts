/**
 * Graph traversal shared by the JS build and the JS search (docs/hnsw_format.md layout):
 * neighbour-list access, greedy descent through the upper layers, and the ef-bounded best-first
 * search of one layer with an optional row filter (filtered rows are traversed, never returned).
 */
import type { RowDistance } from './distance.js';
import type { HnswGraph } from './graph.js';
import { PairHeap } from './heap.js';

/** Epoch-tagged visited set, reused across traversals (no per-query clearing). */
export class Visited {
  private tags: Uint32Array;
  private epoch = 0;
  constructor(count: number) {
    this.tags = new Uint32Array(count);
  }
  next(): void {
    if (++this.epoch === 0xffffffff) {
      this.tags.fill(0);
      this.epoch = 1;
    }
  }
  /** Marks `row`; returns true if it was already marked in this epoch. */
  testAndSet(row: number): boolean {
    if (this.tags[row] === this.epoch) return true;
    this.tags[row] = this.epoch;
    return false;
  }
}

/** Start index in the graph's arrays of `row`'s list on `level` (returns [array, at]). */
export function listOf(g: HnswGraph, row: number, level: number): [Uint32Array, number] {
  if (level === 0) return [g.layer0, row * (1 + g.maxM0)];
  return [g.upperLinks, g.upperOffsets[row]! + (level - 1) * (1 + g.M)];
}

/** Greedy descent from `start` on layers top..stop+1; returns the closest row found and its distance. */
export function greedyDescent(g: HnswGraph, dist: RowDistance, start: number, startDist: number, top: number, stop: number): [number, number] {
  let cur = start;
  let curDist = startDist;
  for (let level = top; level > stop; level--) {
    let changed = true;
    while (changed) {
      changed = false;
      const [links, at] = listOf(g, cur, level);
      const n = links[at]!;
      for (let j = 1; j <= n; j++) {
        const nb = links[at + j]!;
        const d = dist(nb);
        if (d < curDist || (d === curDist && nb < cur)) {
          cur = nb;
          curDist = d;
          changed = true;
        }
      }
    }
  }
  return [cur, curDist];
}

/**
 * Best-first search of `level` from `entry`, keeping at most `ef` results (a max-heap, returned).
 * With `allowed`, rows failing it are expanded but never enter the results (hnswlib's rule).
 */
export function searchLayer(
  g: HnswGraph, dist: RowDistance, entry: number, entryDist: number, ef: number, level: number,
  visited: Visited, allowed?: (row: number) => boolean,
): PairHeap {
  const results = new PairHeap(true, ef + 1);
  const candidates = new PairHeap(false, 64);
  visited.next();
  visited.testAndSet(entry);
  candidates.push(entryDist, entry);
  if (!allowed || allowed(entry)) results.push(entryDist, entry);
  while (candidates.size > 0) {
    const cd = candidates.topDist;
    const cRow = candidates.topRow;
    if (results.size >= ef && cd > results.topDist) break;
    candidates.pop();
    const [links, at] = listOf(g, cRow, level);
    const n = links[at]!;
    for (let j = 1; j <= n; j++) {
      const nb = links[at + j]!;
      if (visited.testAndSet(nb)) continue;
      const d = dist(nb);
      if (results.size < ef || d < results.topDist) {
        candidates.push(d, nb);
        if (!allowed || allowed(nb)) {
          results.push(d, nb);
          if (results.size > ef) results.pop();
        }
      }
    }
  }
  return results;
}
