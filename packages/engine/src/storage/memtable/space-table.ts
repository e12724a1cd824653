/**
 * The memtable of one space: memories by id and associations by (from, to, kind), each a version
 * chain (chain.ts), plus an outgoing index (from → keys) and an incoming index (to → from ids) so
 * fan and SPREAD can find edges without scanning. Records are rows of column blocks (row-block.ts).
 * Keys only ever grow within one memtable; the sorted id list is cached and rebuilt only after new
 * ids arrived (docs/storage.md, "Memtable").
 *
 * A memory whose only version is a remembered row — nearly every id of an ingest — is stored as
 * that row's packed position, `block << ROW_BITS | row`, with the version's seq in the block's
 * `seqs` column: no chain node and no row handle per row (they were two heap objects per row that
 * every young-generation collection copied while the memtable filled; measured on the 1M-row
 * ingest, see docs/storage.md "Memtable"). The chain is built when a second version arrives.
 */
import { MnemoError } from '@mnemo/native';
import type { MemoryRecord } from '../../model.js';
import { pushVersion, visibleAt, type Version } from './chain.js';
import { assocKey, type AssocValue, type MemoryValue } from './entries.js';
import type { BlockPool } from './block-pool.js';
import { RowBlock, ROW_BITS } from './row-block.js';

const ROW_MASK = (1 << ROW_BITS) - 1;
const MAX_BLOCKS = 1 << (31 - ROW_BITS);

/** A memory's entry: its version chain, or the packed position of its one remembered row. */
export type MemoryHead = Version<MemoryValue> | number;

/** Index in rowBlocks() of a packed entry's block. */
export function packedBlock(head: number): number {
  return head >>> ROW_BITS;
}

/** Row of a packed entry inside its block. */
export function packedRow(head: number): number {
  return head & ROW_MASK;
}

export class SpaceTable {
  readonly memories = new Map<string, MemoryHead>();
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
      // Packed positions are non-negative 31-bit numbers (and a flush takes far fewer blocks).
      if (this.blocks.length >= MAX_BLOCKS) throw new MnemoError('LIMIT_EXCEEDED', `space '${this.name}': the memtable holds ${MAX_BLOCKS} row blocks; lower memtableBytes`);
      b = RowBlock.after(b ?? null, this.name, dim, this.pool);
      this.blocks.push(b);
    }
    const row = b.append(record);
    b.seqs[row] = seq;
    const packed = ((this.blocks.length - 1) << ROW_BITS) | row;
    const head = this.memories.get(record.id);
    if (head === undefined) {
      this.sortedIds = undefined;
      this.memories.set(record.id, packed);
      return;
    }
    const chain = pushVersion(this.chain(head), seq, b.putRow(row), oldestReader);
    // Trimmed to this row alone: back to the packed form.
    this.memories.set(record.id, chain.next === undefined ? packed : chain);
  }

  putMemory(id: string, value: MemoryValue, seq: number, oldestReader: number): void {
    const head = this.memories.get(id);
    if (head === undefined) this.sortedIds = undefined;
    this.memories.set(id, pushVersion(head === undefined ? undefined : this.chain(head), seq, value, oldestReader));
  }

  /** A memory's entry as a chain (a packed row becomes a one-version chain). */
  private chain(head: MemoryHead): Version<MemoryValue> {
    if (typeof head !== 'number') return head;
    const b = this.blocks[packedBlock(head)] as RowBlock;
    const row = packedRow(head);
    return { seq: b.seqs[row] as number, value: b.putRow(row), next: undefined };
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
    const head = this.memories.get(id);
    if (typeof head !== 'number') return visibleAt(head, seq)?.value;
    const b = this.blocks[packedBlock(head)] as RowBlock;
    const row = packedRow(head);
    return (b.seqs[row] as number) <= seq ? b.putRow(row) : undefined;
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
