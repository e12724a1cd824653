/**
 * Validation and normalisation of a write batch before anything is logged (docs/storage.md,
 * "Write path"): every op is checked against the spaces and the current state (ids, dimension,
 * intervals, times, well-formed text, existence of what `associate`/`present` refer to and their
 * presentation counts, taking earlier ops of the same batch into account) and against what the
 * WAL and segments can store. The result is the exact op list that goes to the WAL: records carry
 * `recorded` from the store clock, a copied embedding, a decay state and meta in its stored form.
 */
import { MnemoError } from '@mnemo/native';
import { initialDecayState } from '../../cognitive/decay.js';
import type { DecayState, Interval, MemoryRecord, SpaceConfig, WriteOp } from '../../model.js';
import { RECENT_PRESENTATIONS } from '../../model.js';
import { copyDecay } from '../memtable/index.js';
import { packCopy, unpackChecked } from '../wal/wal-msgpack.js';

export const MAX_ID_BYTES = 256;
export const MAX_PRESENT_TIMES = 1_000_000;
/** The segment format stores a presentation count as u32. */
export const MAX_DECAY_COUNT = 0xffffffff;

export interface ValidationContext {
  space(name: string): SpaceConfig;
  /** Presentation count (decay.count) of the memory when it is live in the current state, else undefined. */
  presentations(space: string, id: string): number | undefined;
  now: number;
  /** Where the embedding copies go: a buffer of at least `floats` elements (default: a new one). */
  embeddingBuffer?(floats: number): Float32Array;
}

function bad(message: string): MnemoError {
  return new MnemoError('INVALID_ARGUMENT', message);
}

/**
 * Strings are stored as UTF-8 (WAL and segments): a lone UTF-16 surrogate has no UTF-8 form and
 * would come back as U+FFFD after a flush or a replay (two such ids would even become one).
 */
function checkText(s: string, what: string | (() => string)): string {
  if (!(s as unknown as { isWellFormed(): boolean }).isWellFormed()) {
    const name = typeof what === 'string' ? what : what();
    throw bad(`${name} contains a lone UTF-16 surrogate (not valid Unicode text); fix the string or use String.prototype.toWellFormed()`);
  }
  return s;
}

export function checkId(id: unknown, what = 'memory id'): string {
  if (typeof id !== 'string' || id.length === 0) throw bad(`${what} must be a non-empty string`);
  if (id.includes('\u0000')) throw bad(`${what} ${JSON.stringify(id)} contains a NUL character`);
  // A UTF-16 unit is at most 3 UTF-8 bytes: only long ids need the exact count.
  if (id.length * 3 > MAX_ID_BYTES && Buffer.byteLength(id) > MAX_ID_BYTES) throw bad(`${what} is longer than ${MAX_ID_BYTES} bytes`);
  return checkText(id, () => `${what} ${JSON.stringify(id)}`);
}

function checkTime(t: unknown, what: string): number {
  if (typeof t !== 'number' || !Number.isFinite(t)) throw bad(`${what} must be a finite time in ms, got ${String(t)}`);
  return t;
}

export function checkInterval(c: Interval | undefined, what = 'confidence'): Interval {
  if (c === undefined || c === null) return { lo: 1, hi: 1 };
  const { lo, hi } = c;
  if (!(typeof lo === 'number' && typeof hi === 'number' && 0 <= lo && lo <= hi && hi <= 1)) {
    throw bad(`${what} must be an interval [lo, hi] with 0 ≤ lo ≤ hi ≤ 1, got [${String(lo)}, ${String(hi)}]`);
  }
  return { lo, hi };
}

/**
 * The embedding copies of one batch share one buffer per dimension: one allocation (and one
 * ArrayBuffer for the garbage collector to track) per batch instead of one per row — from the
 * store's pool when the write path provides one (arena-pool.ts).
 */
class EmbeddingArena {
  private readonly blocks = new Map<number, { buf: Float32Array; used: number }>();
  constructor(
    private readonly rows: number,
    private readonly buffer: (floats: number) => Float32Array,
  ) {}

  copy(e: Float32Array | readonly number[], dim: number): Float32Array {
    let b = this.blocks.get(dim);
    if (b === undefined) this.blocks.set(dim, (b = { buf: this.buffer(dim * this.rows), used: 0 }));
    const out = b.buf.subarray(b.used, b.used + dim);
    b.used += dim;
    out.set(e);
    return out;
  }
}

