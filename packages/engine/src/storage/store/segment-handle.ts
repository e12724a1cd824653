/**
 * SegmentHandle: one open sealed segment inside the store (docs/storage.md, "Segments and their
 * lifetime"). Wraps a SegmentReader with the SegLayer read interface, counts the Versions that
 * hold it, and when it was retired by compaction (or its space dropped) closes the reader and
 * deletes its directory once the last Version lets go. Derived per-segment indexes (reverse
 * association index, association-tombstone set) are built lazily on first use.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Association, DecayState, MemoryRecord } from '../../model.js';
import type { SegmentReader } from '../segment/index.js';
import type { SegLayer } from './seg-layer.js';

export interface SegmentMeta {
  segmentId: number;
  space: string;
  /** Absolute path of the segment file (inside its own directory). */
  path: string;
  bytes: number;
  minLsn: number;
  maxLsn: number;
  /** 0 for a flushed segment, 1 + max of the inputs for a compacted one. */
  level: number;
}

export class SegmentHandle implements SegLayer {
  private refs = 0;
  private retired = false;
  private disposed = false;
  private incoming: Map<string, string[]> | undefined;
  private groups: string[] | undefined;
  private tombIds: string[] | undefined;
  private duIds: string[] | undefined;

  constructor(
    readonly reader: SegmentReader,
    readonly meta: SegmentMeta,
    private readonly onError: (e: unknown) => void,
  ) {}

  get segmentId(): number {
    return this.meta.segmentId;
  }
  get space(): string {
    return this.meta.space;
  }
  get rows(): number {
    return this.reader.rows;
  }
  get bytes(): number {
    return this.meta.bytes;
  }
  get level(): number {
    return this.meta.level;
  }
  get minLsn(): number {
    return this.meta.minLsn;
  }
  get maxLsn(): number {
    return this.meta.maxLsn;
  }

  findRow(id: string): number {
    return this.reader.findRow(id);
  }
  idAt(row: number): string {
    return this.reader.id(row);
  }
  record(row: number, id?: string): MemoryRecord {
    return this.reader.record(row, id);
  }
  decayUpdate(id: string): DecayState | undefined {
    return this.reader.decayUpdate(id);
  }
  isTombstoned(id: string): boolean {
    return this.reader.isTombstoned(id);
  }
  tombstones(): readonly string[] {
    if (this.tombIds === undefined) this.tombIds = this.reader.tombstones();
    return this.tombIds;
  }
  decayUpdateIds(): readonly string[] {
    if (this.duIds === undefined) this.duIds = this.reader.decayUpdateIds();
    return this.duIds;
  }
  associationsFrom(id: string): Association[] {
    return this.reader.associationsFrom(id);
  }

  sourcesOf(to: string): readonly string[] {
    if (this.incoming === undefined) {
      const m = new Map<string, string[]>();
      for (const from of this.assocSources()) {
        for (const a of this.reader.associationsFrom(from)) {
          const list = m.get(a.to);
          if (list === undefined) m.set(a.to, [from]);
          else if (list[list.length - 1] !== from) list.push(from);
        }
      }
      this.incoming = m;
    }
    return this.incoming.get(to) ?? [];
  }

  assocTombstoned(from: string, to: string, kind: string): boolean {
    return this.reader.assocTombstoneCount > 0 && this.reader.hasAssocTombstone(from, to, kind);
  }

  assocSources(): readonly string[] {
    if (this.groups === undefined) this.groups = this.reader.assocSources();
    return this.groups;
  }

  retain(): void {
    this.refs += 1;
  }

  release(): void {
    this.refs -= 1;
    if (this.refs <= 0 && this.retired) this.dispose(true);
  }

  /** No longer part of the live set: close and delete when unreferenced. */
  retire(): void {
    this.retired = true;
    if (this.refs <= 0) this.dispose(true);
  }

  /** Close without deleting (store close). */
  close(): void {
    this.dispose(false);
  }

  private dispose(remove: boolean): void {
    if (this.disposed) return;
    this.disposed = true;
    this.reader.close();
    if (remove) rm(path.dirname(this.meta.path), { recursive: true, force: true }).catch(this.onError);
  }
}
