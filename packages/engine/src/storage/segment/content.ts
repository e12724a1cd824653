/**
 * SegmentContent: the in-memory form of one segment (what flush and compaction hand to the
 * writer), and its normalisation: sort every list into file order and validate it, so the
 * writer and the merge see the same canonical content. See docs/segment_format.md §1–§3.
 */
import { MnemoError } from '@mnemo/native';
import type { Association, DecayState, MemoryRecord } from '../../model.js';
import { RECENT_PRESENTATIONS } from '../../model.js';
import { compareAssocKeys, compareIds, isStrictlySorted } from './id-order.js';
import { MAX_DIM, MAX_SPACE_NAME } from './layout.js';

/** A memory as a segment stores it (the space is the segment's). */
export type SegmentRow = Omit<MemoryRecord, 'space'> & { space?: string };

export interface DecayUpdate {
  id: string;
  decay: DecayState;
}

export interface AssocTombstone {
  from: string;
  to: string;
  /** null: every kind from → to. */
  kind: string | null;
}

export interface SegmentContent {
  space: string;
  segmentId: number;
  dim: number;
  minLsn: number;
  maxLsn: number;
  /** ms since epoch */
  created: number;
  rows: SegmentRow[];
  decayUpdates: DecayUpdate[];
  tombstones: string[];
  associations: Association[];
  assocTombstones: AssocTombstone[];
}

export interface SegmentFileInfo {
  path: string;
  bytes: number;
  rows: number;
  /** The trailer CRC32C (covers the whole file transitively). */
  checksum: number;
}

function invalid(message: string, details: Record<string, unknown> = {}): MnemoError {
  return new MnemoError('INVALID_ARGUMENT', `segment content: ${message}`, details);
}

const byId = (a: { id: string }, b: { id: string }): number => compareIds(a.id, b.id);
const byAssoc = (a: AssocTombstone, b: AssocTombstone): number =>
  compareAssocKeys(a.from, a.to, a.kind, b.from, b.to, b.kind);

/** Returns a sorted copy of `items` (or `items` itself when already strictly sorted); duplicates throw. */
function sortUnique<T>(items: readonly T[], cmp: (a: T, b: T) => number, what: string, key: (t: T) => unknown): T[] {
  if (isStrictlySorted(items, cmp)) return items as T[];
  const out = items.slice().sort(cmp);
  for (let i = 1; i < out.length; i++) {
    if (cmp(out[i - 1] as T, out[i] as T) === 0) {
      throw invalid(`duplicate ${what} ${JSON.stringify(key(out[i] as T))}`, { key: key(out[i] as T) });
    }
  }
  return out;
}

function checkNumber(v: unknown, what: string, opts: { integer?: boolean; min?: number; max?: number } = {}): void {
  const ok = typeof v === 'number' && Number.isFinite(v) && (!opts.integer || Number.isInteger(v))
    && (opts.min === undefined || v >= opts.min) && (opts.max === undefined || v <= opts.max);
  if (!ok) throw invalid(`${what} must be a finite${opts.integer ? ' integer' : ''} number`
    + `${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}${opts.max !== undefined ? ` ≤ ${opts.max}` : ''}, got ${String(v)}`);
}

function checkString(v: unknown, what: string): void {
  if (typeof v !== 'string') throw invalid(`${what} must be a string, got ${typeof v}`);
  // A lone surrogate has no UTF-8 form: it would be written as U+FFFD and read back different.
  if (!(v as unknown as { isWellFormed(): boolean }).isWellFormed()) throw invalid(`${what} contains a lone UTF-16 surrogate`);
}

/** Validates a DecayState against the format's limits (window ≤ RECENT_PRESENTATIONS, count u32). */
export function checkDecay(d: DecayState, who: string): void {
  if (d === null || typeof d !== 'object') throw invalid(`${who}: decay state missing`);
  checkNumber(d.count, `${who}: decay.count`, { integer: true, min: 0, max: 0xffffffff });
  checkNumber(d.first, `${who}: decay.first`);
  checkNumber(d.last, `${who}: decay.last`);
  checkNumber(d.olderDecay, `${who}: decay.olderDecay`);
  const n = d.recentTimes?.length;
  if (!Array.isArray(d.recentTimes) || !Array.isArray(d.recentDecays) || n !== d.recentDecays.length || n > RECENT_PRESENTATIONS) {
    throw invalid(`${who}: decay.recentTimes and recentDecays must be arrays of equal length ≤ ${RECENT_PRESENTATIONS}`);
  }
  for (let i = 0; i < n; i++) {
    checkNumber(d.recentTimes[i], `${who}: decay.recentTimes[${i}]`);
    checkNumber(d.recentDecays[i], `${who}: decay.recentDecays[${i}]`);
  }
}

