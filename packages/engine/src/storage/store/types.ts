/**
 * Public types of the store facade (docs/storage.md): options of `openStore`, the `Store` and
 * `Snapshot` interfaces the query layer programs against, statistics, and the small hook seam the
 * vector index uses to build its per-segment file beside every new segment.
 */
import type { Association, DecayModel, DecayState, Durability, HnswParams, MemoryRecord, Metric, SpaceConfig, WriteOp } from '../../model.js';
import type { Env } from '../env/index.js';
import type { SegmentReader } from '../segment/index.js';
import type { RowPredicate, RowRef } from './row-ref.js';

export interface CompactionOptions {
  /** Compact in the background after flushes (default true). */
  auto: boolean;
  /** Size-tiered: segments whose sizes are within this factor form a tier (default 2). */
  sizeRatio?: number;
  /** A tier is compacted once it holds this many segments (default 4). */
  minRun?: number;
}

/** Called after a new segment is committed; may write derived files beside `reader.path`. `config` is
 * the space's configuration (also during close(), when getSpace() already refuses). */
export type SegmentHook = (space: string, segmentId: number, reader: SegmentReader, config: SpaceConfig) => void | Promise<void>;

export interface StoreHooks {
  onAfterFlush?: SegmentHook;
  onAfterCompact?: SegmentHook;
}

export interface StoreOptions {
  /** 'full' (default): ack after fdatasync; 'normal': sync on a short interval; 'off'. */
  durability?: Durability;
  /** Open without writing anything (no WAL replay into files, no GC, shared lock). */
  readOnly?: boolean;
  /** Clock for transaction times (ms); default Date.now. */
  clock?: () => number;
  /** Report a damaged WAL tail as CORRUPTION instead of treating it as the end of the log. */
  strictWal?: boolean;
  /**
   * Retired WAL files kept for reuse, so log writes overwrite allocated blocks instead of growing a
   * file (docs/durability.md "Recycling"); 0 = off, at most 16. Disk cost: up to this many WAL
   * files (≤ 64 MiB each). Default WAL_RECYCLE_FILES.
   */
  walRecycleFiles?: number;
  /** Flush threshold of the memtable in estimated bytes (default 64 MiB). */
  memtableBytes?: number;
  compaction?: CompactionOptions;
  /** File system layer (default: the real one); tests pass a fault-injecting twin. */
  env?: Env;
  hooks?: StoreHooks;
  /**
   * Write flushed memtables and merge segments (compaction) on a worker thread (default true), so
   * their CPU time does not stall reads and writes. Both run inline when false or when the engine
   * runs from its TypeScript sources; `stats().segmentThread` reports which.
   */
  segmentThread?: boolean;
}

/** What `createSpace` accepts: a name plus anything to override from the defaults. */
export interface SpaceInput {
  name: string;
  dim?: number;
  metric?: Metric;
  decay?: DecayModel;
  embedder?: string;
  hnsw?: HnswParams;
}

export interface WriteResult {
  /** LSN of the batch (0 for an empty batch). */
  lsn: number;
  /** Memory ids written by `remember` ops, in op order. */
  ids: string[];
}

/** One sealed segment as seen by a snapshot: its reader and which rows are still live. */
export interface SegmentView {
  segmentId: number;
  reader: SegmentReader;
  /**
   * Bit r set ⇔ row r is the visible version of its memory (not shadowed, not tombstoned).
   * Shared with other snapshots of the same store state: read it, never change it.
   */
  readonly live: Uint8Array;
  /** Number of set bits in `live`. */
  liveCount: number;
  /**
   * The record of live row `row` (its bit set in `live`), as `get` of its id returns it (the newest
   * decay update above the segment applied) without looking the id up: for the rows a search found.
   * `id`: the row's id when the caller has read it. A row that is not live is INTERNAL.
   */
  record(row: number, id?: string): MemoryRecord;
  /**
   * The decay state of live row `row` as its record would carry it (the newest decay update above
   * the segment, else the row's own), without reading the rest of the record: what ranking by
   * score needs. The caller's own copy. `id` as for record().
   */
  decay(row: number, id?: string): DecayState;
  /**
   * The rows whose memory may have a decay update above this segment (in a memtable or a newer
   * segment); for any other live row `reader.decay(row)` is the visible decay state, with no id
   * read and nothing looked up: what a pass over every row uses. Made on first call, per snapshot.
   */
  updatedRows(): ReadonlySet<number>;
}

