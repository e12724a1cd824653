/**
 * RowBlock: remembered records of one space kept as columns (docs/storage.md, "Memtable"), in the
 * segment's encodings and in shared memory (segment/column-block.ts): numbers, decay state and
 * embedding in typed arrays, ids, contents and metas as UTF-8 / MessagePack bytes. The heap holds a
 * handful of objects per block instead of ~10 per row, so the garbage collector neither copies nor
 * marks a row's parts while the memtable fills, and a flush hands the blocks to the segment worker
 * as they are. Records are built anew on read; `MemoryRecord` stays the only shape callers see.
 */
import { MnemoError } from '@mnemo/native';
import type { DecayState, MemoryKind, MemoryRecord } from '../../model.js';
import { BLOCK_K as K, blockLayout, blockViews, copyEmbedding, decayAt, packMeta, type BlockDescriptor, type BlockViews } from '../segment/index.js';
import { unpackChecked } from '../wal/wal-msgpack.js';
import type { BlockPool } from './block-pool.js';
import { PutRow } from './entries.js';

/** Rows of the first block of a space; each next block doubles, up to MAX_ROWS (and ~4 MiB of embeddings). */
const FIRST_ROWS = 64;
/** Bits of a row number inside a block: a block holds at most 2^ROW_BITS rows (space-table.ts packs (block, row) in one number). */
export const ROW_BITS = 12;
const MAX_ROWS = 1 << ROW_BITS;
const MAX_EMBEDDING_BYTES = 4 << 20;
/** A block whose string bytes pass this is full (a single larger row still gets a block of its own). */
const MAX_STRING_BYTES = 16 << 20;

/**
 * Append-only bytes in a SharedArrayBuffer that grows by doubling (a copy; only the memtable's
 * thread writes). Bytes past `used` are never read, so a recycled buffer needs no clearing.
 */
class ByteArea {
  buf: SharedArrayBuffer;
  bytes: Buffer;
  used = 0;

  constructor(
    initial: number,
    private readonly pool: BlockPool | null,
  ) {
    this.buf = take(pool, Math.max(64, initial));
    this.bytes = Buffer.from(this.buf);
  }

  private room(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    const next = take(this.pool, Math.max(this.bytes.length * 2, this.used + n));
    const b = Buffer.from(next);
    this.bytes.copy(b, 0, 0, this.used);
    this.buf = next;
    this.bytes = b;
  }

  /** Appends `s`, whose UTF-8 form is `n` bytes (written as latin1 when it is ASCII: the same bytes, several times faster). */
  text(s: string, n: number): void {
    this.room(n);
    if (n > 0) this.bytes.write(s, this.used, n, n === s.length ? 'latin1' : 'utf8');
    this.used += n;
  }

  raw(b: Uint8Array): void {
    this.room(b.length);
    this.bytes.set(b, this.used);
    this.used += b.length;
  }

  str(from: number, to: number): string {
    return this.bytes.toString('utf8', from, to);
  }
}

function take(pool: BlockPool | null, bytes: number): SharedArrayBuffer {
  return pool === null ? new SharedArrayBuffer(bytes) : pool.take(bytes);
}

export class RowBlock {
  /** Ids as strings too: the memtable's map keys are the same strings. */
  readonly ids: string[];
  readonly fixed: SharedArrayBuffer;
  /** The fixed-width columns (views of `fixed`). */
  private readonly c: BlockViews;
  private readonly idBytes: ByteArea;
  private readonly contentBytes: ByteArea;
  private readonly metaBytes: ByteArea;
  length = 0;
  /** LSN of the batch that wrote each row (the version's seq; space-table.ts). */
  readonly seqs: Float64Array;
  /** Row handles handed out so far, one per row (so a row's shared record is built once). */
  private puts: PutRow[] | undefined;

  /** @param pool where the block's buffers come from (null: fresh ones); see recycle(). */
  constructor(
    readonly space: string,
    readonly dim: number,
    readonly capacity: number,
    pool: BlockPool | null = null,
  ) {
    if (!(capacity >= 1 && capacity <= MAX_ROWS)) throw new MnemoError('INTERNAL', `a row block holds 1 to ${MAX_ROWS} rows, not ${capacity}`);
    this.fixed = take(pool, blockLayout(capacity, dim).bytes);
    this.c = blockViews(this.fixed, capacity, dim);
    // A recycled buffer holds old rows. append() writes every column of its row (the slots of a
    // decay window past its length keep old values: nothing reads them), the offsets start here.
    this.c.idOff[0] = 0;
    this.c.contentOff[0] = 0;
    this.c.metaOff[0] = 0;
    this.ids = new Array<string>(capacity);
    this.seqs = new Float64Array(capacity);
    this.idBytes = new ByteArea(capacity * 16, pool);
    this.contentBytes = new ByteArea(capacity * 64, pool);
    this.metaBytes = new ByteArea(64, pool);
  }

  /** The block that follows `prev` (null: the space's first) for records of `dim` dimensions. */
  static after(prev: RowBlock | null, space: string, dim: number, pool: BlockPool | null = null): RowBlock {
    const cap = Math.max(1, Math.floor(MAX_EMBEDDING_BYTES / (4 * Math.max(1, dim))));
    const rows = prev === null || prev.dim !== dim ? FIRST_ROWS : prev.capacity * 2;
    return new RowBlock(space, dim, Math.min(rows, MAX_ROWS, cap), pool);
  }

