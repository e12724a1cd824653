/**
 * In-place stable sorts of small node lists (docs/graph.md §5): bottom-up merge sorts over
 * Int32Array with insertion-sorted runs of 16 — a generic one taking an order function, and one
 * specialised to SPREAD's row order (total desc, then node number) whose comparison inlines.
 * Both are much cheaper than Array.prototype.sort with a comparator, which dominated SPREAD.
 */

/** Sorts `a` so that `before(a[i], a[j])` never holds for i > j; ties keep their order. */
export function sortNodesBy(a: Int32Array, before: (x: number, y: number) => boolean): Int32Array {
  const n = a.length;
  const RUN = 16;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(n, lo + RUN);
    for (let i = lo + 1; i < hi; i++) {
      const x = a[i] as number;
      let j = i - 1;
      while (j >= lo && before(x, a[j] as number)) {
        a[j + 1] = a[j] as number;
        j--;
      }
      a[j + 1] = x;
    }
  }
  if (n <= RUN) return a;
  let src: Int32Array = a;
  let dst: Int32Array = new Int32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) dst[k++] = before(src[j] as number, src[i] as number) ? (src[j++] as number) : (src[i++] as number);
      while (i < mid) dst[k++] = src[i++] as number;
      while (j < hi) dst[k++] = src[j++] as number;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== a) a.set(src);
  return a;
}

/**
 * Sorts slots by total[slot] descending, then by keys[slot] ascending (node numbers, valid as id
 * order because the caller only uses this when every key is below its JS-ordered bound).
 */
export function sortByTotalDesc(a: Int32Array, total: Float64Array, keys: Int32Array): Int32Array {
  const before = (x: number, y: number): boolean => {
    const tx = total[x] as number;
    const ty = total[y] as number;
    return tx > ty || (tx === ty && (keys[x] as number) < (keys[y] as number));
  };
  const n = a.length;
  const RUN = 16;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(n, lo + RUN);
    for (let i = lo + 1; i < hi; i++) {
      const x = a[i] as number;
      let j = i - 1;
      while (j >= lo && before(x, a[j] as number)) {
        a[j + 1] = a[j] as number;
        j--;
      }
      a[j + 1] = x;
    }
  }
  if (n <= RUN) return a;
  let src: Int32Array = a;
  let dst: Int32Array = new Int32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) dst[k++] = before(src[j] as number, src[i] as number) ? (src[j++] as number) : (src[i++] as number);
      while (i < mid) dst[k++] = src[i++] as number;
      while (j < hi) dst[k++] = src[j++] as number;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== a) a.set(src);
  return a;
}
