/**
 * The narrow interface the read path needs from one sealed segment (docs/storage.md, "LSM read
 * rules"). `segment-handle.ts` implements it over a SegmentReader and adds reference counting
 * and the lazily built per-segment indexes (reverse association index, association tombstones).
 */
import type { Association, DecayState, MemoryRecord } from '../../model.js';
import type { SegmentReader } from '../segment/index.js';

export interface SegLayer {
  readonly segmentId: number;
  readonly space: string;
  readonly reader: SegmentReader;
  readonly rows: number;
  readonly bytes: number;
  readonly minLsn: number;
  readonly maxLsn: number;
  /** Row of `id`, or -1. */
  findRow(id: string): number;
  idAt(row: number): string;
  /** The memory at `row`; `id`, when given, is the row's id (found by findRow), not decoded again. */
  record(row: number, id?: string): MemoryRecord;
  /** The folded decay state this segment carries for a memory stored in an older segment. */
  decayUpdate(id: string): DecayState | undefined;
  isTombstoned(id: string): boolean;
  /** Ids tombstoned by this segment. */
  tombstones(): readonly string[];
  /** Ids with a decay update in this segment. */
  decayUpdateIds(): readonly string[];
  associationsFrom(id: string): Association[];
  /** Ids of sources with an association to `to` in this segment. */
  sourcesOf(to: string): readonly string[];
  /** True when this segment removes association (from, to, kind) of older segments. */
  assocTombstoned(from: string, to: string, kind: string): boolean;
  /** Every source id with at least one association here, ascending. */
  assocSources(): readonly string[];
}
