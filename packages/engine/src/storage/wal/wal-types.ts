/**
 * Public types of the write-ahead log: open options and the recovery report.
 * Semantics in docs/wal_format.md ("Recovery") and docs/durability.md ("Modes").
 */
import type { Durability, WriteOp } from '../../model.js';
import type { Env } from '../env/env.js';

export interface WalOptions {
  /** File-system environment (default: the real one). */
  env?: Env;
  durability: Durability;
  /** Report every bad or torn record as MnemoError CORRUPTION instead of ending the log there. */
  strict?: boolean;
  /** Checkpoint LSN: batches with LSN ≤ fromLsn are already in segments and are not returned. */
  fromLsn: number;
  /** `normal` mode: how often written batches are fsynced (default 100 ms). */
  normalIntervalMs?: number;
  /** Start a new file when the active one would grow past this (default 64 MiB). */
  maxFileBytes?: number;
  /** Largest record payload; larger batches are fragmented (default 64 KiB, at most 1 MiB). */
  fragmentBytes?: number;
  /**
   * Zero-filled space kept ahead of the write position while commits are small (default 0 = off;
   * 1 MiB is a good value), so a commit's fdatasync overwrites allocated blocks and need not also commit a new file
   * size (docs/durability.md "Preallocation"). Capped by maxFileBytes.
   */
  preallocateBytes?: number;
  /**
   * Keep up to this many retired log files (`NNNNNN.recycle`) and make new log files from them, so
   * batches overwrite allocated blocks (docs/durability.md "Recycling"). Default 0 = off; 0..16.
   * Disk cost: up to this many × maxFileBytes.
   */
  recycleFiles?: number;
  /** Replay only: create no file, move nothing; append() rejects with READ_ONLY. */
  readOnly?: boolean;
}

export interface WalBatch {
  lsn: number;
  ops: WriteOp[];
}

/** Where recovery stopped before the physical end of the log (docs/wal_format.md). */
export interface WalStop {
  /** tail: nothing valid follows; corruption: valid records follow; gap: a file does not continue the log. */
  kind: 'tail' | 'corruption' | 'gap';
  file: string;
  offset: number;
  reason: string;
  /** Bytes after the last complete batch, in this file and every later file. */
  bytesDropped: number;
  /** Checksum-valid records found after the stop point (this file and later files). */
  recordsDropped: number;
}

export interface RecoveryReport {
  /** Files read, in order. */
  files: string[];
  batchesReplayed: number;
  /** Complete batches with LSN ≤ fromLsn (already checkpointed). */
  batchesSkipped: number;
  /** Last LSN of the recovered log (or fromLsn if larger). */
  lastLsn: number;
  end: WalStop | null;
  /** Tails an earlier recovery already cut off (the next file continues the log). */
  ignoredTails: Array<{ file: string; offset: number; bytes: number }>;
  /** Files moved to wal/lost/ because they lie beyond the stop point. */
  quarantined: string[];
}
