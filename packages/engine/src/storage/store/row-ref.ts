/**
 * RowRef: lazy, allocation-free access to one candidate memory's stored columns, over either a
 * sealed segment (columns read on demand) or a memtable record. Filters evaluated during vector
 * traversal (docs/search.md) and during a filtered scan (docs/storage.md) take a RowRef, so they
 * never materialise the records they reject.
 */
import type { Interval, MemoryKind, MemoryRecord } from '../../model.js';
import type { SegmentReader } from '../segment/index.js';

export interface RowRef {
  readonly id: string;
  readonly kind: MemoryKind;
  /** Valid time (ms). */
  readonly created: number;
  /** Transaction time (ms). */
  readonly recorded: number;
  readonly confidence: Interval;
  readonly content: string;
  readonly meta: unknown;
}

/** A predicate on stored columns, evaluated during traversal (filter pushdown). */
export type RowPredicate = (row: RowRef) => boolean;

/** One reusable RowRef over a segment; `at(row)` repositions it. */
export class SegmentRowRef implements RowRef {
  private row = 0;
  constructor(private readonly reader: SegmentReader) {}
  at(row: number): this {
    this.row = row;
    return this;
  }
  get id(): string {
    return this.reader.id(this.row);
  }
  get kind(): MemoryKind {
    return this.reader.kind(this.row);
  }
  get created(): number {
    return this.reader.created(this.row);
  }
  get recorded(): number {
    return this.reader.recorded(this.row);
  }
  get confidence(): Interval {
    return this.reader.confidence(this.row);
  }
  get content(): string {
    return this.reader.content(this.row);
  }
  get meta(): unknown {
    return this.reader.meta(this.row);
  }
}

/** A memtable record is already a RowRef. */
export function recordRef(rec: MemoryRecord): RowRef {
  return rec;
}
