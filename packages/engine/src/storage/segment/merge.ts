/**
 * Compaction merge: several consecutive segments of one space (newest first) → one
 * SegmentContent with the same reading (docs/segment_format.md §1 "Compaction"). Per key it
 * folds the inputs oldest → newest; k-way merges keep the output sorted without a global sort.
 */
import { MnemoError } from '@mnemo/native';
import type { Association, DecayState } from '../../model.js';
import type { AssocTombstone, DecayUpdate, SegmentContent, SegmentRow } from './content.js';
import { compareAssocKeys, compareIds } from './id-order.js';
import { assocTombstoneKey, contentSource, readerSource } from './merge-source.js';
import type { AssocSource, MergeSource } from './merge-source.js';
import type { SegmentReader } from './segment-reader.js';

export interface MergeOptions {
  /** True when the merge includes the oldest live segment of the space (nothing lies below). */
  bottom: boolean;
  segmentId: number;
  space: string;
  dim: number;
  /** Creation time of the output (ms); default: the newest input's. */
  created?: number;
}

/** Smallest head among sorted lists at their cursors, or undefined when all are exhausted. */
function minHead(lists: readonly (readonly string[])[], pos: readonly number[]): string | undefined {
  let min: string | undefined;
  for (let l = 0; l < lists.length; l++) {
    const v = (lists[l] as readonly string[])[pos[l] as number];
    if (v !== undefined && (min === undefined || compareIds(v, min) < 0)) min = v;
  }
  return min;
}

/** Index of `id` at the cursor of `list` (advancing it), or -1. */
function take(list: readonly string[], pos: number[], l: number, id: string): number {
  const p = pos[l] as number;
  if (list[p] !== id) return -1;
  pos[l] = p + 1;
  return p;
}

interface MemoryOut { rows: SegmentRow[]; decayUpdates: DecayUpdate[]; tombstones: string[] }

/** Fold of one memory id over the inputs, oldest → newest (§1). */
function foldId(src: readonly MergeSource[], id: string, cur: number[][], bottom: boolean, out: MemoryOut): void {
  let state: 'none' | 'deleted' | 'row' | 'update' = 'none';
  let rowSrc = -1, rowIdx = -1, tomb = false;
  let decay: DecayState | undefined;
  for (let s = src.length - 1; s >= 0; s--) {
    const m = src[s] as MergeSource;
    const [rc, dc, tc] = cur as [number[], number[], number[]];
    if (take(m.tombIds, tc, s, id) >= 0) { state = 'deleted'; tomb = true; decay = undefined; }
    const r = take(m.rowIds, rc, s, id);
    if (r >= 0) { state = 'row'; rowSrc = s; rowIdx = r; decay = undefined; }
    const d = take(m.duIds, dc, s, id);
    if (d >= 0 && state !== 'deleted') { decay = m.du(d); if (state === 'none') state = 'update'; }
  }
  if (tomb && !bottom) out.tombstones.push(id);
  if (state === 'row') {
    const row = (src[rowSrc] as MergeSource).row(rowIdx);
    out.rows.push(decay === undefined ? row : { ...row, decay });
  } else if (state === 'update' && !bottom) {
    out.decayUpdates.push({ id, decay: decay as DecayState });
  }
}

function mergeMemories(src: readonly MergeSource[], bottom: boolean): MemoryOut {
  const out: MemoryOut = { rows: [], decayUpdates: [], tombstones: [] };
  const lists = src.flatMap((m) => [m.rowIds, m.duIds, m.tombIds]);
  const pos = lists.map(() => 0);
  // cur[0] = row cursors, cur[1] = decay update cursors, cur[2] = tombstone cursors (per source).
  const cur = [src.map(() => 0), src.map(() => 0), src.map(() => 0)];
  for (;;) {
    for (let s = 0; s < src.length; s++) for (let k = 0; k < 3; k++) pos[3 * s + k] = (cur[k] as number[])[s] as number;
    const id = minHead(lists, pos);
    if (id === undefined) return out;
    foldId(src, id, cur, bottom, out);
  }
}

const cmpAssoc = (a: Association, b: Association): number => compareAssocKeys(a.from, a.to, a.kind, b.from, b.to, b.kind);