  /**
   * Gives the block's buffers to `pool`. Only when nothing can read the block again: its memtable
   * is in no version (no snapshot, no flush), and no view of it was handed out beyond those.
   */
  recycle(pool: BlockPool): void {
    pool.give(this.fixed);
    pool.give(this.idBytes.buf);
    pool.give(this.contentBytes.buf);
    pool.give(this.metaBytes.buf);
  }

  get full(): boolean {
    return this.length === this.capacity || this.contentBytes.used + this.metaBytes.used > MAX_STRING_BYTES;
  }

  /**
   * Appends `r` (validated: of this block's dim, a count ≤ 2³²−1); returns its row. Whatever can
   * fail is done before the first column is written, so a failed append leaves the block as it was.
   */
  append(r: MemoryRecord): number {
    const i = this.length;
    const meta = r.meta === null || r.meta === undefined ? null : packMeta(r.meta, r.id);
    const idLen = Buffer.byteLength(r.id, 'utf8');
    const contentLen = Buffer.byteLength(r.content, 'utf8');
    if (this.idBytes.used + idLen >= 2 ** 32 || this.contentBytes.used + contentLen >= 2 ** 32 || this.metaBytes.used + (meta?.length ?? 0) >= 2 ** 32) {
      throw new MnemoError('LIMIT_EXCEEDED', `memory ${JSON.stringify(r.id)} is too large to store`);
    }
    const c = this.c;
    this.ids[i] = r.id;
    this.idBytes.text(r.id, idLen);
    this.contentBytes.text(r.content, contentLen);
    if (meta !== null) this.metaBytes.raw(meta);
    c.idOff[i + 1] = this.idBytes.used;
    c.contentOff[i + 1] = this.contentBytes.used;
    c.metaOff[i + 1] = this.metaBytes.used;
    c.embedding.set(r.embedding, i * this.dim);
    c.created[i] = r.created;
    c.recorded[i] = r.recorded;
    c.confLo[i] = r.confidence.lo;
    c.confHi[i] = r.confidence.hi;
    c.kind[i] = r.kind === 'semantic' ? 1 : 0;
    this.putDecay(i, r.decay);
    this.length = i + 1;
    return i;
  }

  private putDecay(i: number, s: DecayState): void {
    const d = this.c.decay;
    d.count[i] = s.count;
    d.first[i] = s.first;
    d.last[i] = s.last;
    d.older[i] = s.olderDecay;
    const len = s.recentTimes.length;
    d.recentLen[i] = len;
    for (let j = 0; j < len; j++) {
      d.times[i * K + j] = s.recentTimes[j] as number;
      d.decays[i * K + j] = s.recentDecays[j] as number;
    }
  }

  /** The handle of row `i` (one per row, made at its first use). */
  putRow(i: number): PutRow {
    const puts = (this.puts ??= []);
    return (puts[i] ??= new PutRow(this, i));
  }

  count(i: number): number {
    return this.c.decay.count[i] as number;
  }

  /** A new DecayState of row `i`. */
  decay(i: number): DecayState {
    return decayAt(this.c.decay, i);
  }

  /** Row `i`'s embedding as a view of the block (shared: never change it). */
  embeddingView(i: number): Float32Array {
    return this.c.embedding.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** Row `i`'s embedding copied (the caller's own; segment/embedding-copy.ts). */
  embeddingCopy(i: number): Float32Array {
    return copyEmbedding(this.c.embedding, i * this.dim, this.dim);
  }

  /** Row `i`'s meta, decoded anew (null when it has none). */
  meta(i: number): unknown {
    const a = this.c.metaOff[i] as number;
    const b = this.c.metaOff[i + 1] as number;
    if (a === b) return null;
    return unpackChecked(this.metaBytes.bytes.subarray(a, b), `meta of memory ${JSON.stringify(this.ids[i])}`, (why) => new MnemoError('INTERNAL', why));
  }

  /** Row `i` as a record with its own decay state (or `decay`, as given), confidence, content and meta. */
  record(i: number, embedding: Float32Array, decay: DecayState = this.decay(i)): MemoryRecord {
    const c = this.c;
    return {
      id: this.ids[i] as string, space: this.space, content: this.contentBytes.str(c.contentOff[i] as number, c.contentOff[i + 1] as number), embedding,
      kind: (c.kind[i] === 1 ? 'semantic' : 'episodic') as MemoryKind, created: c.created[i] as number,
      recorded: c.recorded[i] as number, confidence: { lo: c.confLo[i] as number, hi: c.confHi[i] as number },
      decay, meta: this.meta(i),
    };
  }

  /** The block as the segment worker reads it (shared memory: nothing is copied). */
  descriptor(): BlockDescriptor {
    return {
      dim: this.dim, capacity: this.capacity, length: this.length, fixed: this.fixed,
      ids: this.idBytes.buf, contents: this.contentBytes.buf, metas: this.metaBytes.buf,
    };
  }
}
