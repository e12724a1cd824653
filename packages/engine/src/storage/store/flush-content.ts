/**
 * Turns one space of a frozen memtable into the content of one segment (docs/storage.md,
 * "Flush"): the newest version of every key — records become rows, `decay` values become decay
 * updates (the folded access events of memories whose row lives in an older segment), memory
 * tombstones and association tombstones are carried so they shadow older segments.
 */
import { splitAssocKey, type SpaceTable } from '../memtable/index.js';
import type { SegmentContent } from '../segment/index.js';

export function flushContent(table: SpaceTable, meta: { segmentId: number; dim: number; minLsn: number; maxLsn: number; created: number }): SegmentContent {
  const c: SegmentContent = {
    space: table.name, segmentId: meta.segmentId, dim: meta.dim, minLsn: meta.minLsn, maxLsn: meta.maxLsn, created: meta.created,
    rows: [], decayUpdates: [], tombstones: [], associations: [], assocTombstones: [],
  };
  for (const id of table.ids()) {
    const v = table.memories.get(id)?.value;
    if (v === undefined) continue;
    if (v.t === 'put') c.rows.push(v.record);
    else if (v.t === 'decay') c.decayUpdates.push({ id, decay: v.decay });
    else c.tombstones.push(id);
  }
  for (const head of table.assocs.values()) {
    const v = head.value;
    if (v.t === 'put') c.associations.push(v.assoc);
  }
  for (const [key, head] of table.assocs) {
    if (head.value.t !== 'del') continue;
    c.assocTombstones.push(splitAssocKey(key));
  }
  return c;
}

export function isEmptyContent(c: SegmentContent): boolean {
  return c.rows.length + c.decayUpdates.length + c.tombstones.length + c.associations.length + c.assocTombstones.length === 0;
}
