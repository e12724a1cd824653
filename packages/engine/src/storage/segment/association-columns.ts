/**
 * Read side of the association sections (CSR groups by `from`, kind dictionary, association
 * tombstones) with their structure validation (docs/segment_format.md §2.4, §4 step 7). Built by
 * the reader on the first association access, which verifies every block of these sections first
 * (§4 step 6), so nothing here reads an unverified byte.
 */
import type { Association } from '../../model.js';
import type { SectionGuard } from './block-guard.js';
import type { AssocTombstone } from './content.js';
import { corruption } from './corruption.js';
import { NULL_KIND, S } from './layout.js';

/** The sections read here, all verified (whole) before the columns are built. */
export const ASSOCIATION_SECTIONS: readonly number[] = [
  S.kindOff, S.kindBytes, S.fromOff, S.fromBytes, S.groupStart, S.toOff, S.toBytes, S.assocKind, S.weight,
  S.aConfLo, S.aConfHi, S.aCreated, S.aRecorded, S.atFromOff, S.atFromBytes, S.atToOff, S.atToBytes, S.atKind,
];
import type { SectionRef, SegmentHeader } from './parse-file.js';
import { StringColumn } from './string-column.js';

export class AssociationColumns {
  readonly kinds: StringColumn;
  readonly from: StringColumn;
  readonly groupStart: Uint32Array;
  readonly to: StringColumn;
  readonly kind: Uint32Array;
  readonly weight: Float64Array;
  readonly confLo: Float64Array;
  readonly confHi: Float64Array;
  readonly created: Float64Array;
  readonly recorded: Float64Array;
  readonly tFrom: StringColumn;
  readonly tTo: StringColumn;
  readonly tKind: Uint32Array;
  private readonly kindNames: string[];

  constructor(private readonly path: string, buf: ArrayBuffer, sec: (id: number) => SectionRef, guard: (id: number) => SectionGuard, h: SegmentHeader) {
    for (const id of ASSOCIATION_SECTIONS) guard(id).checkAll();
    const A = h.associations;
    const f64 = (id: number): Float64Array => new Float64Array(buf, sec(id).offset, A);
    const strings = (off: number, bytes: number, n: number, sorted: boolean): StringColumn => {
      const c = new StringColumn(path, buf, sec(off), sec(bytes), n, guard(off), guard(bytes));
      c.validate(sorted);
      return c;
    };
    this.kinds = strings(S.kindOff, S.kindBytes, h.kinds, true);
    this.kindNames = this.kinds.toArray();
    this.from = strings(S.fromOff, S.fromBytes, h.groups, true);
    this.groupStart = new Uint32Array(buf, sec(S.groupStart).offset, h.groups + 1);
    this.to = strings(S.toOff, S.toBytes, A, false);
    this.kind = new Uint32Array(buf, sec(S.assocKind).offset, A);
    this.weight = f64(S.weight);
    this.confLo = f64(S.aConfLo);
    this.confHi = f64(S.aConfHi);
    this.created = f64(S.aCreated);
    this.recorded = f64(S.aRecorded);
    this.tFrom = strings(S.atFromOff, S.atFromBytes, h.assocTombstones, false);
    this.tTo = strings(S.atToOff, S.atToBytes, h.assocTombstones, false);
    this.tKind = new Uint32Array(buf, sec(S.atKind).offset, h.assocTombstones);
    this.validateGroups(A);
    this.validateTombstones();
  }

  private validateGroups(A: number): void {
    const g = this.groupStart;
    const G = this.from.length;
    if (g[0] !== 0 || g[G] !== A) throw corruption(this.path, S.groupStart, 'group starts do not cover the associations');
    for (let i = 0; i < G; i++) {
      if ((g[i + 1] as number) <= (g[i] as number)) throw corruption(this.path, S.groupStart, `group ${i} is empty or reversed`);
    }
    for (let i = 0; i < A; i++) {
      if ((this.kind[i] as number) >= this.kindNames.length) throw corruption(this.path, S.assocKind, `entry ${i} names no kind`);
    }
    for (let gi = 0; gi < G; gi++) {
      for (let i = (g[gi] as number) + 1; i < (g[gi + 1] as number); i++) {
        const c = StringColumn.compareAt(this.to, i - 1, this.to, i);
        if (c > 0 || (c === 0 && (this.kind[i - 1] as number) >= (this.kind[i] as number))) {
          throw corruption(this.path, S.toBytes, `association ${i} is out of order or duplicated`);
        }
      }
    }
  }

  private validateTombstones(): void {
    const n = this.tKind.length;
    for (let i = 0; i < n; i++) {
      const k = this.tKind[i] as number;
      if (k !== NULL_KIND && k >= this.kindNames.length) throw corruption(this.path, S.atKind, `entry ${i} names no kind`);
      if (i === 0) continue;
      let c = StringColumn.compareAt(this.tFrom, i - 1, this.tFrom, i);
      if (c === 0) c = StringColumn.compareAt(this.tTo, i - 1, this.tTo, i);
      // NULL_KIND (all kinds) sorts first: compare (k + 1) mod 2³² so 0xFFFFFFFF becomes 0.
      if (c === 0) c = (((this.tKind[i - 1] as number) + 1) >>> 0) - ((k + 1) >>> 0);
      if (c >= 0) throw corruption(this.path, S.atFromBytes, `association tombstone ${i} is out of order or duplicated`);
    }
  }

  kindName(i: number): string {
    return this.kindNames[i] as string;
  }

  /** Kind dictionary index of `kind`, or -1. */
  kindIndex(kind: string): number {
    return this.kinds.findString(kind);
  }

  /** Association number i (0 ≤ i < A) with its `from` id given (the caller knows the group). */
  get(i: number, from: string): Association {
    return {
      from, to: this.to.get(i), kind: this.kindName(this.kind[i] as number), weight: this.weight[i] as number,
      confidence: { lo: this.confLo[i] as number, hi: this.confHi[i] as number },
      created: this.created[i] as number, recorded: this.recorded[i] as number,
    };
  }

  tombstone(i: number): AssocTombstone {
    const k = this.tKind[i] as number;
    return { from: this.tFrom.get(i), to: this.tTo.get(i), kind: k === NULL_KIND ? null : this.kindName(k) };
  }
}