function checkEmbedding(e: unknown, space: SpaceConfig, arena: EmbeddingArena): Float32Array {
  if (!(e instanceof Float32Array) && !Array.isArray(e)) throw new MnemoError('TYPE_ERROR', 'embedding must be a Float32Array or an array of numbers');
  if (e.length !== space.dim) {
    throw new MnemoError('DIMENSION_MISMATCH', `embedding has ${e.length} dimensions but space '${space.name}' has ${space.dim}`, { expected: space.dim, actual: e.length });
  }
  const out = arena.copy(e as Float32Array | number[], space.dim);
  let acc = 0;
  for (let i = 0; i < out.length; i++) acc += (out[i] as number) * 0;
  if (acc !== 0) {
    // NaN (from a NaN or ±Infinity component) poisons the sum: find the culprit for the message.
    const i = out.findIndex((x) => !Number.isFinite(x));
    throw bad(`embedding component ${i} is not a finite number`);
  }
  return out;
}

function checkDecay(d: DecayState | undefined, created: number, space: SpaceConfig): DecayState {
  if (d === undefined || d === null) return initialDecayState(created, space.decay);
  const ok =
    Number.isInteger(d.count) && d.count >= 1 && d.count <= MAX_DECAY_COUNT && Number.isFinite(d.first) && Number.isFinite(d.last) && d.first <= d.last &&
    Array.isArray(d.recentTimes) && Array.isArray(d.recentDecays) && d.recentTimes.length === d.recentDecays.length &&
    d.recentTimes.length >= 1 && d.recentTimes.length <= RECENT_PRESENTATIONS && d.recentTimes.length <= d.count &&
    d.recentTimes.every((t) => Number.isFinite(t)) && d.recentDecays.every((x) => Number.isFinite(x)) && Number.isFinite(d.olderDecay);
  if (!ok) throw bad('decay state is malformed: create it with initialDecayState() and advance it with recordPresentation()');
  return copyDecay(d);
}

/**
 * `meta` as it will be stored: its MessagePack round trip (the form a WAL replay or a segment
 * gives back), which is also a deep copy, so a later change to the caller's object is not seen.
 */
function checkMeta(meta: unknown, id: string): unknown {
  if (meta === undefined || meta === null) return null;
  let bytes: Uint8Array;
  try {
    bytes = packCopy(meta);
  } catch (e) {
    throw bad(`meta of memory ${JSON.stringify(id)} cannot be stored as MessagePack (${(e as Error).message}); use plain data (no cycles, symbols)`);
  }
  return unpackChecked(bytes, `meta of memory ${JSON.stringify(id)}`, (why) => bad(why));
}

function normaliseRecord(op: Extract<WriteOp, { op: 'remember' }>, ctx: ValidationContext, arena: EmbeddingArena): MemoryRecord {
  const r = op.record;
  if (r === null || typeof r !== 'object') throw bad('remember needs a record');
  const space = ctx.space(r.space);
  const id = checkId(r.id);
  if (typeof r.content !== 'string') throw new MnemoError('TYPE_ERROR', 'content must be a string');
  checkText(r.content, () => `content of memory ${JSON.stringify(id)}`);
  const kind = r.kind ?? 'episodic';
  if (kind !== 'episodic' && kind !== 'semantic') throw bad(`kind must be 'episodic' or 'semantic', got ${JSON.stringify(kind)}`);
  const created = checkTime(r.created ?? ctx.now, 'created (AT)');
  return {
    id, space: space.name, content: r.content, embedding: checkEmbedding(r.embedding, space, arena), kind, created,
    recorded: ctx.now, confidence: checkInterval(r.confidence), decay: checkDecay(r.decay, created, space), meta: checkMeta(r.meta, id),
  };
}

/** Throws UNKNOWN_MEMORY unless the memory is live at this point of the batch; returns its presentation count. */
type MustExist = (space: string, id: string) => number;

