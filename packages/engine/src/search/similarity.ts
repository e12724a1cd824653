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
  let dot = 0;
  let qq = 0;
  let vv = 0;
  let l2 = 0;
  for (let i = 0; i < q.length; i++) {
    const a = q[i]!;
    const b = v[i]!;
    dot += a * b;
    qq += a * a;
    vv += b * b;
    const t = a - b;
    l2 += t * t;
  }
  if (metric === 'l2') return l2;
  if (metric === 'dot') return -dot;
  return qq > 0 && vv > 0 ? 1 - dot / Math.sqrt(qq * vv) : 1;
}
