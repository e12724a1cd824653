/**
 * The memtable of one space: memories by id and associations by (from, to, kind), each a version
 * chain (chain.ts), plus an outgoing index (from → keys) and an incoming index (to → from ids) so
 * fan and SPREAD can find edges without scanning. Records are rows of column blocks (row-block.ts).
 * Keys only ever grow within one memtable; the sorted id list is cached and rebuilt only after new
 * ids arrived (docs/storage.md, "Memtable").
 */
import type { MemoryRecord } from '../../model.js';
import { pushVersion, visibleAt, type Version } from './chain.js';
import { assocKey, PutRow, type AssocValue, type MemoryValue } from './entries.js';
import type { BlockPool } from './block-pool.js';
import { RowBlock } from './row-block.js';

export class SpaceTable {
  readonly memories = new Map<string, Version<MemoryValue>>();
  readonly assocs = new Map<string, Version<AssocValue>>();
  /** from id → association keys with that source. */
  readonly outgoing = new Map<string, Set<string>>();
  /** to id → source ids that have (had) an association to it. */
  readonly incoming = new Map<string, Set<string>>();
  private sortedIds: string[] | undefined;
  /** Every row block so far (row-block.ts); remembered records are appended to the last. */
  private readonly blocks: RowBlock[] = [];

  /** @param pool where row blocks get their memory (null: fresh buffers). */
  constructor(
    readonly name: string,
    private readonly pool: BlockPool | null = null,
  ) {}

  /** Stores `record` as a new row (its values are copied into the block's columns). */
  putRecord(record: MemoryRecord, seq: number, oldestReader: number): void {
    const dim = record.embedding.length;
    let b = this.blocks[this.blocks.length - 1];
    if (b === undefined || b.full || b.dim !== dim) {
      b = RowBlock.after(b ?? null, this.name, dim, this.pool);
      this.blocks.push(b);
    }
    this.putMemory(record.id, new PutRow(b, b.append(record)), seq, oldestReader);
  }

  putMemory(id: string, value: MemoryValue, seq: number, oldestReader: number): void {
    const head = this.memories.get(id);
    if (head === undefined) this.sortedIds = undefined;
    this.memories.set(id, pushVersion(head, seq, value, oldestReader));
  }

  putAssoc(from: string, to: string, kind: string, value: AssocValue, seq: number, oldestReader: number): void {
    const key = assocKey(from, to, kind);
    const head = this.assocs.get(key);
    if (head === undefined) {
      let out = this.outgoing.get(from);
      if (out === undefined) this.outgoing.set(from, (out = new Set()));
      out.add(key);
      let inc = this.incoming.get(to);
      if (inc === undefined) this.incoming.set(to, (inc = new Set()));
      inc.add(from);
    }
    this.assocs.set(key, pushVersion(head, seq, value, oldestReader));
  }

  memoryAt(id: string, seq: number): MemoryValue | undefined {
    return visibleAt(this.memories.get(id), seq)?.value;
  }

  assocAt(key: string, seq: number): AssocValue | undefined {
    return visibleAt(this.assocs.get(key), seq)?.value;
  }

  /** Every row block of this table, oldest first (a flush hands them all to the writer). */
  rowBlocks(): readonly RowBlock[] {
    return this.blocks;
  }

  /** Gives every row block to the pool (see Memtable.release: nothing reads this table any more). */
  recycle(): void {
    if (this.pool !== null) for (const b of this.blocks) b.recycle(this.pool);
    this.blocks.length = 0;
  }

  /** Every id with a version (at any seq), ascending by code unit — callers filter by seq. */
  ids(): readonly string[] {
    if (this.sortedIds === undefined) this.sortedIds = sortIds([...this.memories.keys()]);
    return this.sortedIds;
  }
}

/**
 * Sorts ids into the id order: the default sort (UTF-16 code units, compared natively, ~2× faster
 * than a JS comparator) is that order unless ids hold surrogates; one linear check decides, and
 * only then the compareIds sort runs.
 */
function sortIds(ids: string[]): string[] {
  ids.sort();
  for (let i = 1; i < ids.length; i++) if (compareIds(ids[i - 1] as string, ids[i] as string) >= 0) return ids.sort(compareIds);
  return ids;
}

/**
 * The one id order used everywhere (scan, segments, associations): Unicode code point order,
 * which is also UTF-8 byte order (docs/segment_format.md). Surrogates (code points ≥ U+10000)
 * sort after U+E000–U+FFFF, unlike plain `<` on UTF-16 strings.
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return fixup(ca) - fixup(cb);
  }
  return a.length - b.length;
}

function fixup(c: number): number {
  if (c < 0xd800) return c;
  return c < 0xe000 ? c + 0x2000 : c - 0x800;
}
