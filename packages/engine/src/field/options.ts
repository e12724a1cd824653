/**
 * Options of Field.create / Field.open and their defaults (docs/field_format.md "Options").
 */
import { MnemoError } from '@mnemo/native';
import type { Dtype } from './dtype.js';
import type { HotTierOptions } from './hot-tier.js';
import type { BackendChoice } from './io.js';
import type { PrefetchOptions } from './prefetch.js';
import type { RemoteChunkSource } from './remote-source.js';

export interface FieldOpenOptions {
  /** Refuse writes (READ_ONLY). Forced for a field with a remote tier. */
  readOnly?: boolean;
  /** Which @mnemo/native mapFile to use: the active one (default), or 'native'/'js' forced. */
  backend?: BackendChoice;
  /** Chunks kept mapped in the LRU. Default 1024 (native), 32 (js heap copies). */
  maxMappedChunks?: number;
  /** Bytes kept mapped in the LRU. Default 64 GiB (native: address space only), 1 GiB (js). */
  maxMappedBytes?: number;
  /** Chunk file descriptors kept open for writing. Default 64. */
  maxOpenFiles?: number;
  /** Stride/sequential prefetcher (madvise WILLNEED ahead). Default on. */
  prefetch?: boolean | PrefetchOptions;
  /**
   * Hot tier of rows copied into RAM. Default { maxBytes: 8 MiB, promoteAfter: 4 }, except for a
   * read-only open without a remote tier (off: another process may write); false disables.
   */
  hot?: HotTierOptions | false;
  /** Remote tier: chunks missing locally are downloaded from here (async reads only). */
  remote?: RemoteChunkSource;
  /** Measure per-tier latency sums for hot and mapped reads too (costs a clock read per access). */
  timing?: boolean;
  /** Clock for latency sums, in ms. Default performance.now. */
  clock?: () => number;
  /** Largest slice() / batchGet() result, in elements. Default 2^28. */
  maxResultElements?: number;
}

export interface FieldCreateOptions extends FieldOpenOptions {
  dtype: Dtype;
  /** Requested bytes per chunk (rounded to whole rows when a row fits). Default 64 MiB. */
  chunkBytes?: number;
}

export interface ResolvedLimits {
  maxMappedChunks: number;
  maxMappedBytes: number;
  maxOpenFiles: number;
  maxResultElements: number;
}

/** `v`, or `dflt` when undefined; INVALID_ARGUMENT unless a positive safe integer. */
export function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < 1) throw new MnemoError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${String(v)}`);
  return v;
}

export function resolveLimits(o: FieldOpenOptions, nativeMapping: boolean): ResolvedLimits {
  return {
    maxMappedChunks: positive('maxMappedChunks', o.maxMappedChunks, nativeMapping ? 1024 : 32),
    maxMappedBytes: positive('maxMappedBytes', o.maxMappedBytes, nativeMapping ? 64 * 2 ** 30 : 2 ** 30),
    maxOpenFiles: positive('maxOpenFiles', o.maxOpenFiles, 64),
    maxResultElements: positive('maxResultElements', o.maxResultElements, 2 ** 28),
  };
}
