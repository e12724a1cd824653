/**
 * Distances of the JS HNSW path (docs/hnsw_format.md, "Distances"): smaller is closer.
 * cosine = 1 − q̂·v·invNorm[v], l2 = squared Euclidean, dot = −q·v. Accumulated in f64.
 */
import type { Metric } from '../model.js';

/** Distance from a prepared query to row `row` of `vectors`. */
export type RowDistance = (row: number) => number;

/** The query as used for search: a normalised copy for cosine (zeros for a zero query). */
export function prepareQuery(query: Float32Array, metric: Metric): Float32Array {
  if (metric !== 'cosine') return query;
  let s = 0;
  for (let i = 0; i < query.length; i++) s += query[i]! * query[i]!;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  const out = new Float32Array(query.length);
  for (let i = 0; i < query.length; i++) out[i] = query[i]! * inv;
  return out;
}

/** Distance function from prepared query `q` (offset qAt in its array) to rows of `vectors`. */
export function rowDistance(metric: Metric, vectors: Float32Array, dim: number, invNorms: Float32Array, q: Float32Array, qAt = 0): RowDistance {
  if (metric === 'l2') {
    return (row) => {
      const b = row * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const t = q[qAt + j]! - vectors[b + j]!;
        s += t * t;
      }
      return s;
    };
  }
  const dot = (row: number): number => {
    const b = row * dim;
    let s = 0;
    for (let j = 0; j < dim; j++) s += q[qAt + j]! * vectors[b + j]!;
    return s;
  };
  if (metric === 'dot') return (row) => -dot(row);
  return (row) => 1 - dot(row) * invNorms[row]!;
}
