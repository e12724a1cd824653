/** Barrel of the memtable (docs/storage.md, "Memtable"): multi-version in-memory table per space. */
export { Memtable } from './memtable.js';
export { SpaceTable, compareIds, packedBlock, packedRow } from './space-table.js';
export type { MemoryHead } from './space-table.js';
export { assocKey, splitAssocKey, recordBytes, PutRow } from './entries.js';
export type { MemoryValue, AssocValue } from './entries.js';
export { visibleAt, pushVersion } from './chain.js';
export type { Version } from './chain.js';
export { copyAssociation, copyDecay, ownRecord } from './read-copy.js';
export { RowBlock } from './row-block.js';
export { BlockPool } from './block-pool.js';