function normaliseAssociate(op: Extract<WriteOp, { op: 'associate' }>, ctx: ValidationContext, mustExist: MustExist): WriteOp {
  const space = ctx.space(op.space).name;
  const a = op.assoc;
  const from = checkId(a?.from, 'association source');
  const to = checkId(a?.to, 'association target');
  const kind = a.kind ?? 'assoc';
  if (typeof kind !== 'string' || kind.length === 0 || kind.length > 64) throw bad('association kind must be a string of 1–64 characters');
  checkText(kind, 'association kind');
  const weight = a.weight ?? 1;
  if (typeof weight !== 'number' || !Number.isFinite(weight)) throw bad(`association weight must be a finite number, got ${String(weight)}`);
  mustExist(space, from);
  mustExist(space, to);
  const created = checkTime(a.created ?? ctx.now, 'association time');
  return { op: 'associate', space, assoc: { from, to, kind, weight, confidence: checkInterval(a.confidence), created, recorded: ctx.now } };
}

function normaliseDissociate(op: Extract<WriteOp, { op: 'dissociate' }>, ctx: ValidationContext): WriteOp {
  const space = ctx.space(op.space).name;
  if (op.kind !== undefined && (typeof op.kind !== 'string' || op.kind.length === 0)) throw bad('dissociate kind must be a non-empty string');
  if (op.kind !== undefined) checkText(op.kind, 'dissociate kind');
  const d: WriteOp = { op: 'dissociate', space, from: checkId(op.from), to: checkId(op.to) };
  if (op.kind !== undefined) d.kind = op.kind;
  return d;
}

function normalisePresent(op: Extract<WriteOp, { op: 'present' }>, ctx: ValidationContext, mustExist: MustExist): Extract<WriteOp, { op: 'present' }> {
  const space = ctx.space(op.space).name;
  const id = checkId(op.id);
  const count = mustExist(space, id);
  const times = op.times ?? 1;
  if (!Number.isInteger(times) || times < 1 || times > MAX_PRESENT_TIMES) throw bad(`TIMES must be an integer from 1 to ${MAX_PRESENT_TIMES}, got ${String(times)}`);
  if (count + times > MAX_DECAY_COUNT) {
    throw new MnemoError('LIMIT_EXCEEDED', `memory '${id}' in space '${space}' has ${count} presentations; at most ${MAX_DECAY_COUNT} are kept, so ${times} more cannot be recorded`, { space, id });
  }
  return { op: 'present', space, id, at: checkTime(op.at ?? ctx.now, 'presentation time'), times };
}

/** Validate `ops` and return the normalised batch (throws a typed MnemoError; logs nothing). */
export function validateBatch(ops: readonly WriteOp[], ctx: ValidationContext): WriteOp[] {
  if (!Array.isArray(ops)) throw bad('write() takes an array of ops');
  // Presentation count (null: gone) as of this point of the batch: earlier ops of the same batch count.
  const live = new Map<string, number | null>();
  const key = (space: string, id: string): string => space + '\u0000' + id;
  const mustExist: MustExist = (space, id) => {
    const k = key(space, id);
    const count = live.has(k) ? live.get(k) : ctx.presentations(space, id);
    if (count === undefined || count === null) throw new MnemoError('UNKNOWN_MEMORY', `no memory '${id}' in space '${space}'`, { space, id });
    return count;
  };
  const out: WriteOp[] = [];
  let remembers = 0;
  for (const op of ops) if (op?.op === 'remember') remembers++;
  const arena = new EmbeddingArena(remembers, ctx.embeddingBuffer ?? ((floats) => new Float32Array(floats)));
  for (const op of ops) {
    switch (op?.op) {
      case 'remember': {
        const record = normaliseRecord(op, ctx, arena);
        // Only a later op of this batch can look it up (a batch of remembers alone never does).
        if (remembers < ops.length) live.set(key(record.space, record.id), record.decay.count);
        out.push({ op: 'remember', record });
        break;
      }
      case 'associate':
        out.push(normaliseAssociate(op, ctx, mustExist));
        break;
      case 'dissociate':
        out.push(normaliseDissociate(op, ctx));
        break;
      case 'present': {
        const p = normalisePresent(op, ctx, mustExist);
        live.set(key(p.space, p.id), mustExist(p.space, p.id) + (p.times ?? 1));
        out.push(p);
        break;
      }
      case 'forget': {
        const space = ctx.space(op.space).name;
        const id = checkId(op.id);
        live.set(key(space, id), null);
        out.push({ op: 'forget', space, id });
        break;
      }
      default:
        throw bad(`unknown write op ${JSON.stringify((op as { op?: unknown })?.op)}`);
    }
  }
  return out;
}
