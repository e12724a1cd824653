/**
 * HNSW search (docs/hnsw_format.md) on both backends: recall@10 at the default ef, the exact-mode
 * oracle against a plain JS scan, dims × metrics, filters and tombstones during traversal, the
 * selective-filter exact fallback, determinism and input validation.
 */
import { describe, expect, it } from 'vitest';
import { buildHnsw, openHnswGraph, DEFAULT_EF } from '../src/hnsw/index.js';
import type { HnswBackend, HnswIndex } from '../src/hnsw/index.js';
import type { Metric } from '../src/model.js';
import { bitOf, bruteForce, clustered, mismatches, randomBitmap, recall, row } from './hnsw-fixtures.js';

// both backends always: a missing addon fails the native half loudly (NOT_SUPPORTED), never skips it
const BACKENDS: HnswBackend[] = ['native', 'js'];
const METRICS: Metric[] = ['cosine', 'l2', 'dot'];

function indexFor(vectors: Float32Array, dim: number, metric: Metric, backend: HnswBackend, efConstruction = 100): HnswIndex {
  const g = buildHnsw({ vectors, dim, metric, M: 16, efConstruction, seed: 3, backend });
  return openHnswGraph(g, { vectors, dim, metric, backend });
}

describe.each(BACKENDS)('HNSW search (%s)', (backend) => {
  it('recall@10 ≥ 0.95 at the default ef on 5000×64 clustered vectors (l2)', () => {
    const dim = 64;
    const { vectors, queries } = clustered(5000, dim, 1, 200, 32, 1.0);
    const idx = indexFor(vectors, dim, 'l2', backend, 200);
    const got: Uint32Array[] = [];
    const truth: number[][] = [];
    for (let i = 0; i < 200; i++) {
      got.push(idx.search(row(queries, dim, i), 10).rows);
      truth.push(bruteForce('l2', vectors, dim, row(queries, dim, i), 10).rows);
    }
    const r = recall(got, truth, 10);
    expect(DEFAULT_EF).toBe(64);
    expect(r).toBeGreaterThanOrEqual(0.95);
  });

  it.each([1, 3, 17, 100, 128])('dim %i: exact mode = plain JS scan (0 mismatches) and graph recall ≥ 0.9, all metrics', (dim) => {
    const n = 600;
    const { vectors, queries } = clustered(n, dim, 10 + dim, 20, 8);
    for (const metric of METRICS) {
      const idx = indexFor(vectors, dim, metric, backend, 64);
      let bad = 0;
      const got: Uint32Array[] = [];
      const truth: number[][] = [];
      for (let i = 0; i < 20; i++) {
        const q = row(queries, dim, i);
        const ref = bruteForce(metric, vectors, dim, q, 10);
        bad += mismatches(metric, vectors, dim, q, idx.search(q, 10, { exact: true }), ref);
        got.push(idx.search(q, 10, { ef: 128 }).rows);
        truth.push(ref.rows);
      }
      expect(bad, `${metric} exact mismatches`).toBe(0);
      // dim 1 cosine: every vector points one of two ways, so all distances tie; recall is meaningless there
      if (!(dim === 1 && metric === 'cosine')) expect(recall(got, truth, 10), metric).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('exact oracle: 200 random queries × 3 metrics on 2000×24, 0 mismatches', () => {
    const dim = 24;
    const { vectors, queries } = clustered(2000, dim, 5, 200);
    let bad = 0;
    let checked = 0;
    for (const metric of METRICS) {
      const idx = indexFor(vectors, dim, metric, backend, 32);
      for (let i = 0; i < 200; i++) {
        const q = row(queries, dim, i);
        const k = 1 + (i % 25);
        bad += mismatches(metric, vectors, dim, q, idx.search(q, k, { exact: true }), bruteForce(metric, vectors, dim, q, k));
        checked++;
      }
    }
    expect(checked).toBe(600);
    expect(bad).toBe(0);
  });

  it('filters are applied during traversal: results satisfy the filter; high ef equals the exact filtered scan', () => {
    const dim = 32;
    const n = 3000;
    const { vectors, queries } = clustered(n, dim, 8, 30);
    const idx = indexFor(vectors, dim, 'l2', backend);
    const bm = randomBitmap(n, 0.3, 99);
    const pred = (r: number): boolean => r % 3 !== 0;
    let recallHits = 0;
    for (let i = 0; i < 30; i++) {
      const q = row(queries, dim, i);
      const byBitmap = idx.search(q, 10, { filter: bm });
      expect(byBitmap.rows.length).toBe(10);
      for (const r of byBitmap.rows) expect(bitOf(bm, r)).toBe(true);
      const byFn = idx.search(q, 10, { filter: pred, ef: 1000 });
      for (const r of byFn.rows) expect(pred(r)).toBe(true);
      const ref = bruteForce('l2', vectors, dim, q, 10, pred);
      expect(mismatches('l2', vectors, dim, q, byFn, ref)).toBe(0);
      const refBm = bruteForce('l2', vectors, dim, q, 10, (r) => bitOf(bm, r));
      recallHits += byBitmap.rows.filter((r) => refBm.rows.includes(r)).length;
    }
    expect(recallHits / 300).toBeGreaterThanOrEqual(0.9);
  });

  it('tombstones (exclude bitmap) never appear, alone or combined with a filter', () => {
    const dim = 16;
    const n = 2000;
    const { vectors, queries } = clustered(n, dim, 12, 20);
    const idx = indexFor(vectors, dim, 'cosine', backend);
    const dead = randomBitmap(n, 0.5, 5);
    const allow = randomBitmap(n, 0.6, 6);
    for (let i = 0; i < 20; i++) {
      const q = row(queries, dim, i);
      const a = idx.search(q, 10, { exclude: dead });
      expect(a.rows.length).toBe(10);
      for (const r of a.rows) expect(bitOf(dead, r)).toBe(false);
      const b = idx.search(q, 10, { exclude: dead, filter: allow, ef: 400 });
      for (const r of b.rows) expect(bitOf(dead, r) || !bitOf(allow, r)).toBe(false);
      const ref = bruteForce('cosine', vectors, dim, q, 10, (r) => !bitOf(dead, r) && bitOf(allow, r));
      expect(mismatches('cosine', vectors, dim, q, b, ref)).toBe(0);
    }
  });

  it('a very selective filter (< 3% allowed) falls back to an exact scan of the allowed rows', () => {
    const dim = 8;
    const n = 4000;
    const { vectors, queries } = clustered(n, dim, 13, 10);
    const idx = indexFor(vectors, dim, 'l2', backend, 32);
    const allowed = new Set([7, 500, 1999, 2500, 3999]);
    for (let i = 0; i < 10; i++) {
      const q = row(queries, dim, i);
      const res = idx.search(q, 10, { filter: (r) => allowed.has(r), ef: 10 });
      expect(res.rows.length).toBe(5);
      const ref = bruteForce('l2', vectors, dim, q, 10, (r) => allowed.has(r));
      expect(Array.from(res.rows)).toEqual(ref.rows);
    }
  });

  it('is deterministic: same input + seed → identical graph and identical results', () => {
    const dim = 20;
    const { vectors, queries } = clustered(1500, dim, 21, 10);
    const g1 = buildHnsw({ vectors, dim, metric: 'dot', M: 8, efConstruction: 50, seed: 77, backend });
    const g2 = buildHnsw({ vectors, dim, metric: 'dot', M: 8, efConstruction: 50, seed: 77, backend });
    expect(Buffer.from(g1.layer0.buffer, g1.layer0.byteOffset, g1.layer0.byteLength).equals(Buffer.from(g2.layer0.buffer, g2.layer0.byteOffset, g2.layer0.byteLength))).toBe(true);
    expect(Array.from(g1.levels)).toEqual(Array.from(g2.levels));
    const g3 = buildHnsw({ vectors, dim, metric: 'dot', M: 8, efConstruction: 50, seed: 78, backend });
    expect(Array.from(g3.levels)).not.toEqual(Array.from(g1.levels));
    const idx = openHnswGraph(g1, { vectors, dim, metric: 'dot', backend });
    for (let i = 0; i < 10; i++) {
      const a = idx.search(row(queries, dim, i), 10, { ef: 20 });
      const b = idx.search(row(queries, dim, i), 10, { ef: 20 });
      expect(Array.from(a.rows)).toEqual(Array.from(b.rows));
      for (let j = 1; j < a.distances.length; j++) expect(a.distances[j]!).toBeGreaterThanOrEqual(a.distances[j - 1]!);
    }
  });

  it('validates queries and options; k = 0 and an empty index give empty results', () => {
    const dim = 4;
    const { vectors } = clustered(100, dim, 2, 1);
    const idx = indexFor(vectors, dim, 'l2', backend, 16);
    expect(() => idx.search(new Float32Array(3), 5)).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    expect(() => idx.search(new Float32Array(4), -1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => idx.search(new Float32Array(4), 5, { ef: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => idx.search(new Float32Array(4), 5, { filter: new Uint8Array(3) })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(idx.search(new Float32Array(4), 0).rows.length).toBe(0);
    expect(idx.search(new Float32Array(4), 500).rows.length).toBe(100);
    const empty = indexFor(new Float32Array(0), dim, 'cosine', backend);
    expect(empty.search(new Float32Array(4), 5).rows.length).toBe(0);
    idx.close();
    expect(() => idx.search(new Float32Array(4), 5)).toThrow(expect.objectContaining({ code: 'RELEASED' }));
  });
});
