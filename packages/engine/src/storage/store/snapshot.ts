/**
 * Snapshot: a consistent, stable read view — one Version (memtables + ref-counted segment list)
 * at one sequence number (docs/storage.md, "Snapshots"). Later writes, flushes and compactions
 * never change what it sees; it must be released, after which every call throws RELEASED.
 */
import { MnemoError } from '@mnemo/native';
import type { Association, DecayState, MemoryRecord, SpaceConfig } from '../../model.js';
import { compareIds } from '../memtable/index.js';
import { liveBitmap } from './live-bitmap.js';
import { countSpace } from './scan.js';
import type { OpenLinks } from './open-snapshots.js';
import type { RowPredicate, RowRef } from './row-ref.js';
import type { SegmentView, Snapshot } from './types.js';
import type { Version } from './version.js';
import { View } from './view.js';

export class StoreSnapshot implements Snapshot, OpenLinks<StoreSnapshot> {
  private view: View | undefined;
  /** Links of the store's list of open snapshots (open-snapshots.ts). */
  prevOpen: StoreSnapshot | null = null;
  nextOpen: StoreSnapshot | null = null;
  /** Per space, made on first use (a point read needs neither: no Map per snapshot). */
  private segCache: Map<string, SegmentView[]> | null = null;
  private memCache: Map<string, readonly MemoryRecord[]> | null = null;

  constructor(
    version: Version,
    readonly seq: number,
    private readonly spaceList: readonly SpaceConfig[],
    private readonly onRelease: (s: StoreSnapshot) => void,
  ) {
    version.retain();
    this.view = new View(version, seq);
  }

  private v(): View {
    if (this.view === undefined) throw new MnemoError('RELEASED', 'snapshot was released; take a new snapshot');
    return this.view;
  }

  /**
   * The view for a read of `space`, which must be one of the snapshot's spaces: a misspelt or
   * dropped space is UNKNOWN_SPACE, as for store.get, not an empty result.
   */
  private vs(space: string): View {
    const view = this.v();
    for (const s of this.spaceList) if (s.name === space) return view;
    throw new MnemoError('UNKNOWN_SPACE', `no space named '${String(space)}' in this snapshot (see spaces())`, { space });
  }

  /**
   * An iterator that stops with RELEASED once the snapshot is released: after release the memtable
   * no longer keeps the versions it saw and its retired segments may be closed.
   */
  private *guarded<T>(inner: Iterator<T>): Generator<T> {
    for (;;) {
      this.v();
      const n = inner.next();
      if (n.done === true) return;
      yield n.value;
    }
  }

  /** The read view, or undefined once released (the association graph reads the memtables through it). */
  readView(): View | undefined {
    return this.view;
  }

  assertLive(): void {
    this.v();
  }

  get released(): boolean {
    return this.view === undefined;
  }

  get(space: string, id: string): MemoryRecord | undefined {
    return this.vs(space).get(space, id);
  }

  refs(space: string): IterableIterator<RowRef> {
    return this.guarded(this.vs(space).refs(space));
  }

  scan(space: string, filter?: RowPredicate): IterableIterator<MemoryRecord> {
    return this.guarded(this.vs(space).scan(space, filter));
  }

  count(space: string): number {
    return countSpace(this.vs(space), space);
  }

  associationsFrom(space: string, id: string): Association[] {
    return this.vs(space).associationsFrom(space, id);
  }

  associationsTo(space: string, id: string): Association[] {
    return this.vs(space).associationsTo(space, id);
  }

  associations(space: string): IterableIterator<Association> {
    return this.guarded(this.vs(space).associations(space));
  }

  segments(space: string): SegmentView[] {
    const view = this.vs(space);
    let out = this.segCache?.get(space);
    if (out === undefined) {
      out = view.version.segmentsOf(space).map((h) => {
        const live = liveBitmap(view, space, h);
        const record = (row: number, id?: string): MemoryRecord => this.vs(space).liveRowRecord(space, h, live.bits, row, id);
        const decay = (row: number, id?: string): DecayState => this.vs(space).liveRowDecay(space, h, live.bits, row, id);
        let updated: Set<number> | undefined;
        const updatedRows = (): ReadonlySet<number> => (updated ??= this.vs(space).rowsUpdatedAbove(space, h));
        return { segmentId: h.segmentId, reader: h.reader, live: live.bits, liveCount: live.count, record, decay, updatedRows };
      });
      (this.segCache ??= new Map()).set(space, out);
    }
    return out;
  }

  memtableRecords(space: string): readonly MemoryRecord[] {
    const view = this.vs(space);
    const cached = this.memCache?.get(space);
    if (cached !== undefined) return cached;
    // another snapshot of this version at this seq built the same list: share it
    const shared = view.version.memtableRecordCache.get(space);
    if (shared !== undefined && shared.seq === this.seq) {
      (this.memCache ??= new Map()).set(space, shared.records);
      return shared.records;
    }
    const ids = new Set<string>();
    for (const mt of view.version.memtables) for (const id of mt.space(space)?.ids() ?? []) ids.add(id);
    const out: MemoryRecord[] = [];
    for (const id of ids) {
      const r = view.memtableRecord(space, id);
      if (r !== undefined) out.push(r);
    }
    // one memtable's ids come sorted; records from several are merged into id order
    if (view.version.memtables.length > 1) out.sort((a, b) => compareIds(a.id, b.id));
    (this.memCache ??= new Map()).set(space, out);
    view.version.memtableRecordCache.set(space, { seq: this.seq, records: out });
    return out;
  }

  spaces(): SpaceConfig[] {
    this.v();
    return [...this.spaceList];
  }

  release(): void {
    const view = this.view;
    if (view === undefined) return;
    this.view = undefined;
    this.segCache = null;
    this.memCache = null;
    view.version.release();
    this.onRelease(this);
  }
}
