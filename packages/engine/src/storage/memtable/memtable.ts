/**
 * The memtable: every write since the last flush, per space, as version chains keyed by LSN
 * (docs/storage.md, "Memtable" and "Snapshots"). The store applies batches in LSN order; at flush
 * the active memtable is frozen (no more writes) and a new one takes writes, so readers holding
 * the frozen one keep a stable view. `bytes` is an estimate that triggers the flush.
 */
import type { Association, DecayState, MemoryRecord } from '../../model.js';
import type { BlockPool } from './block-pool.js';
import { assocBytes, recordBytes, type MemoryValue } from './entries.js';
import { SpaceTable } from './space-table.js';

export class Memtable {
  readonly spaces = new Map<string, SpaceTable>();
  /** Estimated heap bytes of everything written into this memtable. */
  bytes = 0;
  /** LSN range of the batches applied (0 when empty). */
  minLsn = 0;
  maxLsn = 0;
  /** Number of ops applied. */
  ops = 0;
  /** Set at freeze: every batch with LSN ≤ this is in this memtable or an older layer. */
  sealedLsn = 0;
  private frozen = false;
  /** Versions holding this memtable (store/version.ts). */
  private refs = 0;

  /**
   * @param oldestReader the oldest seq a read can use (the oldest open snapshot's, or the store's
   *   lastLsn when older): versions older than what it sees are dropped on write.
   * @param pool where row blocks get their memory, and where they go back (null: fresh buffers).
   */
  constructor(
    private readonly oldestReader: () => number,
    private readonly pool: BlockPool | null = null,
  ) {}

  /** A version now holds this memtable. */
  retain(): void {
    this.refs += 1;
  }

  /**
   * A version let go. When none holds it, nothing can read the memtable again — every read goes
   * through a version, a flush finishes before its version is replaced — so its row blocks go back
   * to the pool. It must not be used after that.
   */
  release(): void {
    if (this.refs <= 0) return;
    this.refs -= 1;
    if (this.refs === 0) for (const t of this.spaces.values()) t.recycle();
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  /** Stop taking writes; from now on this memtable is immutable. */
  freeze(sealedLsn: number): void {
    this.frozen = true;
    this.sealedLsn = sealedLsn;
  }

  get isEmpty(): boolean {
    return this.ops === 0;
  }

  space(name: string): SpaceTable | undefined {
    return this.spaces.get(name);
  }

  /** Mark the start of a batch at `lsn` (LSNs must increase). */
  beginBatch(lsn: number): void {
    if (this.frozen) throw new Error('memtable is frozen');
    if (this.minLsn === 0) this.minLsn = lsn;
    this.maxLsn = lsn;
  }

  /** Stores `record` as the newest version of its id (its values are copied into the space's columns). */
  putRecord(record: MemoryRecord, lsn: number): void {
    this.table(record.space).putRecord(record, lsn, this.oldestReader());
    this.count(recordBytes(record));
  }

  putDecay(space: string, id: string, decay: DecayState, lsn: number): void {
    this.putMemory(space, id, { t: 'decay', decay }, lsn, 64 + id.length * 2 + decay.recentTimes.length * 16);
  }

  deleteMemory(space: string, id: string, lsn: number): void {
    this.putMemory(space, id, { t: 'del' }, lsn, 48 + id.length * 2);
  }

  putAssoc(space: string, assoc: Association, lsn: number): void {
    this.table(space).putAssoc(assoc.from, assoc.to, assoc.kind, { t: 'put', assoc }, lsn, this.oldestReader());
    this.count(assocBytes(assoc));
  }

  deleteAssoc(space: string, from: string, to: string, kind: string, lsn: number): void {
    this.table(space).putAssoc(from, to, kind, { t: 'del' }, lsn, this.oldestReader());
    this.count(96 + (from.length + to.length + kind.length) * 2);
  }

  private putMemory(space: string, id: string, value: MemoryValue, lsn: number, bytes: number): void {
    this.table(space).putMemory(id, value, lsn, this.oldestReader());
    this.count(bytes);
  }

  private count(bytes: number): void {
    this.bytes += bytes;
    this.ops += 1;
  }

  private table(space: string): SpaceTable {
    if (this.frozen) throw new Error('memtable is frozen');
    let t = this.spaces.get(space);
    if (t === undefined) this.spaces.set(space, (t = new SpaceTable(space, this.pool)));
    return t;
  }
}
