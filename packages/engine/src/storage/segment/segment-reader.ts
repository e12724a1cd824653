/**
 * SegmentReader: the read API over one mapped segment file — row access by row id (zero-copy
 * column views), lookups by memory id, decay updates, tombstones, CSR associations — and its
 * reference-counted lifetime. v2 files are verified lazily: every accessor verifies the blocks it
 * reads first (docs/segment_format.md §4 step 6, "Lifetime").
 */
import { MnemoError } from '@mnemo/native';
import type { Mapping } from '@mnemo/native';
import type { Association, DecayState, MemoryKind, MemoryRecord } from '../../model.js';
import { AssociationColumns } from './association-columns.js';
import type { CopyColumns } from './copy-rows.js';
import { SectionGuard } from './block-guard.js';
import type { AssocTombstone, DecayUpdate } from './content.js';
import { corruption } from './corruption.js';
import { DecayColumns } from './decay-columns.js';
import { copyEmbedding } from './embedding-copy.js';
import { NULL_KIND, S, alignUp } from './layout.js';
import type { ParsedSegment, SectionRef, SegmentHeader } from './parse-file.js';
import { RowColumns } from './row-columns.js';
import { StringColumn } from './string-column.js';
import { unpackChecked } from '../wal/wal-msgpack.js';

const KINDS: readonly MemoryKind[] = ['episodic', 'semantic'];
const encoder = new TextEncoder();
const key = (id: string): Uint8Array => encoder.encode(id);

export class SegmentReader {
  readonly path: string;
  readonly space: string;
  readonly dim: number;
  readonly rowCount: number;
  readonly segmentId: number;
  readonly minLsn: number;
  readonly maxLsn: number;
  /** When the segment was written (ms); `created(row)` is a row's valid time. */
  readonly createdAt: number;
  readonly bytes: number;
  readonly checksum: number;
  readonly decayUpdateCount: number;
  readonly tombstoneCount: number;
  readonly associationCount: number;
  readonly assocTombstoneCount: number;
  /** File format version (1 or 2). */
  readonly version: number;
  private readonly cols: RowColumns;
  private readonly duIds: StringColumn;
  private readonly du: DecayColumns;
  private readonly tombs: StringColumn;
  private assocCols: AssociationColumns | undefined;
  /** Block verifier of every section, by section id. */
  private readonly guards: SectionGuard[] = [];
  private readonly sec: (id: number) => SectionRef;
  private readonly header: SegmentHeader;
  private refs = 0;
  private closed = false;

  /**
   * Use openSegment(); `parsed` has passed the frame checks (and for v1 every checksum). Verifies
   * what a point lookup needs before it can be trusted (the id columns: blocks, structure, order);
   * a v1 file is checked whole, as before.
   */
  constructor(private readonly mapping: Mapping, parsed: ParsedSegment, path: string) {
    const h: SegmentHeader = parsed.header;
    const sec = (id: number): SectionRef => parsed.sections.get(id) as SectionRef;
    const buf = mapping.buffer;
    const file = new Uint8Array(buf);
    for (const s of parsed.sections.values()) this.guards[s.id] = new SectionGuard(path, s.id, file, s.offset, alignUp(s.length), s.blocks, h.blockShift);
    const guard = (id: number): SectionGuard => this.guards[id] as SectionGuard;
    this.sec = sec;
    this.header = h;
    this.version = h.version;
    this.path = path;
    this.space = h.space; this.dim = h.dim; this.rowCount = h.rows; this.segmentId = h.segmentId;
    this.minLsn = h.minLsn; this.maxLsn = h.maxLsn; this.createdAt = h.created; this.bytes = h.fileLength;
    this.checksum = h.checksum; this.decayUpdateCount = h.decayUpdates; this.tombstoneCount = h.tombstones;
    this.associationCount = h.associations; this.assocTombstoneCount = h.assocTombstones;
    this.cols = new RowColumns(path, buf, sec, guard, h);
    this.cols.ids.validate(true);
    this.duIds = new StringColumn(path, buf, sec(S.duIdOff), sec(S.duIdBytes), h.decayUpdates, guard(S.duIdOff), guard(S.duIdBytes));
    this.duIds.validate(true);
    this.du = new DecayColumns(path, buf, sec, guard, S.duDecay, h.decayUpdates, h.recentK);
    this.tombs = new StringColumn(path, buf, sec(S.tombIdOff), sec(S.tombIdBytes), h.tombstones, guard(S.tombIdOff), guard(S.tombIdBytes));
    this.tombs.validate(true);
    if (h.version === 1) this.verifyAll();
  }

  /**
   * Verifies every block of the file and every structure check (§4 steps 6–7; what a v1 open
   * does). Bulk consumers — compaction inputs, backup — call it before reading; idempotent and
   * cheap once done. Throws CORRUPTION naming the section (and block) at the first bad byte.
   */
  verifyAll(): void {
    this.live();
    for (const g of this.guards) g?.checkAll();
    this.cols.verifyAll();
    this.du.verifyAll();
    void this.assoc;
  }

