/**
 * Small open-addressing tables keyed by node number, holding SPREAD's per-query state
 * (docs/graph.md §5). A query touches a few hundred nodes of a graph of millions: a table sized
 * to what is touched stays in L1/L2, where arrays indexed by node number cost a cache miss per
 * touched node. Linear probing, multiplicative hash, grows at load 1/2.
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
