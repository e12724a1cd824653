/**
 * buildHnsw: validate the build parameters and build the graph with the native kernel (hnsw.cc)
 * or the JS fallback (build.ts). Both produce the layout of docs/hnsw_format.md.
 */
import { MnemoError, hnswKernels, hnswKernelsForce } from '@mnemo/native';
import type { HnswKernels } from '@mnemo/native';
import type { Metric } from '../model.js';
import { buildHnswJs } from './build.js';
import { METRIC_CODES, inverseNorms, upperOffsetsFor, vectorProbe } from './graph.js';
import type { HnswGraph } from './graph.js';
import { quantizeVectors } from './quantize.js';

export type HnswBackend = 'native' | 'js';

export interface BuildOptions {
  vectors: Float32Array;
  dim: number;
  metric: Metric;
  /** Default 16. */
  M?: number;
  /** Default 200. */
  efConstruction?: number;
  /** Level-generator seed; default 42. */
  seed?: number;
  /** Force a backend (parity tests, benchmarks); default: native unless MNEMO_NATIVE=0. */
  backend?: HnswBackend;
}

/** The kernels for a requested backend (null = JS). */
export function kernelsFor(backend: HnswBackend | undefined): HnswKernels | null {
  if (backend === 'js') return null;
  if (backend === undefined) return hnswKernels;
  const k = hnswKernelsForce();
  if (k === null) throw new MnemoError('NOT_SUPPORTED', 'the native addon is not built; run node-gyp rebuild in packages/native');
  return k;
}

function checkBuild(o: BuildOptions): { count: number; M: number; efC: number; seed: number } {
  const bad = (msg: string): MnemoError => new MnemoError('INVALID_ARGUMENT', `HNSW build: ${msg}`);
  if (!Number.isInteger(o.dim) || o.dim < 1 || o.dim > 4096) throw bad(`dim must be an integer in 1..4096, got ${o.dim}`);
  if (!(o.vectors instanceof Float32Array)) throw bad('vectors must be a Float32Array');
  if (o.vectors.length % o.dim !== 0) throw new MnemoError('DIMENSION_MISMATCH', `HNSW build: ${o.vectors.length} values are not a multiple of dim ${o.dim}`);
  if (METRIC_CODES[o.metric] === undefined) throw bad(`unknown metric ${String(o.metric)}`);
  const M = o.M ?? 16, efC = o.efConstruction ?? 200, seed = o.seed ?? 42;
  if (!Number.isInteger(M) || M < 2 || M > 256) throw bad(`M must be an integer in 2..256, got ${M}`);
  if (!Number.isInteger(efC) || efC < 1 || efC > 100_000) throw bad(`efConstruction must be an integer in 1..100000, got ${efC}`);
  if (!Number.isInteger(seed)) throw bad(`seed must be an integer, got ${seed}`);
  const count = o.vectors.length / o.dim;
  if (count >= 0xffffffff) throw new MnemoError('LIMIT_EXCEEDED', `HNSW build: ${count} rows exceed the u32 row-id space`);
  for (let i = 0; i < o.vectors.length; i++) if (!Number.isFinite(o.vectors[i]!)) throw bad(`vector value ${i} is not finite`);
  return { count, M, efC, seed: seed >>> 0 };
}

/** Build an in-memory HNSW graph over `vectors` (rows in order, deterministic for a seed). */
export function buildHnsw(o: BuildOptions): HnswGraph {
  const { count, M, efC, seed } = checkBuild(o);
  const kernels = kernelsFor(o.backend);
  if (kernels === null) return buildHnswJs({ vectors: o.vectors, dim: o.dim, metric: o.metric, M, efConstruction: efC, seed });
  const out = kernels.build({ vectors: o.vectors, dim: o.dim, metricCode: METRIC_CODES[o.metric], M, efConstruction: efC, seed });
  const offsets = upperOffsetsFor(out.levels, M);
  if (out.upperOffsets.length !== offsets.length || out.upperOffsets[count] !== offsets[count]) {
    throw new MnemoError('INTERNAL', 'native HNSW build returned inconsistent upper offsets');
  }
  const invNorms = o.metric === 'cosine' ? inverseNorms(o.vectors, o.dim, count) : new Float32Array(0);
  return {
    dim: o.dim, metric: o.metric, M, maxM0: 2 * M, count, maxLevel: out.maxLevel, entryPoint: out.entryPoint,
    efConstruction: efC, seed, vectorProbe: vectorProbe(o.vectors, o.dim, count),
    layer0: out.layer0, levels: out.levels, upperOffsets: out.upperOffsets, upperLinks: out.upperLinks,
    invNorms, quantized: quantizeVectors(o.vectors, o.dim, count, o.metric, invNorms),
  };
}
