/** Barrel of the write-ahead log (docs/wal_format.md, docs/durability.md). */
export { Wal } from './wal-writer.js';
export type { WalOptions, WalBatch, WalStop, RecoveryReport } from './wal-types.js';
export { logFileName } from './wal-recover.js';
export {
  FILE_HEADER_SIZE, RECORD_HEADER_SIZE, MAX_FRAGMENT_BYTES, MAX_BATCH_BYTES, DEFAULT_FRAGMENT_BYTES,
} from './wal-format.js';
