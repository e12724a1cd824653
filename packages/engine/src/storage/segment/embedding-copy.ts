/**
 * Copies of stored embeddings for the records reads return (docs/storage.md "Snapshots": every
 * record is the caller's own). A `Float32Array.prototype.slice` of 64 floats allocates a backing
 * store outside the JS heap each time, which costs ~0.7 µs with the garbage collection it
 * causes — more than a whole point read otherwise does. Small embeddings are therefore copied
 * into slabs of SLAB_BYTES, several records' embeddings per slab, the way Node pools small
 * Buffers: the copy owns its floats (writing to it changes nothing stored and no other record),
 * but its `buffer` is the slab, and a kept record keeps its slab (at most SLAB_BYTES) alive.
 * Larger embeddings get a buffer of their own.
 */

/** Slab size; embeddings up to a quarter of it are pooled. */
export const SLAB_BYTES = 8192;
const SLAB_FLOATS = SLAB_BYTES / 4;
const POOLED_MAX_FLOATS = SLAB_FLOATS / 4;

/** The current slab, as 32-bit integers: copies move bits, not float values (a NaN's payload stays). */
let slab = new Int32Array(SLAB_FLOATS);
let used = 0;

/** A copy of `dim` floats of `src` from index `from` (the caller has checked the range). */
export function copyEmbedding(src: Float32Array, from: number, dim: number): Float32Array {
  if (dim > POOLED_MAX_FLOATS) return src.slice(from, from + dim);
  if (used + dim > SLAB_FLOATS) {
    slab = new Int32Array(SLAB_FLOATS);
    used = 0;
  }
  const at = used;
  used += dim;
  // same element type on both sides: a plain byte copy
  slab.set(new Int32Array(src.buffer, src.byteOffset + 4 * from, dim), at);
  return new Float32Array(slab.buffer, 4 * at, dim);
}
