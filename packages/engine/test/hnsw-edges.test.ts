/**
 * HNSW search at the edges (docs/hnsw_format.md, "Search semantics"), on both backends: dim 1 and
 * 4096, k > n, every row tombstoned, filters that match nothing or one row, tied distances, and
 * query vectors that are not finite or whose distances overflow f32 (never NaN, always sorted).
 */
import { describe, expect, it } from 'vitest';
import { nativeInfo } from '@mnemo/native';
import { buildHnsw, openHnswGraph } from '../src/hnsw/index.js';
import type { HnswBackend, HnswIndex } from '../src/hnsw/index.js';
import type { Metric } from '../src/model.js';
import { bruteForce, clustered, mismatches, rng, row } from './hnsw-fixtures.js';

const BACKENDS: HnswBackend[] = nativeInfo().backend === 'native' ? ['native', 'js'] : ['js'];
const METRICS: Metric[] = ['cosine', 'l2', 'dot'];

function indexFor(vectors: Float32Array, dim: number, metric: Metric, backend: HnswBackend): HnswIndex {
  const g = buildHnsw({ vectors, dim, metric, M: 8, efConstruction: 40, seed: 5, backend });
  return openHnswGraph(g, { vectors, dim, metric, backend });
}

/** No NaN distance, best first (non-decreasing), no row twice. */
function expectSorted(res: { rows: Uint32Array; distances: Float32Array }): void {
  for (let i = 0; i < res.distances.length; i++) {
    expect(Number.isNaN(res.distances[i]!)).toBe(false);
    if (i > 0) expect(res.distances[i]!).toBeGreaterThanOrEqual(res.distances[i - 1]!);
  }
  expect(new Set(res.rows).size).toBe(res.rows.length);
}

describe.each(BACKENDS)('HNSW edges (%s)', (backend) => {
  it('dim 1 and dim 4096: approximate and exact results match brute force', () => {
    for (const [dim, n] of [[1, 300], [4096, 120]] as const) {
      const { vectors, queries } = clustered(n, dim, 11 + dim, 5, 6);
      for (const metric of METRICS) {
        const idx = indexFor(vectors, dim, metric, backend);
        for (let q = 0; q < 5; q++) {
          const query = row(queries, dim, q);
          const ref = bruteForce(metric, vectors, dim, query, 10);
          const exact = idx.search(query, 10, { exact: true });
          expect(mismatches(metric, vectors, dim, query, exact, ref, 1e-3)).toBe(0);
          expectSorted(exact);
          const approx = idx.search(query, 10, { ef: 32 });
          expect(approx.rows.length).toBe(10);
          expectSorted(approx);
        }
        idx.close();
      }
    }
  });

  it('k > n, all rows tombstoned, filters matching nothing or a single row', () => {
    const dim = 6, n = 200;
    const { vectors, queries } = clustered(n, dim, 3, 3, 4);
    for (const metric of METRICS) {
      const idx = indexFor(vectors, dim, metric, backend);
      const q = row(queries, dim, 0);
      const all = idx.search(q, 10_000, { ef: 16 });
      expect(all.rows.length).toBe(n);
      // k or ef far beyond the row count (up to 2^53 − 1): clamped to the rows, never sized by k
      for (const [k, ef] of [[1e11, 16], [Number.MAX_SAFE_INTEGER, 1], [5, 2 ** 40]] as const) {
        expect(idx.search(q, k, { ef }).rows.length).toBe(Math.min(k, n));
      }
      expect(new Set(all.rows).size).toBe(n);
      expectSorted(all);
      const full = new Uint8Array(Math.ceil(n / 8)).fill(0xff);
      const none = new Uint8Array(Math.ceil(n / 8));
      for (const exact of [false, true]) {
        expect(idx.search(q, 10, { exclude: full, exact }).rows.length).toBe(0);
        expect(idx.search(q, 10, { filter: none, exact }).rows.length).toBe(0);
        expect(idx.search(q, 10, { filter: () => false, exact }).rows.length).toBe(0);
        const one = new Uint8Array(Math.ceil(n / 8));
        one[137 >>> 3] = 1 << (137 & 7);
        expect(Array.from(idx.search(q, 10, { filter: one, exact }).rows)).toEqual([137]);
        expect(Array.from(idx.search(q, 10, { filter: (r) => r === 137, exact }).rows)).toEqual([137]);
        // filter allows 137 and the tombstones remove it: nothing
        const only137 = new Uint8Array(Math.ceil(n / 8));
        only137[137 >>> 3] = 1 << (137 & 7);
        expect(idx.search(q, 10, { filter: one, exclude: only137, exact }).rows.length).toBe(0);
      }
      idx.close();
    }
  });

  it('tied distances are ordered by row id (duplicated vectors)', () => {
    const dim = 8, copies = 40;
    const r = rng(77);
    const base = new Float32Array(dim).map(() => r() * 2 - 1);
    const vectors = new Float32Array(copies * 3 * dim);
    for (let i = 0; i < copies * 3; i++) {
      for (let j = 0; j < dim; j++) vectors[i * dim + j] = i % 3 === 0 ? base[j]! : r() * 10 - 5;
    }
    for (const metric of ['cosine', 'l2'] as const) {
      const idx = indexFor(vectors, dim, metric, backend);
      const res = idx.search(base, 20, { exact: true });
      // the 40 copies of `base` are tied for the best distance: the 20 lowest row ids come first
      expect(Array.from(res.rows)).toEqual(Array.from({ length: 20 }, (_, i) => 3 * i));
      idx.close();
    }
  });

  it('a query with a NaN or infinite component is INVALID_ARGUMENT', () => {
    const dim = 4;
    const { vectors } = clustered(100, dim, 8, 1, 4);
    for (const metric of METRICS) {
      const idx = indexFor(vectors, dim, metric, backend);
      for (const bad of [NaN, Infinity, -Infinity]) {
        const q = Float32Array.from([0.5, bad, 0.25, 1]);
        for (const exact of [false, true]) {
          expect(() => idx.search(q, 5, { exact })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
        }
      }
      idx.close();
    }
  });

  it('finite vectors whose distances overflow f32 never give NaN distances or an unsorted result', () => {
    const dim = 8, n = 300;
    const r = rng(4);
    const vectors = new Float32Array(n * dim).map(() => (r() * 2 - 1) * 3e37);
    const query = Float32Array.from({ length: dim }, (_, i) => (i % 2 ? 3e38 : -3e38));
    for (const metric of METRICS) {
      const idx = indexFor(vectors, dim, metric, backend);
      for (const exact of [false, true]) {
        const res = idx.search(query, 50, { ef: 64, exact });
        // the walk over a graph built from overflowing distances may find fewer; the scan finds all
        if (exact) expect(res.rows.length).toBe(50);
        expectSorted(res);
      }
      idx.close();
    }
  });
});
