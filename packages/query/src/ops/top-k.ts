/**
 * The first k of `rows` in `compare` order, sorted, without sorting them all: a bounded max-heap
 * of the best k seen so far (its root is the worst of them), O(n log k) comparisons instead of
 * O(n log n), and the k kept are sorted at the end. For a total order (the ranking comparators
 * break ties by id, and ids are unique) the result equals `[...rows].sort(compare).slice(0, k)`.
 * Rank uses it when a LIMIT follows (LIMIT pushdown: docs/mql_reference.md §"EXPLAIN and PROFILE").
 */

/** Whether top-k selection beats a full sort: k at most half of n (near n, a sort does less work). */
export function worthSelecting(k: number, n: number): boolean {
  return k * 2 <= n;
}

export function topK<T>(rows: readonly T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (k >= rows.length) return [...rows].sort(compare);
  const heap = rows.slice(0, k);
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(heap, i, compare);
  for (let i = k; i < rows.length; i++) {
    const r = rows[i] as T;
    // ranks before the worst kept: it replaces it
    if (compare(r, heap[0] as T) < 0) {
      heap[0] = r;
      siftDown(heap, 0, compare);
    }
  }
  return heap.sort(compare);
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
