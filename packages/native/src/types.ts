/**
 * The public contract of @mnemo/native: OS interface (mmap, madvise, flock, directory fsync),
 * CRC32C and f32 distance kernels. Implemented twice: by the C++ addon and by a pure-TypeScript
 * fallback (selected with MNEMO_NATIVE=0). See docs/native_api.md for the safety rules.
 */

/** madvise(2) hints. */
export type Advice = 'normal' | 'random' | 'sequential' | 'willneed' | 'dontneed';

/** Distance kernels. `dot` = Σ aᵢbᵢ; `l2` = Σ (aᵢ−bᵢ)² (squared); `cosine` = dot/(‖a‖‖b‖), 0 if a norm is 0. */
export type Metric = 'dot' | 'l2' | 'cosine';

/**
 * A read-only mapping of a file range. `buffer` is zero-copy over the mapped pages (native) or a
 * heap copy (fallback). After `unmap()` the ArrayBuffer is detached: every view over it has length 0
 * (reads give `undefined`, never a segfault), and `buffer`/`advise` throw MnemoError `RELEASED`.
 */
export interface Mapping {
  /** The mapped bytes. Throws MnemoError('RELEASED') after unmap(). */
  readonly buffer: ArrayBuffer;
  /** Length in bytes of the mapped range. */
  readonly byteLength: number;
  /** File offset the mapping starts at. */
  readonly fileOffset: number;
  readonly released: boolean;
  /** True when the bytes are really mapped (native), false for the read-into-memory fallback. */
  readonly native: boolean;
  /** madvise over [offset, offset+length) of the mapping (page-aligned internally). No-op in the fallback. */
  advise(advice: Advice, offset?: number, length?: number): void;
  /** Release the mapping. Idempotent. */
  unmap(): void;
}

export interface MapOptions {
  /** File offset (any value; aligned down to a page internally). Default 0. */
  offset?: number;
  /** Bytes to map. Default: file size − offset. Must lie inside the file. */
  length?: number;
}

export interface FileLock {
  readonly path: string;
  readonly mode: 'exclusive' | 'shared';
  readonly released: boolean;
  /** Unlock and close. Idempotent. */
  release(): void;
}

export interface TopK {
  /** Row indices, best first; ties broken by lower index. */
  indices: Uint32Array;
  /** The kernel value per returned row (see Metric). */
  scores: Float32Array;
}

export interface NativeInfo {
  /** Which implementation is active. */
  backend: 'native' | 'js';
  /** Why the JS fallback is active, when it is. */
  reason?: string;
  simd: 'avx2-fma' | 'scalar' | 'js';
  crc32c: 'sse4.2' | 'software' | 'js';
}

/** Which implementation a {@link Backend} uses. */
export type BackendName = 'native' | 'js';

/**
 * Options of `backend('native', opts)` for parity tests and benchmarks: force the portable C++
 * paths instead of the ones chosen at load (AVX2+FMA distances, SSE4.2 CRC32C). Ignored for 'js'.
 */
export interface BackendOptions {
  simd?: 'auto' | 'scalar';
  crc32c?: 'auto' | 'software';
}

/** The kernels, CRC32C and mapFile of one implementation, with the same validation as the top-level functions. */
export interface Backend {
  readonly name: BackendName;
  readonly simd: NativeInfo['simd'];
  readonly crc32cImpl: NativeInfo['crc32c'];
  crc32c(data: Uint8Array, seed?: number): number;
  dot(a: Float32Array, b: Float32Array): number;
  l2sq(a: Float32Array, b: Float32Array): number;
  cosine(a: Float32Array, b: Float32Array): number;
  scoreBatch(metric: Metric, query: Float32Array, rows: Float32Array, out?: Float32Array): Float32Array;
  topK(metric: Metric, query: Float32Array, rows: Float32Array, k: number): TopK;
  mapFile(path: string, opts?: MapOptions): Mapping;
}
