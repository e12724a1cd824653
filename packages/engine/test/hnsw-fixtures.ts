/**
 * Seeded data for the HNSW tests (docs/hnsw_format.md): clustered Gaussian vectors, queries
 * drawn from the same clusters, a plain-JS brute-force reference and recall@k.
 */
import type { Metric } from '../src/model.js';
import { seededRandom as rng } from '../src/index.js';
export { rng };

export function gaussian(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** `count` rows around `clusters` centres (Gaussian spread), plus `queries` fresh rows from the same mixture. */
export function clustered(count: number, dim: number, seed: number, queries = 100, clusters = 32, spread = 0.35): { vectors: Float32Array; queries: Float32Array } {
  const r = rng(seed);
  const g = gaussian(r);
  const centres = new Float32Array(clusters * dim).map(() => g());
  const fill = (n: number): Float32Array => {
    const out = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(r() * clusters);
      for (let j = 0; j < dim; j++) out[i * dim + j] = centres[c * dim + j]! + spread * g();
    }
    return out;
  };
  return { vectors: fill(count), queries: fill(queries) };
}

/** Reference distance, f64, as documented (cosine 1 − cos, l2 squared, dot −dot). */
export function refDistance(metric: Metric, a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0, l2 = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
    l2 += (a[i]! - b[i]!) ** 2;
  }
  if (metric === 'l2') return l2;
  if (metric === 'dot') return -dot;
  return na === 0 || nb === 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
}

/** Plain brute-force top-k (ties by row) over rows passing `allowed`. */
export function bruteForce(metric: Metric, vectors: Float32Array, dim: number, q: Float32Array, k: number, allowed?: (r: number) => boolean): { rows: number[]; distances: number[] } {
  const all: { r: number; d: number }[] = [];
  for (let r = 0; r < vectors.length / dim; r++) {
    if (allowed && !allowed(r)) continue;
    all.push({ r, d: refDistance(metric, q, vectors.subarray(r * dim, (r + 1) * dim)) });
  }
  all.sort((x, y) => x.d - y.d || x.r - y.r);
  const top = all.slice(0, k);
  return { rows: top.map((x) => x.r), distances: top.map((x) => x.d) };
}

export function row(m: Float32Array, dim: number, i: number): Float32Array {
  return m.subarray(i * dim, (i + 1) * dim);
}

/** Mean recall@k of `got` against `truth`. */
export function recall(got: ArrayLike<number>[], truth: number[][], k: number): number {
  let hit = 0;
  got.forEach((g, i) => {
    const t = new Set(truth[i]!.slice(0, k));
    for (let j = 0; j < Math.min(k, g.length); j++) if (t.has(g[j]!)) hit++;
  });
  return hit / (truth.length * k);
}

/**
 * Positions where `got` disagrees with the reference top-k: a different row counts only when
 * its true distance differs from the reference distance at that rank by more than `tol`
 * (so ties and f32-vs-f64 rounding are not mismatches). Also a mismatch: a length difference.
 */
export function mismatches(
  metric: Metric, vectors: Float32Array, dim: number, q: Float32Array,
  got: { rows: ArrayLike<number> }, ref: { rows: number[]; distances: number[] }, tol = 1e-4,
): number {
  let bad = Math.abs(got.rows.length - ref.rows.length);
  const n = Math.min(got.rows.length, ref.rows.length);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const r = got.rows[i]!;
    if (seen.has(r)) bad++;
    seen.add(r);
    if (r === ref.rows[i]) continue;
    const d = refDistance(metric, q, row(vectors, dim, r));
    if (Math.abs(d - ref.distances[i]!) > tol * Math.max(1, Math.abs(d))) bad++;
  }
  return bad;
}

export const bitOf = (bm: Uint8Array, r: number): boolean => ((bm[r >>> 3]! >>> (r & 7)) & 1) === 1;

/** Bitmap with each of `count` rows set with probability p (seeded). */
export function randomBitmap(count: number, p: number, seed: number): Uint8Array {
  const r = rng(seed);
  const bm = new Uint8Array(Math.ceil(count / 8));
  for (let i = 0; i < count; i++) if (r() < p) bm[i >>> 3]! |= 1 << (i & 7);
  return bm;
}
