/**
 * LSM read rules over one Version at one sequence number (docs/storage.md, "LSM read rules"):
 * newest wins per memory id — memtables (active, then frozen) and then segments newest → oldest;
 * inside one segment a row beats that segment's tombstone (docs/segment_format.md §1), and a
 * tombstone ends the search; a decay update (memtable `decay` value or a segment's decayUpdate)
 * replaces the decay state of the record found further down. Associations resolve per
 * (from, to, kind) the same way. Used by snapshots (fixed seq) and by the write path (seq = ∞).
 */
import { MnemoError } from '@mnemo/native';
import { bit } from '../../hnsw/filter.js';
import type { Association, DecayState, MemoryRecord } from '../../model.js';
import { assocKey, compareIds, copyAssociation, copyDecay, ownRecord, type PutRow } from '../memtable/index.js';
import { SegmentRowRef, type RowPredicate, type RowRef } from './row-ref.js';
import { scanRefs, scanSpace } from './scan.js';
import type { SegLayer } from './seg-layer.js';
import type { Version } from './version.js';

/** A read's memory id must be a string (the segment reader would fail with a TypeError). */
function checkReadId(id: unknown): void {
  if (typeof id !== 'string') throw new MnemoError('INVALID_ARGUMENT', `a memory id must be a string, got ${id === null ? 'null' : typeof id}`);
}

interface Located {
  /** The memtable row, or undefined when the version is a segment row. */
  put: PutRow | undefined;
  seg: SegLayer | undefined;
  row: number;
  /** Newest decay update above the version (replaces its decay state), if any. */
  decay: DecayState | undefined;
}

/** The record of a located version, the caller's own, with the decay update above it applied. */
function recordOf(l: Located, id: string): MemoryRecord {
  if (l.put !== undefined) return ownRecord(l.put, l.decay);
  const r = (l.seg as SegLayer).record(l.row, id);
  if (l.decay !== undefined) r.decay = copyDecay(l.decay);
  return r;
}

export class View {
  constructor(
    readonly version: Version,
    readonly seq: number,
  ) {}

  /**
   * Where the visible version of `id` lives — a memtable record or a segment row — with the
   * newest decay update found above it; undefined when the memory is not live. Materialises nothing.
   */
  private locate(space: string, id: string): Located | undefined {
    checkReadId(id);
    const m = this.fromMemtables(space, id);
    if (m.done) return m.put === undefined ? undefined : { put: m.put, seg: undefined, row: -1, decay: m.decay };
    let decay = m.decay;
    for (const seg of this.version.segmentsOf(space)) {
      const row = seg.findRow(id);
      if (row >= 0) return { put: undefined, seg, row, decay };
      if (seg.isTombstoned(id)) return undefined;
      decay ??= seg.decayUpdate(id);
    }
    return undefined;
  }

  /** The visible record of `id`, the caller's own (a memtable row is built anew, with copies of its embedding and meta). */
  get(space: string, id: string): MemoryRecord | undefined {
    const l = this.locate(space, id);
    return l === undefined ? undefined : recordOf(l, id);
  }

  /** The stored columns of the visible version of `id` (a RowRef over its segment row, or its memtable record). */
  refOf(space: string, id: string): RowRef | undefined {
    const l = this.locate(space, id);
    if (l === undefined) return undefined;
    return l.put === undefined ? new SegmentRowRef((l.seg as SegLayer).reader).at(l.row) : recordOf(l, id);
  }

  /**
   * get(), when `filter` accepts the memory's stored columns; a segment row is tested through a
   * RowRef before its record is read (a filtered scan's memtable winner may be a decay update or
   * an overwrite of a segment row).
   */
  getIf(space: string, id: string, filter: RowPredicate): MemoryRecord | undefined {
    const l = this.locate(space, id);
    if (l === undefined) return undefined;
    if (l.put === undefined) return filter(new SegmentRowRef((l.seg as SegLayer).reader).at(l.row)) ? recordOf(l, id) : undefined;
    const r = recordOf(l, id);
    return filter(r) ? r : undefined;
  }

  /**
   * The record of row `row` of segment `seg` whose bit is set in `live` (the snapshot's live-row
   * bitmap of `seg`): the visible version of its id, so no lookup of the id is needed, only of a
   * decay update above it (memtables, then the newer segments, newest first: as locate()).
   */
  liveRowRecord(space: string, seg: SegLayer, live: Uint8Array, row: number, id?: string): MemoryRecord {
    const rowId = this.liveRowId(seg, live, row, id);
    const decay = this.decayAbove(space, seg, rowId);
    const r = seg.record(row, rowId);
    if (decay !== undefined) r.decay = copyDecay(decay);
    return r;
  }

