/**
 * Turns one space of a frozen memtable into the content of one segment (docs/storage.md,
 * "Flush"): the newest version of every key. Remembered records become rows, named by block and
 * row in the memtable's insertion order: the writer sorts them by id, off the main thread, and
 * gets the blocks as they are (segment/column-block.ts). `decay` values become decay updates (the
 * folded access events of memories whose row lives in an older segment); memory and association
 * tombstones are carried so they shadow older segments. Decay updates and tombstones are sorted
 * by id here.
 */
import { MnemoError } from '@mnemo/native';
import { compareIds, packedBlock, packedRow, splitAssocKey, type RowBlock, type SpaceTable } from '../memtable/index.js';
import { MAX_FLUSH_BLOCKS, type MemRowsContent } from '../segment/index.js';

export function flushContent(table: SpaceTable, meta: { segmentId: number; dim: number; minLsn: number; maxLsn: number; created: number }): MemRowsContent {
  const blocks = table.rowBlocks();
  if (blocks.length > MAX_FLUSH_BLOCKS) throw new MnemoError('LIMIT_EXCEEDED', `space '${table.name}': the memtable holds more than ${MAX_FLUSH_BLOCKS} row blocks; lower memtableBytes`);
  const index = new Map<RowBlock, number>();
  blocks.forEach((b, i) => index.set(b, i));
  const size = table.memories.size;
  const src = new Uint16Array(size);
  const row = new Uint32Array(size);
  const c: MemRowsContent = {
    space: table.name, segmentId: meta.segmentId, dim: meta.dim, minLsn: meta.minLsn, maxLsn: meta.maxLsn, created: meta.created,
    rows: [], memRows: { blocks: blocks.map((b) => b.descriptor()), count: 0, src, row }, decayUpdates: [], tombstones: [], associations: [], assocTombstones: [],
  };
  // Insertion order, no lookups: the writer sorts the rows by id (planMemRows), off this thread.
  let n = 0;
  let last: RowBlock | undefined;
  let lastIndex = 0;
  for (const [id, head] of table.memories) {
    if (typeof head === 'number') {
      src[n] = packedBlock(head);
      row[n++] = packedRow(head);
      continue;
    }
    const v = head.value;
    if (v.t === 'put') {
      if (v.block !== last) {
        last = v.block;
        lastIndex = index.get(v.block) as number;
      }
      src[n] = lastIndex;
      row[n++] = v.row;
    } else if (v.t === 'decay') c.decayUpdates.push({ id, decay: v.decay });
    else c.tombstones.push(id);
  }
  c.memRows.count = n;
  c.decayUpdates.sort((a, b) => compareIds(a.id, b.id));
  c.tombstones.sort(compareIds);
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

export function isEmptyContent(c: MemRowsContent): boolean {
  return c.memRows.count + c.decayUpdates.length + c.tombstones.length + c.associations.length + c.assocTombstones.length === 0;
}
