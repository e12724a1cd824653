/**
 * Columnar compaction merge (docs/segment_format.md §1 "Compaction"): the k-way merge runs over
 * the inputs' mapped id columns (byte comparisons, no id strings) and records, per output row,
 * which input row wins and where its decay state comes from (a RowPlan); the writer then copies
 * the columns (copy-rows.ts). Only tombstones and carried decay updates — rare — become objects.
 * The file written is byte for byte the one mergeSegments + writeSegment writes.
 */
import { RECENT_PRESENTATIONS } from '../../model.js';
import type { DecayUpdate, SegmentContent } from './content.js';
import { addPlanRow, newRowPlan, type CopyColumns, type RowPlan } from './copy-rows.js';
import { checkMergeInputs, mergeAssociations, mergeSegments, unionAssocTombstones, type MergeOptions } from './merge.js';
import { readerAssocSource } from './merge-source.js';
import type { SegmentReader } from './segment-reader.js';
import { compareBytes, type StringColumn } from './string-column.js';

/** A merge result whose rows are a plan over the (still mapped) inputs; `rows` is empty. */
export interface PlannedContent extends SegmentContent {
  rowPlan: RowPlan;
}

const TOMB = 0;
const ROW = 1;
const UPDATE = 2;

/** A read position in one sorted id list (tombstones, rows or decay updates) of one input. */
class Cursor {
  pos = 0;
  constructor(readonly col: StringColumn, readonly src: number, readonly kind: number) {}
}

function cmpHeads(a: Cursor, b: Cursor): number {
  const x = a.col;
  const y = b.col;
  return compareBytes(x.bytes, x.start(a.pos), x.end(a.pos), y.bytes, y.start(b.pos), y.end(b.pos));
}

interface FoldOut { plan: RowPlan; tombstones: string[]; decayUpdates: DecayUpdate[] }

/**
 * The fold of one id (§1) over its cursors `eq`, in fold order (oldest input first; within an
 * input tombstone, row, decay update) — the same rules as merge.ts foldId.
 */
function foldEqual(cur: readonly Cursor[], eq: readonly number[], ins: readonly CopyColumns[], bottom: boolean, out: FoldOut): void {
  let row = false, update = false, deleted = false, tomb = false;
  let rowSrc = 0, rowIdx = 0, dSrc = -1, dIdx = 0;
  for (const l of eq) {
    const c = cur[l] as Cursor;
    if (c.kind === TOMB) { deleted = tomb = true; row = update = false; dSrc = -1; }
    else if (c.kind === ROW) { row = true; deleted = update = false; rowSrc = c.src; rowIdx = c.pos; dSrc = -1; }
    else if (!deleted) { dSrc = c.src; dIdx = c.pos; if (!row) update = true; }
  }
  const head = cur[eq[0] as number] as Cursor;
  if (tomb && !bottom) out.tombstones.push(head.col.get(head.pos));
  if (row) addPlanRow(out.plan, rowSrc, rowIdx, dSrc, dIdx);
  else if (update && !bottom) out.decayUpdates.push({ id: head.col.get(head.pos), decay: (ins[dSrc] as CopyColumns).du.get(dIdx) });
}

/**
 * Hot loop of the merge: per step, the smallest head over the live cursors and the cursors equal
 * to it; an id held by one row list alone (the common case) is planned directly, anything else is
 * folded. Cursors are kept in fold order and dropped when exhausted.
 */
function foldAll(ins: readonly CopyColumns[], bottom: boolean, out: FoldOut): void {
  let cur: Cursor[] = [];
  for (let s = ins.length - 1; s >= 0; s--) {
    const c = ins[s] as CopyColumns;
    for (const [col, kind] of [[c.tombs, TOMB], [c.rows.ids, ROW], [c.duIds, UPDATE]] as const) if (col.length > 0) cur.push(new Cursor(col, s, kind));
  }
  const eq: number[] = [];
  while (cur.length > 0) {
    let m = 0;
    eq.length = 0;
    eq.push(0);
    for (let l = 1; l < cur.length; l++) {
      const d = cmpHeads(cur[l] as Cursor, cur[m] as Cursor);
      if (d < 0) { m = l; eq.length = 0; eq.push(l); } else if (d === 0) eq.push(l);
    }
    const h = cur[m] as Cursor;
    if (eq.length === 1 && h.kind === ROW) addPlanRow(out.plan, h.src, h.pos, -1, 0);
    else foldEqual(cur, eq, ins, bottom, out);
    let done = false;
    for (const l of eq) { const c = cur[l] as Cursor; if (++c.pos === c.col.length) done = true; }
    if (done) cur = cur.filter((c) => c.pos < c.col.length);
  }
}

/**
 * Merges consecutive segments of one space (`inputs` newest first) like mergeSegments, but the
 * rows stay in the inputs' mappings: keep the inputs open until writeSegment has written the
 * result. Inputs whose decay blocks have more window slots than this build keeps
 * (RECENT_PRESENTATIONS) fall back to mergeSegments (plain content); fewer are copied as they are.
 */
export function planMerge(inputs: readonly SegmentReader[], opts: MergeOptions): PlannedContent | SegmentContent {
  checkMergeInputs(inputs, opts);
  const ins = inputs.map((r) => r.copyColumns());
  if (ins.some((c) => c.rows.decay.K > RECENT_PRESENTATIONS || c.du.K > RECENT_PRESENTATIONS) || inputs.length > 0x7fff) {
    return mergeSegments(inputs, opts);
  }
  const out: FoldOut = { plan: newRowPlan(ins), tombstones: [], decayUpdates: [] };
  foldAll(ins, opts.bottom, out);
  const assocs = inputs.map(readerAssocSource);
  return {
    space: opts.space, segmentId: opts.segmentId, dim: opts.dim,
    minLsn: Math.min(...inputs.map((r) => r.minLsn)), maxLsn: Math.max(...inputs.map((r) => r.maxLsn)),
    created: opts.created ?? Math.max(...inputs.map((r) => r.createdAt)),
    rows: [], rowPlan: out.plan, decayUpdates: out.decayUpdates, tombstones: out.tombstones,
    associations: mergeAssociations(assocs),
    assocTombstones: opts.bottom ? [] : unionAssocTombstones(assocs),
  };
}

/** True when `c` is a planned merge result (its rows are `c.rowPlan`, not `c.rows`). */
export function isPlanned(c: SegmentContent): c is PlannedContent {
  return (c as Partial<PlannedContent>).rowPlan !== undefined;
}

/** Number of rows `c` will write. */
export function rowCount(c: SegmentContent): number {
  return isPlanned(c) ? c.rowPlan.count : c.rows.length;
}