/** Visible associations: per key the newest instance, unless a newer input kills it (§1). */
export function mergeAssociations(src: readonly AssocSource[]): Association[] {
  const out: Association[] = [];
  const pos = src.map(() => 0);
  for (;;) {
    let best: Association | undefined;
    let bestSrc = -1;
    for (let s = 0; s < src.length; s++) {
      const a = (src[s] as AssocSource).associations[pos[s] as number];
      if (a !== undefined && (best === undefined || cmpAssoc(a, best) < 0)) { best = a; bestSrc = s; }
    }
    if (best === undefined) return out;
    for (let s = 0; s < src.length; s++) {
      const a = (src[s] as AssocSource).associations[pos[s] as number];
      if (a !== undefined && cmpAssoc(a, best) === 0) pos[s] = (pos[s] as number) + 1;
    }
    // bestSrc is the newest input holding the key (lowest index wins ties in the scan above).
    const b = best;
    const killed = src.slice(0, bestSrc).some((m) =>
      m.isTombstoned(b.from) || m.isTombstoned(b.to) || m.hasAssocTombstone(b.from, b.to, b.kind));
    if (!killed) out.push(b);
  }
}

export function unionAssocTombstones(src: readonly AssocSource[]): AssocTombstone[] {
  const seen = new Map<string, AssocTombstone>();
  for (const m of src) for (const t of m.assocTombstones) seen.set(assocTombstoneKey(t.from, t.to, t.kind), t);
  return [...seen.values()].sort((a, b) => compareAssocKeys(a.from, a.to, a.kind, b.from, b.to, b.kind));
}

function mergeSources(src: readonly MergeSource[], opts: MergeOptions): SegmentContent {
  if (src.length === 0) throw new MnemoError('INVALID_ARGUMENT', 'mergeSegments: no inputs');
  const mem = mergeMemories(src, opts.bottom);
  return {
    space: opts.space, segmentId: opts.segmentId, dim: opts.dim,
    minLsn: Math.min(...src.map((m) => m.minLsn)), maxLsn: Math.max(...src.map((m) => m.maxLsn)),
    created: opts.created ?? Math.max(...src.map((m) => m.created)),
    rows: mem.rows, decayUpdates: mem.decayUpdates, tombstones: mem.tombstones,
    associations: mergeAssociations(src),
    assocTombstones: opts.bottom ? [] : unionAssocTombstones(src),
  };
}

/**
 * Merges consecutive segments of one space, `inputs` newest first. The rows of the result view
 * the inputs' mappings (zero-copy embeddings): keep the inputs retained until it is written.
 */
export function mergeSegments(inputs: readonly SegmentReader[], opts: MergeOptions): SegmentContent {
  checkMergeInputs(inputs, opts);
  return mergeSources(inputs.map(readerSource), opts);
}

/**
 * Inputs of one space and dim, every block verified (docs/segment_format.md §4 step 6): a merge
 * reads every input whole, so a bad block fails the compaction before anything is written.
 */
export function checkMergeInputs(inputs: readonly SegmentReader[], opts: MergeOptions): void {
  if (inputs.length === 0) throw new MnemoError('INVALID_ARGUMENT', 'mergeSegments: no inputs');
  for (const r of inputs) {
    if (r.space !== opts.space || r.dim !== opts.dim) {
      throw new MnemoError('INVALID_ARGUMENT', `mergeSegments: segment ${r.path} is of space ${JSON.stringify(r.space)} dim ${r.dim}, `
        + `expected ${JSON.stringify(opts.space)} dim ${opts.dim}`, { path: r.path });
    }
  }
  for (const r of inputs) r.verifyAll();
}

/** The same merge over in-memory contents (newest first), e.g. for tests and for flush. */
export function mergeContents(inputs: readonly SegmentContent[], opts: MergeOptions): SegmentContent {
  for (const c of inputs) {
    if (c.space !== opts.space || c.dim !== opts.dim) {
      throw new MnemoError('INVALID_ARGUMENT', `mergeContents: an input is of space ${JSON.stringify(c.space)} dim ${c.dim}, `
        + `expected ${JSON.stringify(opts.space)} dim ${opts.dim}`);
    }
  }
  return mergeSources(inputs.map(contentSource), opts);
}
