/**
 * Reused buffers for the embedding copies validation makes (validate-ops.ts; docs/storage.md,
 * "Write path"). A write batch's copies live only until the batch is applied — the WAL encodes
 * them into its payload and the memtable copies them into its blocks — so the write path gives
 * the buffer back then. Measured: a fresh 512 KiB buffer per 1000-row batch cost ~10 % of the
 * write time (alternating runs; bench/results/ingest.md, session 6).
 */

/** Buffers kept at most (a few batches in flight share the pool). */
const KEEP = 4;

export class ArenaPool {
  private readonly free: Float32Array[] = [];

  /** A buffer of at least `floats` elements (contents undefined: the arena overwrites what it uses). */
  take(floats: number): Float32Array {
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i] as Float32Array;
      if (b.length >= floats && b.length <= 2 * floats) {
        this.free.splice(i, 1);
        return b;
      }
    }
    return new Float32Array(floats);
  }

  /** Returns `b` (taken from this pool, no longer referenced by any record) for reuse. */
  give(b: Float32Array): void {
    if (this.free.length < KEEP) this.free.push(b);
  }
}
