/**
 * Converting index distances to the similarity MQL shows and THRESHOLD compares (docs/search.md):
 * cosine: 1 − d (the cosine similarity, −1…1); dot: −d (the inner product);
 * l2: 1 / (1 + √d) where d is the squared distance (1 for identical vectors, → 0 far away).
 */
import type { Metric } from '../model.js';

export function similarityFromDistance(metric: Metric, distance: number): number {
  switch (metric) {
    case 'cosine':
      return 1 - distance;
    case 'dot':
      return -distance;
    case 'l2':
      return 1 / (1 + Math.sqrt(Math.max(0, distance)));
  }
}

/** Exact distance with the HNSW conventions (smaller is closer), f64 accumulation. */
export function exactDistance(metric: Metric, q: Float32Array, v: Float32Array): number {
  return exactDistanceTo(metric, q)(v);
}

/**
 * exactDistance(metric, q, ·) for many vectors: q's own sum of squares is computed once. Each sum
 * runs over i in order with f64 accumulation (the values the fused loop gave before).
 */
export function exactDistanceTo(metric: Metric, q: Float32Array): (v: Float32Array) => number {
  const n = q.length;
  if (metric === 'l2') {
    return (v) => {
      let l2 = 0;
      for (let i = 0; i < n; i++) {
        const t = q[i]! - v[i]!;
        l2 += t * t;
      }
      return l2;
    };
  }
  if (metric === 'dot') {
    return (v) => {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[i]! * v[i]!;
      return -dot;
    };
  }
  let qq = 0;
  for (let i = 0; i < n; i++) qq += q[i]! * q[i]!;
  return (v) => {
    let dot = 0;
    let vv = 0;
    for (let i = 0; i < n; i++) {
      const b = v[i]!;
      dot += q[i]! * b;
      vv += b * b;
    }
    return qq > 0 && vv > 0 ? 1 - dot / Math.sqrt(qq * vv) : 1;
  };
}