  /** The decay state of live row `row` of `seg` as liveRowRecord's record carries it, the caller's own. */
  liveRowDecay(space: string, seg: SegLayer, live: Uint8Array, row: number, id?: string): DecayState {
    const rowId = this.liveRowId(seg, live, row, id);
    const decay = this.decayAbove(space, seg, rowId);
    return decay !== undefined ? copyDecay(decay) : seg.reader.decay(row);
  }

  /**
   * Rows of `seg` whose memory may have a decay update above the segment: ids with a decay-only
   * entry in a memtable, or a decay update in a newer segment, found in `seg`. For every other live
   * row, the row's own decay state is the visible one. Costs one lookup per update, none per row.
   */
  rowsUpdatedAbove(space: string, seg: SegLayer): Set<number> {
    const rows = new Set<number>();
    const add = (id: string): void => {
      const row = seg.findRow(id);
      if (row >= 0) rows.add(row);
    };
    for (const mt of this.version.memtables) {
      const table = mt.space(space);
      if (table === undefined) continue;
      for (const id of table.ids()) if (table.memoryAt(id, this.seq)?.t === 'decay') add(id);
    }
    for (const newer of this.version.segmentsOf(space)) {
      if (newer === seg) break;
      for (const id of newer.decayUpdateIds()) add(id);
    }
    return rows;
  }

  /** The id of row `row` of `seg` (`id` when the caller read it), which must be live in `live` (INTERNAL otherwise). */
  private liveRowId(seg: SegLayer, live: Uint8Array, row: number, id: string | undefined): string {
    if (!Number.isInteger(row) || row < 0 || row >= seg.rows || !bit(live, row)) {
      throw new MnemoError('INTERNAL', `row ${row} of segment ${seg.segmentId} is not a live row of this snapshot`);
    }
    return id ?? seg.idAt(row);
  }

  /**
   * The newest decay update of `id` above segment `seg` (memtables, then the newer segments,
   * newest first: as locate()), for a memory whose visible version is a row of `seg`.
   */
  private decayAbove(space: string, seg: SegLayer, id: string): DecayState | undefined {
    const m = this.fromMemtables(space, id);
    if (m.done) throw new MnemoError('INTERNAL', `memory '${id}' is live in segment ${seg.segmentId} and also in a memtable`);
    let decay = m.decay;
    for (const newer of this.version.segmentsOf(space)) {
      if (newer === seg || decay !== undefined) break;
      decay = newer.decayUpdate(id);
    }
    return decay;
  }

  /**
   * The visible decay state of `id` when it is live, else undefined (a presentation's apply).
   * Shared with the store when it comes from a memtable: read it, never change it.
   */
  decayOf(space: string, id: string): DecayState | undefined {
    const l = this.locate(space, id);
    if (l === undefined) return undefined;
    return l.decay ?? l.put?.decay() ?? (l.seg as SegLayer).reader.decay(l.row);
  }

  /** Presentation count of `id` when it is live (reads one segment column, not the record). */
  presentations(space: string, id: string): number | undefined {
    const l = this.locate(space, id);
    if (l === undefined) return undefined;
    return l.decay?.count ?? l.put?.count ?? (l.seg as SegLayer).reader.decayCount(l.row);
  }

  /** Whether memory `id` is live (no record or column is read beyond the id lookups). */
  has(space: string, id: string): boolean {
    return this.locate(space, id) !== undefined;
  }

  /**
   * The record when its visible version lives in a memtable (not yet flushed). Shared with the
   * memtable (built once per row; snapshots hand it to the vector search): never change it.
   */
  memtableRecord(space: string, id: string): MemoryRecord | undefined {
    const m = this.fromMemtables(space, id);
    if (!m.done || m.put === undefined) return undefined;
    return m.decay === undefined ? m.put.record : { ...m.put.record, decay: m.decay };
  }

  /**
   * The memtable row holding the visible version of `id` and the newest decay update above it
   * (undefined: not live in a memtable; a presentation's apply re-stores the row with a new
   * decay state). Shared with the memtable: read it, never change it.
   */
  memtableRow(space: string, id: string): { put: PutRow; decay: DecayState | undefined } | undefined {
    const m = this.fromMemtables(space, id);
    return m.done && m.put !== undefined ? { put: m.put, decay: m.decay } : undefined;
  }