export interface Snapshot {
  /** The LSN up to which this snapshot sees writes. */
  readonly seq: number;
  get(space: string, id: string): MemoryRecord | undefined;
  /**
   * Live memories of the space in id order. `filter`: only the memories it accepts, tested on the
   * stored columns before a segment row's record is read (rejected rows are never materialised).
   */
  scan(space: string, filter?: RowPredicate): IterableIterator<MemoryRecord>;
  /**
   * The stored columns of the live memories of the space in id order, without reading their
   * records: each RowRef is valid only until the next step (a segment's is repositioned), so keep
   * its values, not the ref. An ordered top-k picks its rows with it, then `get`s them.
   */
  refs(space: string): IterableIterator<RowRef>;
  count(space: string): number;
  associationsFrom(space: string, id: string): Association[];
  associationsTo(space: string, id: string): Association[];
  /** Every live association of the space, ordered by (from, to, kind). */
  associations(space: string): IterableIterator<Association>;
  /** Sealed segments of the space, newest first, with live-row bitmaps. */
  segments(space: string): SegmentView[];
  /** Throws RELEASED once the snapshot is released (what every read checks first). */
  assertLive(): void;
  /**
   * Live memories held by the memtable (not yet in a segment), in id order, for searches over
   * them. Unlike every other read these records are the memtable's own objects, not copies: read
   * them, never change them, and not after this snapshot is released (their embeddings are views
   * of memory the store then reuses). The list itself is shared by the snapshots of one store
   * state (same version, same seq), so it is read-only too.
   */
  memtableRecords(space: string): readonly MemoryRecord[];
  /** Spaces as of this snapshot. */
  spaces(): SpaceConfig[];
  /** Release the segments; using the snapshot afterwards throws RELEASED. Idempotent. */
  release(): void;
}

export interface SpaceStats {
  name: string;
  segments: number;
  segmentRows: number;
  segmentBytes: number;
  memtableOps: number;
}

export interface StoreStats {
  dir: string;
  readOnly: boolean;
  durability: Durability;
  lastLsn: number;
  checkpointLsn: number;
  memtableBytes: number;
  memtableOps: number;
  flushes: number;
  compactions: number;
  openSnapshots: number;
  /** Failed after-flush/compact hooks (the commit stands; see lastError). */
  hookErrors: number;
  /** Failed background jobs (automatic flush or compaction; nothing acknowledged is lost). */
  backgroundErrors: number;
  /** Message of the latest hook or background failure ('' when none). */
  lastError: string;
  /** Where compaction merges run: a worker thread or inline on the main thread. */
  segmentThread: 'thread' | 'inline';
  spaces: SpaceStats[];
}

export interface Store {
  readonly dir: string;
  readonly readOnly: boolean;
  createSpace(cfg: SpaceInput): Promise<SpaceConfig>;
  dropSpace(name: string): Promise<void>;
  listSpaces(): SpaceConfig[];
  getSpace(name: string): SpaceConfig;
  /** The space named `name`, or undefined when there is none. */
  findSpace(name: string): SpaceConfig | undefined;
  write(ops: WriteOp[]): Promise<WriteResult>;
  get(space: string, id: string, snap?: Snapshot): MemoryRecord | undefined;
  snapshot(): Snapshot;
  flush(): Promise<void>;
  compact(space?: string): Promise<void>;
  checkpoint(): Promise<void>;
  backup(toDir: string): Promise<void>;
  stats(): StoreStats;
  close(): Promise<void>;
}
