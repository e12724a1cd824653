/**
 * Zero-copy views of the row sections of a mapped segment (ids, content, embedding, times,
 * kind, confidence, meta, decay) with their structure checks. The row ids are validated when the
 * reader opens; every other column is verified per row when read, or whole by verifyAll()
 * (docs/segment_format.md §2.4, §4 step 6).
 */
import type { SectionGuard } from './block-guard.js';
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
  private kindChecked = false;

  constructor(private readonly path: string, buf: ArrayBuffer, sec: (id: number) => SectionRef, readonly guard: (id: number) => SectionGuard, h: SegmentHeader) {
    const R = h.rows;
    const f64 = (id: number): Float64Array => new Float64Array(buf, sec(id).offset, R);
    const strings = (off: number, bytes: number, text: boolean): StringColumn => new StringColumn(path, buf, sec(off), sec(bytes), R, guard(off), guard(bytes), text);
    this.ids = strings(S.rowIdOff, S.rowIdBytes, true);
    this.content = strings(S.contentOff, S.contentBytes, true);
    this.embedding = new Float32Array(buf, sec(S.embedding).offset, R * h.dim);
    this.created = f64(S.created);
    this.recorded = f64(S.recorded);
    this.kind = new Uint8Array(buf, sec(S.kind).offset, R);
    this.confLo = f64(S.confLo);
    this.confHi = f64(S.confHi);
    this.meta = strings(S.metaOff, S.metaBytes, false);
    this.decay = new DecayColumns(path, buf, sec, guard, S.rowDecay, R, h.recentK);
  }

  /** Verifies the blocks of row `row` in an 8-byte column. */
  f64(id: number, col: Float64Array, row: number): number {
    this.guard(id).check(8 * row, 8 * row + 8);
    return col[row] as number;
  }

  /** Kind byte of `row` (verified, and checked to be 0 or 1). */
  kindAt(row: number): number {
    this.guard(S.kind).check(row, row + 1);
    const k = this.kind[row] as number;
    if (k > 1) throw corruption(this.path, S.kind, `row ${row} has unknown kind ${k}`);
    return k;
  }

  /** Verifies the whole kind column and its values. */
  verifyKinds(): void {
    if (this.kindChecked) return;
    this.guard(S.kind).checkAll();
    for (let i = 0; i < this.kind.length; i++) if ((this.kind[i] as number) > 1) throw corruption(this.path, S.kind, `row ${i} has unknown kind ${this.kind[i]}`);
    this.kindChecked = true;
  }

  /** Every row section verified and checked (what a v1 open does). */
  verifyAll(): void {
    this.ids.validate(true);
    this.content.validate();
    for (const id of [S.embedding, S.created, S.recorded, S.confLo, S.confHi]) this.guard(id).checkAll();
    this.verifyKinds();
    this.meta.validate();
    this.decay.verifyAll();
  }
}
