/**
 * Validation and defaults of Wal.open options (docs/durability.md "Modes", docs/wal_format.md
 * "Files": maxFileBytes, fragmentBytes; docs/durability.md "Preallocation", "Recycling"). Bad options are INVALID_ARGUMENT before any I/O.
 */
import { MnemoError } from '@mnemo/native';
import type { Durability } from '../../model.js';
import { DEFAULT_FRAGMENT_BYTES, FILE_HEADER_SIZE, MAX_FRAGMENT_BYTES } from './wal-format.js';
import type { WalOptions } from './wal-types.js';

export interface WalSettings {
  durability: Durability;
  fragmentBytes: number;
  maxFileBytes: number;
  normalIntervalMs: number;
  preallocateBytes: number;
  recycleFiles: number;
  readOnly: boolean;
}

export const DEFAULT_MAX_FILE_BYTES = 64 << 20;
/** Off unless asked for (the store asks for 1 MiB): docs/durability.md "Preallocation". */
export const DEFAULT_PREALLOCATE_BYTES = 0;
/** Largest recycle pool (each kept file can be maxFileBytes). */
export const MAX_RECYCLE_FILES = 16;

export function validateOptions(opts: WalOptions): WalSettings {
  const bad = (why: string): never => {
    throw new MnemoError('INVALID_ARGUMENT', `Wal.open: ${why}`);
  };
  if (!['full', 'normal', 'off'].includes(opts.durability)) bad(`durability must be full, normal or off (got ${String(opts.durability)})`);
  if (!Number.isSafeInteger(opts.fromLsn) || opts.fromLsn < 0) bad('fromLsn must be a non-negative safe integer');
  const fragmentBytes = opts.fragmentBytes ?? DEFAULT_FRAGMENT_BYTES;
  if (!Number.isInteger(fragmentBytes) || fragmentBytes < 1 || fragmentBytes > MAX_FRAGMENT_BYTES) bad(`fragmentBytes must be 1..${MAX_FRAGMENT_BYTES}`);
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!Number.isInteger(maxFileBytes) || maxFileBytes < FILE_HEADER_SIZE + 64) bad('maxFileBytes is too small');
  const normalIntervalMs = opts.normalIntervalMs ?? 100;
  if (!(normalIntervalMs > 0)) bad('normalIntervalMs must be positive');
  const preallocateBytes = opts.preallocateBytes ?? DEFAULT_PREALLOCATE_BYTES;
  if (!Number.isSafeInteger(preallocateBytes) || preallocateBytes < 0) bad('preallocateBytes must be a non-negative integer');
  const recycleFiles = opts.recycleFiles ?? 0;
  if (!Number.isInteger(recycleFiles) || recycleFiles < 0 || recycleFiles > MAX_RECYCLE_FILES) bad(`recycleFiles must be an integer 0..${MAX_RECYCLE_FILES}`);
  return {
    durability: opts.durability, fragmentBytes, maxFileBytes, normalIntervalMs, preallocateBytes, recycleFiles, readOnly: opts.readOnly === true,
  };
}
