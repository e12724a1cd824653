/**
 * Turns one space of a frozen memtable into the content of one segment (docs/storage.md,
 * "Flush"): the newest version of every key — remembered records become rows, named by block and
 * row in id order (the blocks themselves go to the writer as they are: segment/column-block.ts),
 * `decay` values become decay updates (the folded access events of memories whose row lives in an
 * older segment), memory tombstones and association tombstones are carried so they shadow older
 * segments.
 */
import { MnemoError } from '@mnemo/native';
import { splitAssocKey, type RowBlock, type SpaceTable } from '../memtable/index.js';
import { MAX_FLUSH_BLOCKS, type BlockDescriptor, type MemRowsContent } from '../segment/index.js';

export function flushContent(table: SpaceTable, meta: { segmentId: number; dim: number; minLsn: number; maxLsn: number; created: number }): MemRowsContent {
  const ids = table.ids();
  const blocks = new Map<RowBlock, number>();
  const descriptors: BlockDescriptor[] = [];
  const src = new Uint16Array(ids.length);
  const row = new Uint32Array(ids.length);
  const c: MemRowsContent = {
    space: table.name, segmentId: meta.segmentId, dim: meta.dim, minLsn: meta.minLsn, maxLsn: meta.maxLsn, created: meta.created,
    rows: [], memRows: { blocks: descriptors, count: 0, src, row }, decayUpdates: [], tombstones: [], associations: [], assocTombstones: [],
  };
  let n = 0;
  for (const id of ids) {
    const v = table.memories.get(id)?.value;
    if (v === undefined) continue;
    if (v.t === 'put') {
      let b = blocks.get(v.block);
      if (b === undefined) {
        b = descriptors.length;
        if (b >= MAX_FLUSH_BLOCKS) throw new MnemoError('LIMIT_EXCEEDED', `space '${table.name}': the memtable holds more than ${MAX_FLUSH_BLOCKS} row blocks; lower memtableBytes`);
        blocks.set(v.block, b);
        descriptors.push(v.block.descriptor());
      }
      src[n] = b;
      row[n++] = v.row;
    } else if (v.t === 'decay') c.decayUpdates.push({ id, decay: v.decay });
    else c.tombstones.push(id);
  }
  c.memRows.count = n;
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
