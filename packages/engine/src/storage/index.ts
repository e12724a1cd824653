/**
 * Barrel of the engine's storage module (its public part, docs/storage.md): the store facade
 * and its types, plus what the query layer, the vector index and the tests need from the WAL,
 * catalog, segments and the file-system Env (Env/FaultEnv for fault-injection tests).
 */
export * from './store/index.js';
export { Memtable, compareIds } from './memtable/index.js';
export type { Env, EnvFile, EnvStat, OpenMode, FaultOp, FaultRule, CrashMode } from './env/index.js';
export { NodeEnv, nodeEnv, FaultEnv, Rng, seededRandom } from './env/index.js';
export { Wal, logFileName } from './wal/index.js';
export type { WalOptions, WalBatch, WalStop, RecoveryReport } from './wal/index.js';
export { writeSegment, openSegment, SegmentReader, mergeSegments, SEGMENT_FILE_NAME } from './segment/index.js';
export type { SegmentContent, SegmentFileInfo, SegmentExpect, DecayColumns } from './segment/index.js';
export { Catalog } from './catalog/index.js';
export type { SegmentRow as CatalogSegmentRow, JobRow, NewJob, JobPatch } from './catalog/index.js';
