/**
 * Per-tier counters of a Field (docs/field_format.md "Statistics"): hot copies, mapped chunks, the
 * remote tier, the prefetcher and writes, gathered into one plain object.
 */
import type { FieldCore } from './field-core.js';
import type { HotTierCounters } from './hot-tier.js';
import type { PrefetchCounters } from './prefetch.js';
import type { RemoteTierCounters } from './remote-tier.js';

export interface FieldStats {
  /** Hot tier; latencyMs only with `timing: true`. null when disabled. */
  hot: (HotTierCounters & { bytesRead: number; latencyMs: number }) | null;
  mapped: {
    /** Elements read from mapped chunks. */
    hits: number;
    /** Elements read as zeros because their chunk does not exist. */
    zeroReads: number;
    bytes: number;
    latencyMs: number;
    mappedChunks: number;
    mappedBytes: number;
    /** Evicted chunks still mapped because row() views over them are reachable. */
    retainedChunks: number;
    maps: number;
    unmaps: number;
    retains: number;
    resurrects: number;
  };
  remote: RemoteTierCounters | null;
  /** Predictor counters plus madvise calls and chunks mapped early. null when prefetch is off. */
  prefetch: (PrefetchCounters & { advised: number; earlyMaps: number }) | null;
  /** Includes madvise calls issued by batchGet. */
  advised: number;
  writes: { bytes: number; chunksCreated: number; dirtyChunks: number };
}

export function fieldStats(core: FieldCore): FieldStats {
  const { cache, hot, predictor, writer, remote } = core;
  return {
    hot: hot === null ? null : { ...hot.counters(), bytesRead: core.hotTier.bytes, latencyMs: core.hotTier.latencyMs },
    mapped: {
      ...core.mapped,
      mappedChunks: cache.mappedChunks,
      mappedBytes: cache.mappedBytes,
      retainedChunks: cache.retainedChunks,
      ...cache.counters,
    },
    remote: remote === null ? null : { ...remote.counters },
    prefetch: predictor === null ? null : { ...predictor.counters(), ...core.prefetchIo },
    advised: core.prefetchIo.advised,
    writes: {
      bytes: writer?.bytesWritten ?? 0,
      chunksCreated: writer?.chunksCreated ?? 0,
      dirtyChunks: writer?.dirtyChunks ?? 0,
    },
  };
}
