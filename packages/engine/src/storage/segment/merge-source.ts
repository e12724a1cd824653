/**
 * The view of one input that the merge needs, implemented over a mapped SegmentReader (rows
 * handed out with zero-copy embedding views) and over an in-memory SegmentContent. Every list
 * is in file order. docs/segment_format.md §1 "Compaction".
 */
import type { Association, DecayState } from '../../model.js';
import type { AssocTombstone, SegmentContent, SegmentRow } from './content.js';
import { normalizeContent } from './content.js';
import type { SegmentReader } from './segment-reader.js';

/** What the association merge needs of an input. */
export interface AssocSource {
  associations: readonly Association[];
  assocTombstones: readonly AssocTombstone[];
  isTombstoned(id: string): boolean;
  hasAssocTombstone(from: string, to: string, kind: string): boolean;
}

export interface MergeSource extends AssocSource {
  rowIds: readonly string[];
  row(i: number): SegmentRow;
  duIds: readonly string[];
  du(i: number): DecayState;
  tombIds: readonly string[];
  minLsn: number;
  maxLsn: number;
  created: number;
}

/** The associations of a mapped input (materialised: associations are few next to rows). */
export function readerAssocSource(r: SegmentReader): AssocSource {
  return {
    associations: [...r.associations()],
    assocTombstones: r.assocTombstones(),
    isTombstoned: (id) => r.isTombstoned(id),
    hasAssocTombstone: (f, t, k) => r.hasAssocTombstone(f, t, k),
  };
}

/** Rows reference the reader's mapping: keep it retained until the merged content is written. */
export function readerSource(r: SegmentReader): MergeSource {
  return {
    ...readerAssocSource(r),
    rowIds: r.ids(),
    row: (i) => ({
      id: r.id(i), content: r.content(i), embedding: r.embedding(i), kind: r.kind(i), created: r.created(i),
      recorded: r.recorded(i), confidence: r.confidence(i), decay: r.decay(i), meta: r.meta(i),
    }),
    duIds: r.decayUpdateIds(),
    du: (() => { const all = r.decayUpdates(); return (i: number) => (all[i] as { decay: DecayState }).decay; })(),
    tombIds: r.tombstones(),
    minLsn: r.minLsn, maxLsn: r.maxLsn, created: r.createdAt,
  };
}

export const assocTombstoneKey = (from: string, to: string, kind: string | null): string => JSON.stringify([from, to, kind]);

export function contentSource(raw: SegmentContent): MergeSource {
  const c = normalizeContent(raw);
  const tombs = new Set(c.tombstones);
  const dead = new Set(c.assocTombstones.map((t) => assocTombstoneKey(t.from, t.to, t.kind)));
  return {
    rowIds: c.rows.map((r) => r.id),
    row: (i) => c.rows[i] as SegmentRow,
    duIds: c.decayUpdates.map((u) => u.id),
    du: (i) => (c.decayUpdates[i] as { decay: DecayState }).decay,
    tombIds: c.tombstones,
    isTombstoned: (id) => tombs.has(id),
    associations: c.associations,
    assocTombstones: c.assocTombstones,
    hasAssocTombstone: (f, t, k) => dead.has(assocTombstoneKey(f, t, k)) || dead.has(assocTombstoneKey(f, t, null)),
    minLsn: c.minLsn, maxLsn: c.maxLsn, created: c.created,
  };
}
