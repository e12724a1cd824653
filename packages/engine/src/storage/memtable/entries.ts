/**
 * What the memtable stores per key (docs/storage.md, "Memtable"). A memory id maps to a full
 * record (`put`: a row of a RowBlock, row-block.ts), to a new decay state for a memory that lives
 * in an older segment (`decay`, the folded access events that become a segment's decayUpdates at
 * flush), or to a tombstone (`del`). An association key (from, to, kind) maps to the association
 * or to a tombstone.
 */
import type { Association, DecayState, MemoryRecord } from '../../model.js';
import type { RowBlock } from './row-block.js';

/** A remembered record, stored as row `row` of `block`. */
export class PutRow {
  readonly t = 'put' as const;
  /** The shared record, built at its first use (memtableRecord: vector search, never handed out). */
  private shared: MemoryRecord | undefined;

  constructor(
    readonly block: RowBlock,
    readonly row: number,
  ) {}

  /** The stored record, shared with the memtable (built once; embedding a view of the block): never change it. */
  get record(): MemoryRecord {
    return (this.shared ??= this.transient());
  }

  /**
   * The stored record built anew, not kept (re-storing it with a new decay state): its embedding
   * is a view of the block — read it, never change it.
   */
  transient(decay?: DecayState): MemoryRecord {
    return this.block.record(this.row, this.block.embeddingView(this.row), decay);
  }

  /** Presentation count of the stored decay state. */
  get count(): number {
    return this.block.count(this.row);
  }

  /** A new copy of the stored decay state. */
  decay(): DecayState {
    return this.block.decay(this.row);
  }
}

export type MemoryValue = PutRow | { readonly t: 'decay'; readonly decay: DecayState } | { readonly t: 'del' };

export type AssocValue = { readonly t: 'put'; readonly assoc: Association } | { readonly t: 'del' };

const SEP = '\u0000';

/** Key of an association inside one space: from, to and kind joined by NUL (ids never hold NUL). */
export function assocKey(from: string, to: string, kind: string): string {
  return from + SEP + to + SEP + kind;
}

export function splitAssocKey(key: string): { from: string; to: string; kind: string } {
  const a = key.indexOf(SEP);
  const b = key.indexOf(SEP, a + 1);
  return { from: key.slice(0, a), to: key.slice(a + 1, b), kind: key.slice(b + 1) };
}

/** Rough heap size of a record, used to decide when to flush. */
export function recordBytes(r: MemoryRecord): number {
  return 160 + r.id.length * 2 + r.content.length * 2 + r.embedding.byteLength + metaBytes(r.meta);
}

function metaBytes(meta: unknown): number {
  if (meta === null || meta === undefined) return 0;
  try {
    return JSON.stringify(meta).length * 2;
  } catch {
    return 256;
  }
}

export function assocBytes(a: Association): number {
  return 120 + (a.from.length + a.to.length + a.kind.length) * 2;
}
