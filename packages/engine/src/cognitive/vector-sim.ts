/**
 * Similarity between embeddings for the cognitive algorithms (consolidation, IMAGINE), in the
 * space's metric mapped to [−1, 1] as in recall-score.ts; plus the centroid. Plain JS loops:
 * these run on cluster-sized inputs. Implements docs/cognition.md §"Similarity".
 */
import { MnemoError } from '@mnemo/native';
import type { Metric } from '../model.js';
import { similarityFromMetric } from './recall-score.js';

function checkDims(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length) {
    throw new MnemoError('DIMENSION_MISMATCH', `embeddings have different dimensions (${a.length} vs ${b.length})`);
  }
}

/** Cosine similarity in [−1, 1]; 0 when either vector is all zeros or has a non-finite component. */
export function cosine(a: Float32Array, b: Float32Array): number {
  checkDims(a, b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  const den = Math.sqrt(na) * Math.sqrt(nb);
  if (!(den > 0 && den < Number.POSITIVE_INFINITY)) return 0;
  const c = dot / den;
  return c >= 1 ? 1 : c <= -1 ? -1 : c === c ? c : 0;
}

/** True when every component is finite (a NaN or ±Infinity component makes a vector unusable). */
export function isFiniteVector(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i] as number)) return false;
  return true;
}

/** Similarity in [−1, 1] under `metric` (l2 distance d → 2/(1+d) − 1; dot clamped). */
export function similarity(a: Float32Array, b: Float32Array, metric: Metric): number {
  if (metric === 'cosine') return cosine(a, b);
  checkDims(a, b);
  let acc = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    acc += metric === 'dot' ? x * y : (x - y) * (x - y);
  }
  return similarityFromMetric(metric, metric === 'l2' ? Math.sqrt(acc) : acc);
}

/**
 * Mean of the vectors; for cosine the mean of the unit vectors (so long vectors do not dominate).
 * Vectors with a non-finite component are left out (all of them → the zero vector): NaN never escapes.
 */
export function centroid(vectors: readonly Float32Array[], metric: Metric): Float32Array {
  const first = vectors[0];
  if (first === undefined) throw new MnemoError('INVALID_ARGUMENT', 'centroid of an empty set of embeddings');
  const out = new Float64Array(first.length);
  let used = 0;
  for (const v of vectors) {
    checkDims(first, v);
    if (!isFiniteVector(v)) continue;
    used++;
    let scale = 1;
    if (metric === 'cosine') {
      let n = 0;
      for (let i = 0; i < v.length; i++) n += (v[i] as number) * (v[i] as number);
      scale = n > 0 ? 1 / Math.sqrt(n) : 0;
    }
    for (let i = 0; i < v.length; i++) out[i] = (out[i] as number) + (v[i] as number) * scale;
  }
  const res = new Float32Array(first.length);
  for (let i = 0; i < res.length; i++) res[i] = used > 0 ? (out[i] as number) / used : 0;
  return res;
}
