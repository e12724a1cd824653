/** Barrel of the store facade (docs/storage.md): openStore and the public store types. */
export { openStore, DEFAULT_MEMTABLE_BYTES } from './open.js';
export type {
  CompactionOptions, SegmentHook, SegmentView, Snapshot, SpaceInput, SpaceStats, Store, StoreHooks, StoreOptions, StoreStats, WriteResult,
} from './types.js';
export { DEFAULT_SPACE, DEFAULT_DIM, DEFAULT_EMBEDDER, DEFAULT_HNSW, MAX_DIM, resolveSpaceConfig, validateSpaceName } from './validate-space.js';
export { MAX_ID_BYTES } from './validate-ops.js';
export { pickRun } from './compaction-pick.js';
export { SegmentRowRef } from './row-ref.js';
export type { RowRef, RowPredicate } from './row-ref.js';
