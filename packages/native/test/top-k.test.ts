/**
 * topK: parity of native (AVX2, scalar) and pure TS on random data, exact ties broken by lower
 * row index, ordering per metric, k beyond the row count, NaN rows last, and the subarray
 * byteOffset case (a peer library searches the wrong vectors when handed a subarray).
 */
import { describe, expect, it } from 'vitest';
import { backend, topK } from '../src/index.js';
import { randomF32, rng } from './helpers.js';

const js = backend('js');
const all = [js, backend('native'), backend('native', { simd: 'scalar' })];
const METRICS = ['dot', 'l2', 'cosine'] as const;

/** Reference: full sort of every score (the kernels themselves use a bounded heap). */
function bruteTopK(metric: (typeof METRICS)[number], q: Float32Array, rows: Float32Array, k: number): number[] {
  const s = js.scoreBatch(metric, q, rows);
  const idx = Array.from(s.keys());
  idx.sort((a, b) => (s[a] === s[b] ? a - b : metric === 'l2' ? s[a]! - s[b]! : s[b]! - s[a]!));
  return idx.slice(0, k);
}

describe('topK', () => {
  it('all backends agree with a full sort on random data', () => {
    const next = rng(5);
    for (const dim of [3, 16, 33, 128]) {
      const n = 500;
      const q = randomF32(next, dim);
      const rows = randomF32(next, n * dim);
      for (const metric of METRICS) {
        for (const k of [1, 10, 64]) {
          const want = bruteTopK(metric, q, rows, k);
          for (const be of all) {
            const got = be.topK(metric, q, rows, k);
            expect(Array.from(got.indices), `${be.name}/${be.simd} ${metric} dim ${dim} k ${k}`).toEqual(want);
            const ref = js.scoreBatch(metric, q, rows);
            got.indices.forEach((r, j) => expect(got.scores[j]).toBeCloseTo(ref[r]!, 4));
          }
        }
      }
    }
  });

  it('breaks exact ties by the lower row index, on every backend and metric', () => {
    const dim = 9;
    const next = rng(11);
    const base = randomF32(next, dim);
    const other = randomF32(next, dim);
    // rows 0..11 alternate between two vectors: equal scores inside each group.
    const rows = new Float32Array(12 * dim);
    for (let r = 0; r < 12; r++) rows.set(r % 3 === 0 ? base : other, r * dim);
    for (const metric of METRICS) {
      const want = bruteTopK(metric, base, rows, 7);
      for (const be of all) expect(Array.from(be.topK(metric, base, rows, 7).indices)).toEqual(want);
    }
    // base itself is the best match for l2 and cosine: rows 0, 3, 6, 9 first, in index order.
    for (const be of all) expect(Array.from(be.topK('l2', base, rows, 4).indices)).toEqual([0, 3, 6, 9]);
  });

  it('ranks dot/cosine highest first and l2 lowest first', () => {
    const q = new Float32Array([1, 0]);
    const rows = new Float32Array([0, 1, 2, 0, -1, 0, 0.5, 0]);
    for (const be of all) {
      expect(Array.from(be.topK('dot', q, rows, 4).indices)).toEqual([1, 3, 0, 2]);
      expect(Array.from(be.topK('l2', q, rows, 4).indices)).toEqual([3, 1, 0, 2]);
      expect(Array.from(be.topK('cosine', q, rows, 2).indices)).toEqual([1, 3]);
    }
  });

  it('k larger than the row count returns every row; k = 0 returns none', () => {
    const q = new Float32Array([1, 2]);
    const rows = new Float32Array([1, 1, 2, 2, 3, 3]);
    for (const be of all) {
      const r = be.topK('dot', q, rows, 100);
      expect(Array.from(r.indices)).toEqual([2, 1, 0]);
      expect(Array.from(r.scores)).toEqual([9, 6, 3]);
      expect(be.topK('dot', q, rows, 0).indices.length).toBe(0);
      expect(be.topK('dot', q, new Float32Array(0), 5).indices.length).toBe(0);
    }
  });

  it('puts NaN scores last', () => {
    const q = new Float32Array([1]);
    const rows = new Float32Array([NaN, 2, NaN, 1]);
    for (const be of all) {
      expect(Array.from(be.topK('dot', q, rows, 4).indices)).toEqual([1, 3, 0, 2]);
      expect(Array.from(be.topK('l2', q, rows, 3).indices)).toEqual([3, 1, 0]);
    }
  });

  it('honours subarray byteOffsets of rows and query (searches the viewed vectors, not the buffer start)', () => {
    const dim = 16;
    const next = rng(3);
    const big = randomF32(next, 100 * dim);
    const target = 70;
    const q = big.slice(target * dim, (target + 1) * dim); // an exact copy of row 70 of big
    const rows = big.subarray(50 * dim, 90 * dim); // rows 50..89: the match is local row 20
    const qView = new Float32Array(3 * dim);
    qView.set(q, dim);
    const qSub = qView.subarray(dim, 2 * dim); // the query itself at a non-zero byteOffset
    expect(rows.byteOffset).toBe(50 * dim * 4);
    for (const be of all) {
      for (const query of [q, qSub]) {
        const l2 = be.topK('l2', query, rows, 1);
        expect(l2.indices[0]).toBe(target - 50);
        expect(l2.scores[0]).toBe(0);
        expect(be.topK('cosine', query, rows, 1).indices[0]).toBe(target - 50);
        expect(be.l2sq(query, rows.subarray(20 * dim, 21 * dim))).toBe(0);
        expect(be.scoreBatch('l2', query, rows)[20]).toBe(0);
      }
    }
    expect(topK('l2', qSub, rows, 1).indices[0]).toBe(20);
  });
});
