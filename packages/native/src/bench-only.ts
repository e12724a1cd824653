/**
 * Benchmark-only: a plain memory-read baseline (sum of a Float32Array, AVX2 when available) that
 * the distance benchmark runs over the same buffer as the kernels, to report kernel GB/s as a
 * fraction of what the memory system delivers. Not for production use. bench/distance.bench.mjs.
 */
import { loadAddonForce } from './addon.js';
import { MnemoError } from './errors.js';
import { assertF32 } from './validate.js';

/** Σ data[i] in f32 lanes by the addon (native only; throws NOT_SUPPORTED without the addon). */
export function benchmarkOnlyMemoryRead(data: Float32Array): number {
  assertF32(data, 'data');
  const a = loadAddonForce();
  if (a === null) throw new MnemoError('NOT_SUPPORTED', 'the @mnemo/native addon is not built or cannot be loaded');
  return a.benchSumF32(data) as number;
}