  /** The association columns, verified and checked whole on first use (§4 step 6). */
  private get assoc(): AssociationColumns {
    if (this.assocCols === undefined) {
      this.live();
      this.assocCols = new AssociationColumns(this.path, this.mapping.buffer, this.sec, (id) => this.guards[id] as SectionGuard, this.header);
    }
    return this.assocCols;
  }

  /** The association columns for zero-copy readers (the association graph); verified on first use. */
  associationColumns(): AssociationColumns {
    return this.assoc;
  }

  /**
   * The mapped columns a compaction copies from (copy-rows.ts), after verifyAll(): row columns,
   * decay update ids and states, tombstone ids. Zero-copy: valid while the reader is mapped.
   */
  copyColumns(): CopyColumns {
    this.verifyAll();
    return { rows: this.cols, duIds: this.duIds, du: this.du, tombs: this.tombs };
  }

  /** The memory-tombstone id column for zero-copy readers (verified at open). */
  tombstoneIds(): StringColumn {
    this.live();
    return this.tombs;
  }

  // ---- lifetime -------------------------------------------------------------------------------

  private live(): void {
    if (this.mapping.released) throw new MnemoError('RELEASED', `segment ${this.path} was closed and released; take a new snapshot`, { path: this.path });
  }

  get released(): boolean {
    return this.mapping.released;
  }

  /** Adds a reference (a snapshot using this segment). */
  retain(): this {
    this.live();
    if (this.closed) throw new MnemoError('RELEASED', `segment ${this.path} is closed (retired); it cannot be retained again`, { path: this.path });
    this.refs++;
    return this;
  }

  /** Drops a reference; unmaps when the last one goes and close() was called. */
  release(): void {
    if (this.refs === 0) throw new MnemoError('INVALID_ARGUMENT', `segment ${this.path}: release() without a matching retain()`, { path: this.path });
    this.refs--;
    if (this.refs === 0 && this.closed) this.mapping.unmap();
  }

  /** The owner's close: unmaps now, or when the last retained reference is released. Idempotent. */
  close(): void {
    this.closed = true;
    if (this.refs === 0) this.mapping.unmap();
  }

  get refCount(): number {
    return this.refs;
  }

  // ---- rows -----------------------------------------------------------------------------------

  /** Row id of memory `id`, or -1 (binary search in byte order). */
  findRow(id: string): number {
    this.live();
    return this.cols.ids.findString(id);
  }

  id(row: number): string { this.check(row); return this.cols.ids.get(row); }
  content(row: number): string { this.check(row); return this.cols.content.get(row); }
  created(row: number): number { this.check(row); return this.cols.f64(S.created, this.cols.created, row); }

  /** Zero-copy view of the row's embedding (its blocks verified; valid while the reader is mapped). */
  embedding(row: number): Float32Array {
    this.checkEmbedding(row);
    return this.cols.embedding.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** The row's embedding copied (the caller's own; embedding-copy.ts), its blocks verified. */
  embeddingCopy(row: number): Float32Array {
    this.checkEmbedding(row);
    return copyEmbedding(this.cols.embedding, row * this.dim, this.dim);
  }

  private checkEmbedding(row: number): void {
    this.check(row);
    const bytes = 4 * this.dim;
    this.cols.guard(S.embedding).check(row * bytes, (row + 1) * bytes);
  }

  /** Verifies a whole section and returns its zero-copy view. */
  private whole<T>(id: number, view: T): T {
    this.live();
    this.cols.guard(id).checkAll();
    return view;
  }

  /**
   * The whole embedding column, rows × dim, row-major, 64-byte aligned in the mapping (zero-copy),
   * every block verified first (the vector index reads it in bulk).
   */
  embeddings(): Float32Array { return this.whole(S.embedding, this.cols.embedding); }
  createdColumn(): Float64Array { return this.whole(S.created, this.cols.created); }
  recordedColumn(): Float64Array { return this.whole(S.recorded, this.cols.recorded); }
  /** 0 = episodic, 1 = semantic (every value checked). */
  kindColumn(): Uint8Array { this.live(); this.cols.verifyKinds(); return this.cols.kind; }
  confidenceLoColumn(): Float64Array { return this.whole(S.confLo, this.cols.confLo); }
  confidenceHiColumn(): Float64Array { return this.whole(S.confHi, this.cols.confHi); }
  /** The row decay block (count, first, last, recentLen, times/decays [row·K + i], older), verified whole. */
  decayColumns(): DecayColumns { this.live(); this.cols.decay.verifyAll(); return this.cols.decay; }

  recorded(row: number): number { this.check(row); return this.cols.f64(S.recorded, this.cols.recorded, row); }
  kind(row: number): MemoryKind { this.check(row); return KINDS[this.cols.kindAt(row)] as MemoryKind; }
  confidence(row: number): { lo: number; hi: number } {
    this.check(row);
    return { lo: this.cols.f64(S.confLo, this.cols.confLo, row), hi: this.cols.f64(S.confHi, this.cols.confHi, row) };
  }
  decay(row: number): DecayState { this.check(row); return this.cols.decay.get(row); }
  /** The row's presentation count (reads and verifies only that column's block). */
  decayCount(row: number): number { this.check(row); return this.cols.decay.countAt(row); }

