/**
 * Recycled shared memory for memtable row blocks (docs/storage.md, "Memtable"). A memtable's
 * blocks come back here when the last version holding the memtable is released: its flush has
 * finished and no snapshot can read it any more. New blocks of the same byte size take them
 * instead of fresh SharedArrayBuffers. Each fresh buffer costs a page fault per 4 KiB and the
 * kernel's zeroing, ~0.8 GB of them per million 128-d rows.
 *
 * A recycled buffer is not zeroed: RowBlock writes every byte it later reads (row-block.ts).
 * What the pool keeps is dropped once nothing was taken for IDLE_TRIM_MS, so an idle store does
 * not hold a memtable's worth of memory.
 */

/** Kept buffers are dropped after this long without a take. */
export const IDLE_TRIM_MS = 2000;

export class BlockPool {
  private readonly free = new Map<number, SharedArrayBuffer[]>();
  private held = 0;
  private takes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** @param maxBytes the most this pool keeps; buffers given beyond it are left to the collector. */
  constructor(readonly maxBytes: number) {}

  /** Bytes kept for reuse now. */
  get bytes(): number {
    return this.held;
  }

  /** A buffer of exactly `bytes` bytes: a recycled one (old contents) or a fresh, zeroed one. */
  take(bytes: number): SharedArrayBuffer {
    this.takes += 1;
    const b = this.free.get(bytes)?.pop();
    if (b === undefined) return new SharedArrayBuffer(bytes);
    this.held -= bytes;
    return b;
  }

  /** Keeps `b` for reuse. The caller guarantees nothing will read or write it any more. */
  give(b: SharedArrayBuffer): void {
    const n = b.byteLength;
    if (this.held + n > this.maxBytes) return;
    let list = this.free.get(n);
    if (list === undefined) this.free.set(n, (list = []));
    list.push(b);
    this.held += n;
    this.armTrim();
  }

  /** Drops every kept buffer (the collector frees them). */
  clear(): void {
    this.free.clear();
    this.held = 0;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Clears the pool IDLE_TRIM_MS after the last take (the timer keeps no process alive). */
  private armTrim(): void {
    if (this.timer !== undefined) return;
    const seen = this.takes;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.takes === seen) this.clear();
      else if (this.held > 0) this.armTrim();
    }, IDLE_TRIM_MS);
    this.timer.unref?.();
  }
}
