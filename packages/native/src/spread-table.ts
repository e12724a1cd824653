/**
 * Per-query state of the TypeScript SPREAD kernel (spread-js.ts; docs/graph.md §5): small
 * open-addressing tables keyed by node number (a query touches a few hundred nodes of a graph of
 * millions: a table sized to what is touched stays in L1/L2, where arrays indexed by node number
 * cost a cache miss per touched node; linear probing, multiplicative hash, grows at load 1/2), and
 * in-place stable merge sorts of Int32Array node lists, much cheaper than Array.prototype.sort.
 */

const EMPTY = -1;
/** Tables larger than this are replaced by small ones at the next reset (one huge query must not tax the next). */
const SHRINK_ABOVE = 1 << 16;
const INITIAL = 1 << 10;

export class NodeTable {
  keys: Int32Array = new Int32Array(INITIAL).fill(EMPTY);
  /** Activation (per source) or total (per call). */
  a: Float64Array = new Float64Array(INITIAL);
  /** Best single-source activation (per call table). */
  b: Float64Array = new Float64Array(INITIAL);
  hops: Int32Array = new Int32Array(INITIAL);
  path: Int32Array = new Int32Array(INITIAL);
  /** Per-source table: hop epoch of the last improvement (frontier membership). */
  mark: Uint32Array = new Uint32Array(INITIAL);
  /** Occupied slots in insertion order. */
  slots: Int32Array = new Int32Array(INITIAL / 2);
  size = 0;
  private shift = 32 - 10;

  reset(): void {
    if (this.keys.length > SHRINK_ABOVE) this.alloc(INITIAL);
    else this.keys.fill(EMPTY);
    this.size = 0;
  }

  /** Slot of node v, or −1. */
  find(v: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let s = Math.imul(v, 0x9e3779b1) >>> this.shift; ; s = (s + 1) & mask) {
      const k = keys[s] as number;
      if (k === v) return s;
      if (k === EMPTY) return -1;
    }
  }

  /** Slot of node v, inserting it (fields zero) when absent. */
  add(v: number): number {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let s = Math.imul(v, 0x9e3779b1) >>> this.shift; ; s = (s + 1) & mask) {
      const k = keys[s] as number;
      if (k === v) return s;
      if (k === EMPTY) {
        keys[s] = v;
        this.a[s] = 0; this.b[s] = 0; this.hops[s] = 0; this.path[s] = 0; this.mark[s] = 0;
        this.slots[this.size++] = s;
        return s;
      }
    }
  }

  private alloc(cap: number): void {
    this.keys = new Int32Array(cap).fill(EMPTY);
    this.a = new Float64Array(cap);
    this.b = new Float64Array(cap);
    this.hops = new Int32Array(cap);
    this.path = new Int32Array(cap);
    this.mark = new Uint32Array(cap);
    this.slots = new Int32Array(cap / 2);
    this.shift = 32 - Math.log2(cap);
  }

  private grow(): void {
    const { keys, a, b, hops, path, mark, size, slots } = this;
    const order = slots.slice(0, size);
    this.alloc(keys.length * 2);
    this.size = 0;
    for (const old of order) {
      const s = this.add(keys[old] as number);
      this.a[s] = a[old] as number; this.b[s] = b[old] as number; this.hops[s] = hops[old] as number;
      this.path[s] = path[old] as number; this.mark[s] = mark[old] as number;
    }
  }
}

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
