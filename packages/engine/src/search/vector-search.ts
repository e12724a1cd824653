/**
 * Vector search across a whole space at one snapshot (docs/search.md): the memtable is scanned
 * exactly, each sealed segment is searched through its HNSW graph with the live-row bitmap and
 * the caller's filter applied during traversal, and the per-source lists are merged by distance,
 * ties broken by memory id, so results are deterministic for a given store state.
 */
import { MnemoError } from '@mnemo/native';
import type { MemoryRecord, SpaceConfig } from '../model.js';
import { checkFiniteQuery, mergeByDistance, type RowFilter, type ScoredHit } from '../hnsw/index.js';
import { closestRows } from '../hnsw/exact.js';
import { bit } from '../hnsw/filter.js';
import { SegmentRowRef, type RowPredicate, type SegmentView, type Snapshot } from '../storage/index.js';
import type { SegmentIndexCache } from './index-cache.js';
import { exactDistanceTo, similarityFromDistance } from './similarity.js';

export interface VectorSearchOptions {
  k: number;
  /** HNSW candidate list size (default: the space's efSearch; raised to k when smaller). */
  ef?: number;
  /** Exact brute-force top-k over every live row. */
  exact?: boolean;
  /** Predicate on stored columns, applied during traversal. */
  filter?: RowPredicate;
}

export interface VectorHit {
  id: string;
  /** Index distance (smaller is closer; see similarity.ts). */
  distance: number;
  similarity: number;
  /** The memory as visible in the snapshot (newest decay state applied). */
  record: MemoryRecord;
}

/** A hit before its record is read: a segment row (its snapshot view and row), or a memtable memory. */
export interface VectorRowHit {
  id: string;
  distance: number;
  similarity: number;
  /** The segment the hit is a live row of, with `row`; null for a memory in the memtable. */
  view: SegmentView | null;
  row: number;
}

export interface VectorSearchStats {
  memtableRows: number;
  segmentsSearched: number;
}

/** The k nearest memories with their records (read at their segment rows, or from the memtable). */
export function searchVectors(
  snap: Snapshot,
  space: SpaceConfig,
  query: Float32Array,
  opts: VectorSearchOptions,
  cache: SegmentIndexCache,
  stats?: VectorSearchStats,
): VectorHit[] {
  return searchVectorRows(snap, space, query, opts, cache, stats).map((h) => {
    // a segment hit is a live row: its record is read at that row, without looking its id up
    const record = h.view !== null ? h.view.record(h.row, h.id) : snap.get(space.name, h.id);
    if (!record) throw new MnemoError('INTERNAL', `search returned '${h.id}', which the snapshot cannot read`);
    return { id: h.id, distance: h.distance, similarity: h.similarity, record };
  });
}

/**
 * The k nearest memories without reading their records: a caller that needs only some of them (a
 * RECALL returns 10 of its 36 neighbours) reads those, through `view.record(row, id)` (or
 * `snapshot.get` for a memtable hit) or single columns, while the snapshot is held.
 */
export function searchVectorRows(
  snap: Snapshot,
  space: SpaceConfig,
  query: Float32Array,
  opts: VectorSearchOptions,
  cache: SegmentIndexCache,
  stats?: VectorSearchStats,
): VectorRowHit[] {
  if (query.length !== space.dim) {
    throw new MnemoError('DIMENSION_MISMATCH', `space '${space.name}' has dimension ${space.dim}, the query vector has ${query.length}`);
  }
  checkFiniteQuery(query);
  const k = Math.max(0, Math.floor(opts.k));
  if (k === 0) return [];
  const lists: ScoredHit<Found>[][] = [];
  const mem = snap.memtableRecords(space.name);
  lists.push(closestInMemtable(mem, exactDistanceTo(space.metric, query), k, opts.filter));
  const views = snap.segments(space.name);
  for (const view of views) {
    if (view.liveCount === 0) continue;
    const index = cache.indexFor(space, view.segmentId, view.reader);
    let filter: RowFilter = view.live;
    if (opts.filter) {
      const ref = new SegmentRowRef(view.reader);
      const pred = opts.filter;
      filter = (row: number) => bit(view.live, row) && pred(ref.at(row));
    }
    const ef = Math.max(opts.ef ?? space.hnsw.efSearch, k);
    const res = index.search(query, k, { ef, filter, exact: opts.exact === true });
    const hits: ScoredHit<Found>[] = [];
    for (let i = 0; i < res.rows.length; i++) {
      const row = res.rows[i]!;
      hits.push({ item: new Found(view.reader.id(row), view, row), distance: res.distances[i]! });
    }
    lists.push(hits);
  }
  cache.prune(space.name);
  if (stats) {
    stats.memtableRows += mem.length;
    stats.segmentsSearched += views.length;
  }
  const merged = mergeByDistance(lists, k, idOf);
  return merged.map((h) => {
    const { id, view, row } = h.item;
    return { id, distance: h.distance, similarity: similarityFromDistance(space.metric, h.distance), view, row };
  });
}

/**
 * The k memtable records closest by `distance`, sorted by distance then id (what mergeByDistance
 * of all of them gives): the records come in id order, so the exact top-k's ties by lower row
 * (closestRows, hnsw/exact.ts) are ties by id. One distance per record, f64 as computed.
 */
function closestInMemtable(mem: readonly MemoryRecord[], distance: (v: Float32Array) => number, k: number, filter: RowPredicate | undefined): ScoredHit<Found>[] {
  const heap = closestRows(mem.length, k, (i) => distance((mem[i] as MemoryRecord).embedding), filter ? (i) => filter(mem[i] as MemoryRecord) : undefined);
  const out: ScoredHit<Found>[] = new Array<ScoredHit<Found>>(heap.size);
  for (let j = heap.size - 1; j >= 0; j--) {
    out[j] = { item: new Found((mem[heap.topRow] as MemoryRecord).id, null, -1), distance: heap.topDist };
    heap.pop();
  }
  return out;
}

/** A hit before its record is read: the id, and for a segment hit the segment's view and row. */
class Found {
  constructor(readonly id: string, readonly view: SegmentView | null, readonly row: number) {}
}

const idOf = (f: Found): string => f.id;
