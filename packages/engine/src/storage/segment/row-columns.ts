/**
 * Zero-copy views of the row sections of a mapped segment (ids, content, embedding, times,
 * kind, confidence, meta, decay) with their structure checks (docs/segment_format.md §2.4, §4).
 */
import { corruption } from './corruption.js';
import { DecayColumns } from './decay-columns.js';
import { S } from './layout.js';
import type { SectionRef, SegmentHeader } from './parse-file.js';
import { StringColumn } from './string-column.js';

export class RowColumns {
  readonly ids: StringColumn;
  readonly content: StringColumn;
  readonly embedding: Float32Array;
  readonly created: Float64Array;
  readonly recorded: Float64Array;
  readonly kind: Uint8Array;
  readonly confLo: Float64Array;
  readonly confHi: Float64Array;
  readonly meta: StringColumn;
  readonly decay: DecayColumns;

  constructor(path: string, buf: ArrayBuffer, sec: (id: number) => SectionRef, h: SegmentHeader) {
    const R = h.rows;
    const f64 = (id: number): Float64Array => new Float64Array(buf, sec(id).offset, R);
    this.ids = new StringColumn(path, buf, sec(S.rowIdOff), sec(S.rowIdBytes), R);
    this.ids.checkSorted(path, S.rowIdBytes);
    this.content = new StringColumn(path, buf, sec(S.contentOff), sec(S.contentBytes), R);
    this.embedding = new Float32Array(buf, sec(S.embedding).offset, R * h.dim);
    this.created = f64(S.created);
    this.recorded = f64(S.recorded);
    this.kind = new Uint8Array(buf, sec(S.kind).offset, R);
    for (let i = 0; i < R; i++) if ((this.kind[i] as number) > 1) throw corruption(path, S.kind, `row ${i} has unknown kind ${this.kind[i]}`);
    this.confLo = f64(S.confLo);
    this.confHi = f64(S.confHi);
    this.meta = new StringColumn(path, buf, sec(S.metaOff), sec(S.metaBytes), R, false);
    this.decay = new DecayColumns(path, buf, sec, S.rowDecay, R, h.recentK);
  }
}
