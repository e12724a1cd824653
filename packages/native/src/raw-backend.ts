/**
 * The unvalidated interface both implementations (C++ addon, pure TypeScript) provide.
 * backend.ts wraps one of these with the argument checks of validate.ts; callers never see it.
 * See docs/native_api.md "Backends".
 */
import type { Mapping, NativeInfo } from './types.js';

/** Metric ids shared with the C++ addon (distance.cc): 0 = dot, 1 = l2, 2 = cosine. */
export const METRIC_ID = { dot: 0, l2: 1, cosine: 2 } as const;
export type MetricId = 0 | 1 | 2;

export interface RawBackend {
  readonly name: 'native' | 'js';
  readonly simd: NativeInfo['simd'];
  readonly crc32cImpl: NativeInfo['crc32c'];
  crc32c(data: Uint8Array, seed: number): number;
  dot(a: Float32Array, b: Float32Array): number;
  l2sq(a: Float32Array, b: Float32Array): number;
  cosine(a: Float32Array, b: Float32Array): number;
  /** Writes one score per row of `rows` (rows.length / query.length of them) into out. */
  scoreBatch(metric: MetricId, query: Float32Array, rows: Float32Array, out: Float32Array): void;
  /** Fills indices/scores (length = min(k, rows)) best first; ties by lower row index. */
  topK(metric: MetricId, query: Float32Array, rows: Float32Array, indices: Uint32Array, scores: Float32Array): void;
  /** length undefined = to the end of the file. */
  mapFile(path: string, offset: number, length: number | undefined): Mapping;
}