  /**
   * The memtables' part of a lookup: a put or delete ends it (`done`, with the stored row or
   * undefined); the newest decay update seen on the way replaces the record's decay state (for a
   * put found in an older memtable, or for the record found further down when not done).
   */
  private fromMemtables(space: string, id: string): { done: boolean; put: PutRow | undefined; decay: DecayState | undefined } {
    let decay: DecayState | undefined;
    for (const mt of this.version.memtables) {
      const v = mt.space(space)?.memoryAt(id, this.seq);
      if (v === undefined) continue;
      if (v.t === 'del') return { done: true, put: undefined, decay: undefined };
      if (v.t === 'put') return { done: true, put: v, decay };
      decay ??= v.decay;
    }
    return { done: false, put: undefined, decay };
  }

  refs(space: string): Generator<RowRef> {
    return scanRefs(this, space);
  }

  scan(space: string, filter?: RowPredicate): Generator<MemoryRecord> {
    return scanSpace(this, space, filter);
  }

  /** The visible association (from, to, kind), or undefined. */
  association(space: string, from: string, to: string, kind: string): Association | undefined {
    const key = assocKey(from, to, kind);
    for (const mt of this.version.memtables) {
      const v = mt.space(space)?.assocAt(key, this.seq);
      if (v === undefined) continue;
      return v.t === 'put' ? copyAssociation(v.assoc) : undefined;
    }
    for (const seg of this.version.segmentsOf(space)) {
      const hit = seg.associationsFrom(from).find((a) => a.to === to && a.kind === kind);
      if (hit !== undefined) return hit;
      if (seg.assocTombstoned(from, to, kind) || seg.isTombstoned(from) || seg.isTombstoned(to)) return undefined;
    }
    return undefined;
  }

  /**
   * Live associations with source `from`, ordered by (to, kind): the same rule as association()
   * per (to, kind), with each layer's out-list of `from` read once — memtables newest first (a put
   * or a delete visible at seq decides its key), then segments newest first, where an edge is
   * hidden by a newer segment's association tombstone or a tombstone of either endpoint.
   */
  associationsFrom(space: string, from: string): Association[] {
    checkReadId(from);
    const seen = new Set<string>();
    const out: Association[] = [];
    for (const mt of this.version.memtables) {
      const table = mt.space(space);
      const keys = table?.outgoing.get(from);
      if (table === undefined || keys === undefined) continue;
      for (const key of keys) {
        if (seen.has(key)) continue;
        const v = table.assocAt(key, this.seq);
        if (v === undefined) continue;
        seen.add(key);
        if (v.t === 'put') out.push(copyAssociation(v.assoc));
      }
    }
    const newer: SegLayer[] = [];
    for (const seg of this.version.segmentsOf(space)) {
      for (const a of seg.associationsFrom(from)) {
        const key = assocKey(from, a.to, a.kind);
        if (seen.has(key)) continue;
        seen.add(key);
        if (!newer.some((n) => n.assocTombstoned(from, a.to, a.kind) || n.isTombstoned(a.to))) out.push(a);
      }
      if (seg.isTombstoned(from)) break;
      newer.push(seg);
    }
    return out.sort((a, b) => compareIds(a.to, b.to) || compareIds(a.kind, b.kind));
  }

  /** Live associations with target `to`, ordered by (from, kind). */
  associationsTo(space: string, to: string): Association[] {
    checkReadId(to);
    const sources = new Set<string>();
    for (const mt of this.version.memtables) for (const s of mt.space(space)?.incoming.get(to) ?? []) sources.add(s);
    for (const seg of this.version.segmentsOf(space)) for (const s of seg.sourcesOf(to)) sources.add(s);
    const out: Association[] = [];
    for (const s of [...sources].sort(compareIds)) {
      for (const a of this.associationsFrom(space, s)) if (a.to === to) out.push(a);
    }
    return out;
  }

  /** Every live association of the space ordered by (from, to, kind). */
  *associations(space: string): Generator<Association> {
    const sources = new Set<string>();
    for (const mt of this.version.memtables) for (const s of mt.space(space)?.outgoing.keys() ?? []) sources.add(s);
    for (const seg of this.version.segmentsOf(space)) for (const s of seg.assocSources()) sources.add(s);
    for (const s of [...sources].sort(compareIds)) yield* this.associationsFrom(space, s);
  }
}
