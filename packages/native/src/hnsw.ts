/**
 * HNSW kernels of the addon (src/cpp/hnsw.cc): the graph build and a search handle over mapped
 * buffers (docs/hnsw_format.md). Thin typed wrappers; the engine's hnsw module does validation,
 * file I/O and the JS fallback. `hnswKernels` is null when MNEMO_NATIVE=0 or the addon is missing.
 */
import { addon, loadAddonForce } from './addon.js';
import type { AddonHandle } from './addon.js';
import { MnemoError } from './errors.js';
import type { ErrorCode } from './errors.js';

/** The graph arrays of a build, in the file layout of docs/hnsw_format.md. */
export interface HnswBuildOutput {
  layer0: Uint32Array;
  levels: Uint8Array;
  upperOffsets: Uint32Array;
  upperLinks: Uint32Array;
  maxLevel: number;
  entryPoint: number;
}

export interface HnswBuildInput {
  vectors: Float32Array;
  dim: number;
  /** 0 cosine, 1 l2, 2 dot (docs/hnsw_format.md). */
  metricCode: number;
  M: number;
  efConstruction: number;
  seed: number;
}

/** A native search handle over a graph file image and a vectors view (both kept referenced). */
export interface HnswNativeHandle {
  /**
   * Top-k (best first, ties by row). `filter`: bitmap of allowed rows (bit i of byte i>>3);
   * `exclude`: bitmap of excluded rows; `exact`: brute force over the allowed rows.
   * The graph walk uses the file's u8 codes and re-ranks the ef results by exact f32 distance;
   * `quantized: false` (benchmarks) walks with f32 distances instead. Distances returned are exact.
   * Throws RELEASED after close() or when a buffer was detached (its mapping released).
   */
  search(query: Float32Array, k: number, ef: number, filter: Uint8Array | null, exclude: Uint8Array | null, exact: boolean, quantized?: boolean): {
    rows: Uint32Array;
    distances: Float32Array;
  };
  /** Drop the buffer references. Idempotent. */
  close(): void;
}

export interface HnswKernels {
  build(input: HnswBuildInput): HnswBuildOutput;
  /** Checks the structural rules of the file (not the checksums) and returns a handle. */
  open(file: Uint8Array, vectors: Float32Array): HnswNativeHandle;
  /**
   * Kernel check (tests): the u8 walk kernels on `a`, `b` (f32) and codes `x` (equal lengths, a
   * multiple of 16): [ip, l2] of the active kernels, then of the scalar ones. ip = Σ aᵢxᵢ,
   * l2 = Σ (aᵢ − bᵢxᵢ)².
   */
  quantKernels(a: Float32Array, b: Float32Array, x: Uint8Array): Float64Array;
}

/** Native errors carry "CODE: message"; map them onto MnemoError. */
function translate(e: unknown): MnemoError {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /^([A-Z_]+): (.*)$/s.exec(msg);
  const codes: ErrorCode[] = ['CORRUPTION', 'RELEASED', 'INVALID_ARGUMENT', 'DIMENSION_MISMATCH', 'LIMIT_EXCEEDED'];
  if (m && codes.includes(m[1] as ErrorCode)) return new MnemoError(m[1] as ErrorCode, m[2]!);
  return new MnemoError('INTERNAL', `HNSW native kernel failed: ${msg}`, {}, { cause: e });
}

function wrap(a: AddonHandle): HnswKernels {
  return {
    build(input) {
      try {
        return a.hnswBuild(input.vectors, input.dim, input.metricCode, input.M, input.efConstruction, input.seed >>> 0) as HnswBuildOutput;
      } catch (e) {
        throw translate(e);
      }
    },
    quantKernels(va, vb, x) {
      try {
        return a.hnswQuantKernels(va, vb, x) as Float64Array;
      } catch (e) {
        throw translate(e);
      }
    },
    open(file, vectors) {
      let h: AddonHandle;
      try {
        h = new a.HnswHandle(file, vectors) as AddonHandle;
      } catch (e) {
        throw translate(e);
      }
      return {
        search(query, k, ef, filter, exclude, exact, quantized = true) {
          try {
            return h.search(query, k, ef, filter, exclude, exact, quantized) as { rows: Uint32Array; distances: Float32Array };
          } catch (e) {
            throw translate(e);
          }
        },
        close: () => h.close(),
      };
    },
  };
}

/** The HNSW kernels of the active backend (null on the JS fallback). */
export const hnswKernels: HnswKernels | null = addon !== null && typeof addon.HnswHandle === 'function' ? wrap(addon) : null;

/** The native kernels regardless of MNEMO_NATIVE (parity tests, benchmarks); null if the addon is missing. */
export function hnswKernelsForce(): HnswKernels | null {
  const a = loadAddonForce();
  return a !== null && typeof a.HnswHandle === 'function' ? wrap(a) : null;
}
