/**
 * A binary heap of (distance, row) pairs over growable typed arrays, ordered by distance then
 * row id, so every traversal of the JS HNSW path (docs/hnsw_format.md) is deterministic.
 * `max = true` keeps the farthest pair on top (result sets); false the closest (candidates).
 */
export class PairHeap {
  private d: Float64Array;
  private r: Uint32Array;
  size = 0;

  constructor(private readonly max: boolean, capacity = 64) {
    this.d = new Float64Array(capacity);
    this.r = new Uint32Array(capacity);
  }

  /** True when pair i should sit above pair j. */
  private above(i: number, j: number): boolean {
    const di = this.d[i]!, dj = this.d[j]!;
    if (di !== dj) return this.max ? di > dj : di < dj;
    return this.max ? this.r[i]! > this.r[j]! : this.r[i]! < this.r[j]!;
  }

  private swap(i: number, j: number): void {
    const d = this.d[i]!, r = this.r[i]!;
    this.d[i] = this.d[j]!; this.r[i] = this.r[j]!;
    this.d[j] = d; this.r[j] = r;
  }

  clear(): void {
    this.size = 0;
  }

  get topDist(): number {
    return this.d[0]!;
  }

  get topRow(): number {
    return this.r[0]!;
  }

  push(dist: number, row: number): void {
    if (this.size === this.d.length) {
      const d = new Float64Array(this.size * 2); d.set(this.d); this.d = d;
      const r = new Uint32Array(this.size * 2); r.set(this.r); this.r = r;
    }
    let i = this.size++;
    this.d[i] = dist;
    this.r[i] = row;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.above(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Remove the top pair (read it with topDist/topRow first). */
  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    this.d[0] = this.d[last]!;
    this.r[0] = this.r[last]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, rr = l + 1;
      let best = i;
      if (l < last && this.above(l, best)) best = l;
      if (rr < last && this.above(rr, best)) best = rr;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }

  /** Drain into arrays ordered closest first (ties by row); empties the heap. */
  drainSorted(): { rows: Uint32Array; distances: Float32Array } {
    const n = this.size;
    const rows = new Uint32Array(n);
    const distances = new Float32Array(n);
    for (let k = n - 1; k >= 0; k--) {
      // a max-heap pops farthest first; a min-heap closest first
      const at = this.max ? k : n - 1 - k;
      rows[at] = this.topRow;
      distances[at] = this.topDist;
      this.pop();
    }
    return { rows, distances };
  }
}
