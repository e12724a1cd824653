/**
 * Options of `open(dir, options)` (host API, language.md §6) and the per-query limits with
 * their defaults. Documented in docs/mql_reference.md §"Host API".
 */
import type { CompactionOptions, Durability } from '@mnemo/engine';
import type { Embedder } from '../embedder/index.js';

export interface Limits {
  /** Longest statement text accepted (characters). */
  statementLength: number;
  /** Deepest nesting of conditions/values accepted by the parser. */
  nestingDepth: number;
  /** Largest MAX_HOPS a SPREAD may ask for. */
  maxHops: number;
  /** SPREAD/PREDICT/IMAGINE budget: neighbour examinations per query. */
  nodesVisited: number;
  /** Most rows a statement may return (also the LIMIT of `RECALL *` without LIMIT). */
  rowsReturned: number;
  /** Per-query time budget (ms, wall clock). */
  queryTimeMs: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  statementLength: 1_000_000,
  nestingDepth: 64,
  maxHops: 10,
  nodesVisited: 100_000,
  rowsReturned: 1_000_000,
  queryTimeMs: 30_000,
});

export interface OpenOptions {
  /** 'full' (default), 'normal' or 'off' (see docs/durability.md). */
  durability?: Durability;
  readOnly?: boolean;
  /** Injectable clock (ms since the epoch): NOW, AT defaults and every decay computation use it. */
  clock?: () => number;
  /** Text embedder used for every space instead of the built-in hashing embedder. */
  embedder?: Embedder;
  limits?: Partial<Limits>;
  compaction?: CompactionOptions;
  /** Memtable flush threshold in bytes. */
  memtableBytes?: number;
  /** How often the background scheduler looks for due CONSOLIDATE jobs (ms, default 60 000; 0 disables the timer). */
  schedulerPollMs?: number;
}
