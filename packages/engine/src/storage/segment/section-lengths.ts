/**
 * The byte length every fixed-width section must have, derived from the header's counts
 * (docs/segment_format.md §2.4 table). Checked against the directory before any view is made,
 * so an absurd count in a small file is caught without allocating anything.
 */
import { DECAY, S } from './layout.js';
import type { SegmentHeader } from './parse-file.js';

type Counts = Pick<SegmentHeader, 'rows' | 'dim' | 'recentK' | 'decayUpdates' | 'tombstones' | 'kinds' | 'groups' | 'associations' | 'assocTombstones'>;

/** Number of strings held by each offsets section. */
function stringCount(id: number, h: Counts): number | undefined {
  switch (id) {
    case S.rowIdOff: case S.contentOff: case S.metaOff: return h.rows;
    case S.duIdOff: return h.decayUpdates;
    case S.tombIdOff: return h.tombstones;
    case S.kindOff: return h.kinds;
    case S.fromOff: return h.groups;
    case S.toOff: return h.associations;
    case S.atFromOff: case S.atToOff: return h.assocTombstones;
    default: return undefined;
  }
}

/** True for the sections holding string offsets (the only ones that may carry the u64 flag). */
export function isOffsetsSection(id: number): boolean {
  return stringCount(id, { rows: 0, dim: 0, recentK: 0, decayUpdates: 0, tombstones: 0, kinds: 0, groups: 0, associations: 0, assocTombstones: 0 }) !== undefined;
}

function decayLength(column: number, n: number, K: number): number {
  switch (column) {
    case DECAY.count: return 4 * n;
    case DECAY.recentLen: return n;
    case DECAY.times: case DECAY.decays: return 8 * n * K;
    default: return 8 * n;
  }
}

/** Required length of section `id`, or null for a bytes section (bounded by its offsets instead). */
export function expectedLength(id: number, h: Counts, u64Offsets: boolean): number | null {
  const strings = stringCount(id, h);
  if (strings !== undefined) return (strings + 1) * (u64Offsets ? 8 : 4);
  if (id >= S.rowDecay && id <= S.rowDecay + DECAY.older) return decayLength(id - S.rowDecay, h.rows, h.recentK);
  if (id >= S.duDecay && id <= S.duDecay + DECAY.older) return decayLength(id - S.duDecay, h.decayUpdates, h.recentK);
  switch (id) {
    case S.embedding: return 4 * h.rows * h.dim;
    case S.created: case S.recorded: case S.confLo: case S.confHi: return 8 * h.rows;
    case S.kind: return h.rows;
    case S.groupStart: return 4 * (h.groups + 1);
    case S.assocKind: return 4 * h.associations;
    case S.weight: case S.aConfLo: case S.aConfHi: case S.aCreated: case S.aRecorded: return 8 * h.associations;
    case S.atKind: return 4 * h.assocTombstones;
    default: return null;
  }
}
