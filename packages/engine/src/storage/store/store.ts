/**
 * MnemoStore: the store facade (docs/storage.md). Holds the state every part shares — catalog,
 * WAL, spaces, the active memtable, the current Version and open snapshots — and exposes the
 * public Store API; the work itself lives in small files: open.ts (open + recovery), write.ts,
 * flush.ts, compaction.ts, backup.ts, spaces.ts.
 */
import { MnemoError, type FileLock } from '@mnemo/native';
import type { Durability, MemoryRecord, SpaceConfig, WriteOp } from '../../model.js';
import type { Catalog } from '../catalog/index.js';
import type { Env } from '../env/index.js';
import { BlockPool, Memtable } from '../memtable/index.js';
import type { Wal } from '../wal/index.js';
import { runBackup } from './backup.js';
import { BackgroundJobs } from './background.js';
import { runCompaction } from './compaction.js';
import { runFlush } from './flush.js';
import { ArenaPool } from './arena-pool.js';
import { OrderedApplier } from './ordered-applier.js';
import { SegmentWorkerClient } from './segment-worker-client.js';
import { OpenSnapshots } from './open-snapshots.js';
import { StoreSnapshot } from './snapshot.js';
import { SpaceMap } from './space-map.js';
import { createSpaceIn, dropSpaceIn } from './spaces.js';
import { collectStats } from './stats.js';
import type { CompactionOptions, Snapshot, SpaceInput, Store, StoreHooks, StoreStats, WriteResult } from './types.js';
import type { Version } from './version.js';
import { View } from './view.js';
import { writeBatch } from './write.js';

export interface StoreParts {
  dir: string;
  readOnly: boolean;
  durability: Durability;
  clock: () => number;
  env: Env;
  memtableBytes: number;
  compaction: Required<CompactionOptions>;
  hooks: StoreHooks;
  segmentThread: boolean;
  lock: FileLock | undefined;
  catalog: Catalog;
  wal: Wal | undefined;
}

/** The block pool keeps at least this much, so small memtables (tests use a few KiB) recycle too. */
const MIN_BLOCK_POOL_BYTES = 4 << 20;

export class MnemoStore implements Store {
  readonly dir: string;
  readonly readOnly: boolean;
  readonly parts: StoreParts;
  readonly spaces = new SpaceMap();
  /** Spaces being dropped: new writes to them are refused. */
  readonly dropping = new Set<string>();
  readonly applier = new OrderedApplier();
  /** Buffers for validation's embedding copies, reused batch to batch (arena-pool.ts). */
  readonly arenas = new ArenaPool();
  /** Memory of flushed memtables' row blocks, reused by new ones (one memtable's worth, at least 4 MiB). */
  readonly blocks: BlockPool;
  readonly snapshots = new OpenSnapshots<StoreSnapshot>();
  /** What a snapshot calls on release (one function for all of them). */
  private readonly dropSnapshot = (s: StoreSnapshot): void => this.snapshots.delete(s);
  readonly jobs: BackgroundJobs;
  readonly segmentWorker: SegmentWorkerClient;
  active: Memtable;
  current!: Version;
  // (undefined only before recovery installed the first version)
  /**
   * LSN of the last acknowledged batch: reads and new snapshots see every batch up to it. A
   * batch is applied to the memtable while its fdatasync is in flight (write.ts), under a larger
   * LSN that no read sees until its acknowledgement moves lastLsn past it.
   */
  lastLsn = 0;
  /** LSN of the last batch applied to the memtables (≥ lastLsn; the excess is not yet acknowledged). */
  appliedLsn = 0;
  counters = { flushes: 0, compactions: 0, hookErrors: 0, lastHookError: '' as string, bgErrors: 0, lastBgError: '' as string };
  private closing: Promise<void> | undefined;

  constructor(parts: StoreParts) {
    this.parts = parts;
    this.dir = parts.dir;
    this.readOnly = parts.readOnly;
    this.blocks = new BlockPool(Math.max(parts.memtableBytes, MIN_BLOCK_POOL_BYTES));
    this.active = this.newMemtable();
    this.segmentWorker = new SegmentWorkerClient(parts.segmentThread);
    this.jobs = new BackgroundJobs((e) => this.noteBackgroundError(e));
  }

  /** Forget everything recovery loaded (a read-only open retries from scratch). */
  reset(): void {
    const handles = this.current === undefined ? [] : [...this.current.segments.values()].flat();
    this.current?.release();
    for (const h of handles) h.close();
    this.spaces.clear();
    this.active = this.newMemtable();
    this.lastLsn = 0;
    this.appliedLsn = 0;
    void this.parts.wal?.close().catch(() => undefined);
    this.parts.wal = undefined;
  }

