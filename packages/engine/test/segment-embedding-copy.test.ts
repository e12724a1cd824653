/**
 * Pooled embedding copies (storage/segment/embedding-copy.ts): each copy holds exactly the source
 * floats (every bit, NaN payloads included), is independent of every other copy and of the source,
 * small ones share slabs and large ones own their buffer.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/storage/env/index.js';
import { SLAB_BYTES, copyEmbedding } from '../src/storage/segment/embedding-copy.js';

const bitsOf = (f: Float32Array): number[] => Array.from(new Uint32Array(f.buffer, f.byteOffset, f.length));

describe('copyEmbedding', () => {
  it('copies every bit, and no copy shares floats with another copy or the source', () => {
    const rnd = seededRandom(3);
    for (const dim of [1, 3, 64, 511, 512, 513, 1536]) {
      const rows = 40;
      const bits = new Uint32Array(rows * dim).map(() => Math.floor(rnd() * 2 ** 32));
      bits[5] = 0x7fc0beef; // a NaN with a payload
      bits[6] = 0xffa00001; // a signalling-NaN pattern
      const src = new Float32Array(bits.buffer);
      const copies = Array.from({ length: 3 * rows }, (_, i) => copyEmbedding(src, (i % rows) * dim, dim));
      copies.forEach((c, i) => {
        expect(c.length).toBe(dim);
        expect(bitsOf(c)).toEqual(Array.from(bits.subarray((i % rows) * dim, (i % rows + 1) * dim)));
      });
      // overwrite every copy: each sees only its own writes, the source none
      const before = Array.from(bits);
      copies.forEach((c, i) => c.fill(i));
      copies.forEach((c, i) => expect(c.every((x) => x === i)).toBe(true));
      expect(Array.from(bits)).toEqual(before);
      // small copies share slabs, large ones own their buffer
      if (4 * dim <= SLAB_BYTES / 4) {
        expect(copies[0]!.buffer.byteLength).toBe(SLAB_BYTES);
        expect(new Set(copies.map((c) => c.buffer)).size).toBeLessThan(copies.length);
      } else {
        expect(copies.every((c) => c.buffer.byteLength === 4 * dim && c.byteOffset === 0)).toBe(true);
      }
    }
  });
});