  meta(row: number): unknown {
    this.check(row);
    const m = this.cols.meta;
    m.checkEntry(row);
    const a = m.start(row);
    const b = m.end(row);
    if (a === b) return null;
    return unpackChecked(m.bytes.subarray(a, b), `row ${row}: meta`, (why) => corruption(this.path, S.metaBytes, why));
  }

  /**
   * The full memory (embedding copied, so the record outlives the mapping: embedding-copy.ts). `id`: the row's id
   * when the caller found the row by it (findRow), so it is not decoded again.
   */
  record(row: number, id?: string): MemoryRecord {
    return {
      id: id ?? this.id(row), space: this.space, content: this.content(row), embedding: this.embeddingCopy(row),
      kind: this.kind(row), created: this.created(row), recorded: this.recorded(row),
      confidence: this.confidence(row), decay: this.decay(row), meta: this.meta(row),
    };
  }

  /** Same as rowCount. */
  get rows(): number {
    return this.rowCount;
  }

  /** All memory ids in row order. */
  ids(): string[] { this.live(); return this.cols.ids.toArray(); }

  private check(row: number): void {
    this.live();
    if (!Number.isInteger(row) || row < 0 || row >= this.rowCount) {
      throw new MnemoError('INVALID_ARGUMENT', `segment ${this.path}: row ${row} is outside 0..${this.rowCount - 1}`, { row });
    }
  }

  // ---- decay updates and tombstones ---------------------------------------------------------

  decayUpdate(id: string): DecayState | undefined {
    this.live();
    const i = this.duIds.findString(id);
    return i < 0 ? undefined : this.du.get(i);
  }

  decayUpdates(): DecayUpdate[] {
    this.live();
    const out: DecayUpdate[] = [];
    for (let i = 0; i < this.decayUpdateCount; i++) out.push({ id: this.duIds.get(i), decay: this.du.get(i) });
    return out;
  }

  /** Ids of the decay updates, sorted. */
  decayUpdateIds(): string[] { this.live(); return this.duIds.toArray(); }

  isTombstoned(id: string): boolean {
    this.live();
    return this.tombs.findString(id) >= 0;
  }

  tombstones(): string[] { this.live(); return this.tombs.toArray(); }

  // ---- associations ---------------------------------------------------------------------------

  /** Associations whose `from` is `id`, sorted by (to, kind): one binary search (CSR). */
  associationsFrom(id: string): Association[] {
    this.live();
    const g = this.assoc.from.findString(id);
    if (g < 0) return [];
    const out: Association[] = [];
    for (let i = this.assoc.groupStart[g] as number; i < (this.assoc.groupStart[g + 1] as number); i++) out.push(this.assoc.get(i, id));
    return out;
  }

  /** The distinct `from` ids that have associations here (the CSR groups), sorted. */
  assocSources(): string[] { this.live(); return this.assoc.from.toArray(); }

  /** Every association in (from, to, kind) order. */
  *associations(): Generator<Association> {
    this.live();
    const a = this.assoc;
    for (let g = 0; g < a.from.length; g++) {
      const from = a.from.get(g);
      for (let i = a.groupStart[g] as number; i < (a.groupStart[g + 1] as number); i++) {
        this.live();
        yield a.get(i, from);
      }
    }
  }

  assocTombstones(): AssocTombstone[] {
    this.live();
    const out: AssocTombstone[] = [];
    for (let i = 0; i < this.assocTombstoneCount; i++) out.push(this.assoc.tombstone(i));
    return out;
  }

  /** True when this segment removes (from, to, kind) — by an exact or an all-kinds association tombstone. */
  hasAssocTombstone(from: string, to: string, kind: string): boolean {
    this.live();
    const a = this.assoc;
    const k = a.kindIndex(kind);
    const f = key(from);
    const t = key(to);
    let lo = 0;
    let hi = this.assocTombstoneCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      let c = a.tFrom.compare(mid, f);
      if (c === 0) c = a.tTo.compare(mid, t);
      if (c === 0) return this.tombstoneRunHas(mid, f, t, k);
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Scans the run of tombstones with the same (from, to) around `mid` for NULL_KIND or `k`. */
  private tombstoneRunHas(mid: number, f: Uint8Array, t: Uint8Array, k: number): boolean {
    const a = this.assoc;
    const same = (i: number): boolean => a.tFrom.compare(i, f) === 0 && a.tTo.compare(i, t) === 0;
    let i = mid;
    while (i > 0 && same(i - 1)) i--;
    for (; i < this.assocTombstoneCount && same(i); i++) {
      const tk = a.tKind[i] as number;
      if (tk === NULL_KIND || (k >= 0 && tk === k)) return true;
    }
    return false;
  }
}