function checkRow(r: SegmentRow, dim: number): void {
  checkString(r.id, 'row id');
  const who = `row ${JSON.stringify(r.id)}`;
  checkString(r.content, `${who}: content`);
  if (!(r.embedding instanceof Float32Array) || r.embedding.length !== dim) {
    throw new MnemoError('DIMENSION_MISMATCH', `segment content: ${who}: embedding must be a Float32Array of length ${dim}`,
      { id: r.id, expected: dim, got: (r.embedding as { length?: number } | undefined)?.length ?? null });
  }
  if (r.kind !== 'episodic' && r.kind !== 'semantic') throw invalid(`${who}: kind must be 'episodic' or 'semantic'`);
  checkNumber(r.created, `${who}: created`);
  checkNumber(r.recorded, `${who}: recorded`);
  checkNumber(r.confidence?.lo, `${who}: confidence.lo`);
  checkNumber(r.confidence?.hi, `${who}: confidence.hi`);
  checkDecay(r.decay, who);
}

function checkAssoc(a: Association): void {
  checkString(a.from, 'association from');
  checkString(a.to, 'association to');
  checkString(a.kind, 'association kind');
  const who = `association ${JSON.stringify([a.from, a.to, a.kind])}`;
  checkNumber(a.weight, `${who}: weight`);
  checkNumber(a.confidence?.lo, `${who}: confidence.lo`);
  checkNumber(a.confidence?.hi, `${who}: confidence.hi`);
  checkNumber(a.created, `${who}: created`);
  checkNumber(a.recorded, `${who}: recorded`);
}

function checkHeaderFields(c: SegmentContent): void {
  checkString(c.space, 'space');
  const nameBytes = Buffer.byteLength(c.space, 'utf8');
  if (nameBytes < 1 || nameBytes > MAX_SPACE_NAME) throw invalid(`space name must be 1..${MAX_SPACE_NAME} UTF-8 bytes`);
  checkNumber(c.dim, 'dim', { integer: true, min: 1, max: MAX_DIM });
  checkNumber(c.segmentId, 'segmentId', { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
  checkNumber(c.minLsn, 'minLsn', { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
  checkNumber(c.maxLsn, 'maxLsn', { integer: true, min: c.minLsn, max: Number.MAX_SAFE_INTEGER });
  checkNumber(c.created, 'created');
  for (const list of ['rows', 'decayUpdates', 'tombstones', 'associations', 'assocTombstones'] as const) {
    if (!Array.isArray(c[list])) throw invalid(`${list} must be an array`);
    if (c[list].length > 0xffffffff) throw invalid(`${list}: too many entries for one segment`);
  }
}

/** Rejects ids that appear both as a decay update and as a row or tombstone of the same segment (§1). */
function checkDecayUpdateIds(rows: SegmentRow[], updates: DecayUpdate[], tombstones: string[]): void {
  if (updates.length === 0) return;
  const taken = new Set<string>(tombstones);
  for (const r of rows) taken.add(r.id);
  for (const u of updates) {
    if (taken.has(u.id)) {
      throw invalid(`decay update for ${JSON.stringify(u.id)} shares its id with a row or tombstone of the same segment`, { id: u.id });
    }
  }
}

/**
 * Validates `c` and returns it with every list in file order (sorted, unique). Lists that are
 * already sorted are reused as they are; the caller's arrays are never modified.
 */
export function normalizeContent(c: SegmentContent): SegmentContent {
  checkHeaderFields(c);
  for (const r of c.rows) checkRow(r, c.dim);
  for (const u of c.decayUpdates) { checkString(u.id, 'decay update id'); checkDecay(u.decay, `decay update ${JSON.stringify(u.id)}`); }
  for (const t of c.tombstones) checkString(t, 'tombstone id');
  for (const a of c.associations) checkAssoc(a);
  for (const t of c.assocTombstones) {
    checkString(t.from, 'association tombstone from');
    checkString(t.to, 'association tombstone to');
    if (t.kind !== null) checkString(t.kind, 'association tombstone kind');
  }
  const rows = sortUnique(c.rows, byId, 'row id', (r) => r.id);
  const decayUpdates = sortUnique(c.decayUpdates, byId, 'decay update id', (u) => u.id);
  const tombstones = sortUnique(c.tombstones, compareIds, 'tombstone id', (t) => t);
  const associations = sortUnique(c.associations, byAssoc, 'association', (a) => [a.from, a.to, a.kind]);
  const assocTombstones = sortUnique(c.assocTombstones, byAssoc, 'association tombstone', (a) => [a.from, a.to, a.kind]);
  checkDecayUpdateIds(rows, decayUpdates, tombstones);
  return { ...c, rows, decayUpdates, tombstones, associations, assocTombstones };
}
