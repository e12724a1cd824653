/**
 * A Version is one immutable arrangement of the store's layers: the memtables (active first,
 * then frozen ones being flushed) and, per space, the sealed segments newest first
 * (docs/storage.md, "Snapshots"). Versions are reference counted: the store holds the current one,
 * each snapshot holds the one it was taken from; a version releases its segments and memtables
 * when the last holder lets go. A retired segment is closed and deleted when its last version is
 * gone, and a flushed memtable's row blocks then go back to the store's block pool.
 */
import type { MemoryRecord } from '../../model.js';
import type { Memtable } from '../memtable/index.js';
import type { SegmentHandle } from './segment-handle.js';
import type { LiveRows } from './live-bitmap.js';

export class Version {
  private refs = 1;
  /** Live-row bitmaps of segments relative to newer segments of this version (memtable excluded). */
  readonly bitmapCache = new Map<SegmentHandle, LiveRows>();
  /**
   * Per space, the live memtable records as of one sequence number (snapshot.memtableRecords):
   * snapshots of this version at that seq see exactly those (memtable entries only accumulate
   * while the version lives, and a later write has a higher seq), so they share the list.
   */
  readonly memtableRecordCache = new Map<string, { seq: number; records: readonly MemoryRecord[] }>();

  constructor(
    readonly memtables: readonly Memtable[],
    readonly segments: ReadonlyMap<string, readonly SegmentHandle[]>,
  ) {
    for (const list of segments.values()) for (const h of list) h.retain();
    for (const m of memtables) m.retain();
  }

  segmentsOf(space: string): readonly SegmentHandle[] {
    return this.segments.get(space) ?? [];
  }

  retain(): void {
    this.refs += 1;
  }

  release(): void {
    if (this.refs <= 0) return;
    this.refs -= 1;
    if (this.refs > 0) return;
    this.bitmapCache.clear();
    for (const list of this.segments.values()) for (const h of list) h.release();
    for (const m of this.memtables) m.release();
  }

  /** A new version with different memtables and/or segments (segments are retained again). */
  with(memtables: readonly Memtable[], segments?: ReadonlyMap<string, readonly SegmentHandle[]>): Version {
    return new Version(memtables, segments ?? this.segments);
  }
}