  noteBackgroundError(e: unknown): void {
    this.counters.bgErrors += 1;
    this.counters.lastBgError = e instanceof Error ? e.message : String(e);
  }

  scheduleCompaction(): void {
    this.jobs.schedule('compact', () => runCompaction(this, { explicit: false }));
  }

  newMemtable(): Memtable {
    return new Memtable(() => this.oldestReader(), this.blocks);
  }

  /**
   * The oldest seq a read can use: the oldest open snapshot's, or lastLsn (the seq of every new
   * snapshot and read) when that is older. Memtable version chains keep what it sees, so a batch
   * applied ahead of its acknowledgement never drops the version reads still see.
   */
  oldestReader(): number {
    let m = this.lastLsn;
    for (const s of this.snapshots) if (s.seq < m) m = s.seq;
    return m;
  }

  /** Replace the current version (the store's reference moves to the new one). */
  setVersion(v: Version): void {
    const old = this.current;
    this.current = v;
    old?.release();
  }

  /** The latest state, for validation and apply. */
  latest(): View {
    return new View(this.current, Infinity);
  }

  checkOpen(): void {
    if (this.closing !== undefined) throw new MnemoError('CLOSED', 'the store is closed');
  }

  checkWritable(): void {
    this.checkOpen();
    if (this.readOnly) throw new MnemoError('READ_ONLY', 'the store was opened read-only');
  }

  createSpace(cfg: SpaceInput): Promise<SpaceConfig> {
    return guard(() => {
      this.checkWritable();
      return createSpaceIn(this, cfg);
    });
  }

  dropSpace(name: string): Promise<void> {
    return guard(() => {
      this.checkWritable();
      return dropSpaceIn(this, name);
    });
  }

  listSpaces(): SpaceConfig[] {
    this.checkOpen();
    return [...this.spaces.sorted()];
  }

  /** The space named `name`, or undefined when there is none (getSpace throws UNKNOWN_SPACE). */
  findSpace(name: string): SpaceConfig | undefined {
    this.checkOpen();
    return this.spaces.get(name);
  }

  getSpace(name: string): SpaceConfig {
    this.checkOpen();
    const s = this.spaces.get(name);
    if (s === undefined) throw new MnemoError('UNKNOWN_SPACE', `no space named '${name}' (see listSpaces())`, { space: name });
    return s;
  }

  write(ops: WriteOp[]): Promise<WriteResult> {
    return guard(() => {
      this.checkWritable();
      return writeBatch(this, ops);
    });
  }

  get(space: string, id: string, snap?: Snapshot): MemoryRecord | undefined {
    this.checkOpen();
    if (snap !== undefined) return snap.get(space, id);
    this.getSpace(space);
    return new View(this.current, this.lastLsn).get(space, id);
  }

  snapshot(): Snapshot {
    this.checkOpen();
    const s = new StoreSnapshot(this.current, this.lastLsn, this.spaces.sorted(), this.dropSnapshot);
    this.snapshots.add(s);
    return s;
  }

  flush(): Promise<void> {
    return guard(() => {
      this.checkWritable();
      return this.jobs.run(() => runFlush(this));
    });
  }

  compact(space?: string): Promise<void> {
    return guard(() => {
      this.checkWritable();
      if (space !== undefined) this.getSpace(space);
      return this.jobs.run(() => runCompaction(this, { space, explicit: true }));
    });
  }

  async checkpoint(): Promise<void> {
    await this.flush();
  }

  backup(toDir: string): Promise<void> {
    return guard(() => {
      this.checkWritable();
      return this.jobs.run(async () => {
        await runFlush(this);
        await runBackup(this, toDir);
      });
    });
  }

  stats(): StoreStats {
    this.checkOpen();
    return collectStats(this);
  }

  close(): Promise<void> {
    if (this.closing === undefined) this.closing = this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.applier.idle();
    if (!this.readOnly && this.current.memtables.some((m) => !m.isEmpty)) {
      // Flush so the next open replays nothing; on failure the data is still in the WAL.
      await this.jobs.run(() => runFlush(this, { compactAfter: false })).catch((e: unknown) => this.noteBackgroundError(e));
    }
    await this.jobs.close();
    await this.segmentWorker.close();
    for (const s of [...this.snapshots]) s.release();
    const failures: unknown[] = [];
    try {
      await this.parts.wal?.close();
    } catch (e) {
      failures.push(e);
    }
    const handles = new Set([...this.current.segments.values()].flat());
    this.current.release();
    this.blocks.clear();
    for (const h of handles) h.close();
    this.parts.catalog.close();
    this.parts.lock?.release();
    if (failures.length > 0) throw failures[0];
  }
}

/** Run `fn`, turning a synchronous throw into a rejected promise (async APIs never throw). */
function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (e) {
    return Promise.reject(e);
  }
}
