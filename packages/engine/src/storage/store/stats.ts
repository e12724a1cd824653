/**
 * stats(): counters and sizes of an open store (docs/storage.md, "Statistics") — LSNs, memtable
 * size, flush/compaction counts, open snapshots, hook and background errors, per-space segments.
 */
import type { MnemoStore } from './store.js';
import type { StoreStats } from './types.js';

export function collectStats(store: MnemoStore): StoreStats {
  const memtables = store.current.memtables;
  return {
    dir: store.dir,
    readOnly: store.readOnly,
    durability: store.parts.durability,
    lastLsn: store.lastLsn,
    checkpointLsn: store.parts.catalog.checkpointLsn(),
    memtableBytes: memtables.reduce((s, m) => s + m.bytes, 0),
    memtableOps: memtables.reduce((s, m) => s + m.ops, 0),
    flushes: store.counters.flushes,
    compactions: store.counters.compactions,
    openSnapshots: store.snapshots.size,
    hookErrors: store.counters.hookErrors,
    backgroundErrors: store.counters.bgErrors,
    lastError: store.counters.lastBgError || store.counters.lastHookError,
    segmentThread: store.segmentWorker.mode,
    spaces: store.listSpaces().map((s) => {
      const segs = store.current.segmentsOf(s.name);
      return {
        name: s.name,
        segments: segs.length,
        segmentRows: segs.reduce((n, h) => n + h.rows, 0),
        segmentBytes: segs.reduce((n, h) => n + h.bytes, 0),
        memtableOps: memtables.reduce((n, m) => n + (m.space(s.name)?.memories.size ?? 0) + (m.space(s.name)?.assocs.size ?? 0), 0),
      };
    }),
  };
}
