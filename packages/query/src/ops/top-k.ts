/**
 * The first k of `rows` in `compare` order, sorted, without sorting them all: a bounded max-heap
 * of the best k seen so far (its root is the worst of them), O(n log k) comparisons instead of
 * O(n log n), and the k kept are sorted at the end. For a total order (the ranking comparators
 * break ties by id, and ids are unique) the result equals `[...rows].sort(compare).slice(0, k)`.
 * Rank uses it when a LIMIT follows, and ScanTop streams a space's rows through TopK (LIMIT
 * pushdown: docs/mql_reference.md §"EXPLAIN and PROFILE").
 */

/** Whether top-k selection beats a full sort: k at most half of n (near n, a sort does less work). */
export function worthSelecting(k: number, n: number): boolean {
  return k * 2 <= n;
}

export function topK<T>(rows: readonly T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k >= rows.length) return [...rows].sort(compare);
  const best = new TopK(k, compare);
  for (const r of rows) best.push(r);
  return best.sorted();
}

/**
 * The streaming form: `push` rows one by one, keeping only the best k (memory O(k) however many
 * rows pass); `sorted()` returns them in order.
 */
export class TopK<T> {
  private readonly heap: T[] = [];

  constructor(private readonly k: number, private readonly compare: (a: T, b: T) => number) {}

  push(r: T): void {
    const heap = this.heap;
    if (heap.length < this.k) {
      heap.push(r);
      siftUp(heap, heap.length - 1, this.compare);
    } else if (this.k > 0 && this.compare(r, heap[0] as T) < 0) {
      // ranks before the worst kept: it replaces it
      heap[0] = r;
      siftDown(heap, 0, this.compare);
    }
  }

  /** True once k rows are kept: a row must then rank before worst() to get in. */
  get full(): boolean {
    return this.heap.length >= this.k;
  }

  /** The worst row kept (the heap's root), or undefined when none is. */
  worst(): T | undefined {
    return this.heap[0];
  }

  sorted(): T[] {
    return this.heap.sort(this.compare);
  }
}

/** Moves heap[i] up while it ranks after its parent (the root is the worst kept). */
function siftUp<T>(heap: T[], i: number, compare: (a: T, b: T) => number): void {
  const x = heap[i] as T;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (compare(heap[p] as T, x) >= 0) break;
    heap[i] = heap[p] as T;
    i = p;
  }
  heap[i] = x;
}

/** Restores the max-heap below `i`: a parent ranks after (or ties with) both children. */
function siftDown<T>(heap: T[], i: number, compare: (a: T, b: T) => number): void {
  const n = heap.length;
  const x = heap[i] as T;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && compare(heap[c + 1] as T, heap[c] as T) > 0) c++;
    if (compare(heap[c] as T, x) <= 0) break;
    heap[i] = heap[c] as T;
    i = c;
  }
  heap[i] = x;
}
