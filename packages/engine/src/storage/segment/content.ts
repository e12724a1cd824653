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

/** Hot-path check (one call per value of a million-row flush): messages are built only on failure. */
const fin = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

function badNumber(who: string, field: string, v: unknown): MnemoError {
  return invalid(`${who}: ${field} must be a finite number, got ${String(v)}`);
}

/** A string with a UTF-8 form: a lone surrogate would be written as U+FFFD and read back different. */
const isText = (v: unknown): v is string =>
  typeof v === 'string' && (v as unknown as { isWellFormed(): boolean }).isWellFormed();

function checkString(v: unknown, what: string): void {
  if (typeof v !== 'string') throw invalid(`${what} must be a string, got ${typeof v}`);
  if (!isText(v)) throw invalid(`${what} contains a lone UTF-16 surrogate`);
}

/** Validates a DecayState against the format's limits (window ≤ RECENT_PRESENTATIONS, count u32). */
export function checkDecay(d: DecayState, who: () => string): void {
  if (d === null || typeof d !== 'object') throw invalid(`${who()}: decay state missing`);
  const c = d.count;
  if (!(typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 0xffffffff)) {
    throw invalid(`${who()}: decay.count must be an integer 0..2³²−1, got ${String(c)}`);
  }
  if (!fin(d.first)) throw badNumber(who(), 'decay.first', d.first);
  if (!fin(d.last)) throw badNumber(who(), 'decay.last', d.last);
  if (!fin(d.olderDecay)) throw badNumber(who(), 'decay.olderDecay', d.olderDecay);
  const t = d.recentTimes;
  const k = d.recentDecays;
  if (!Array.isArray(t) || !Array.isArray(k) || t.length !== k.length || t.length > RECENT_PRESENTATIONS) {
    throw invalid(`${who()}: decay.recentTimes and recentDecays must be arrays of equal length ≤ ${RECENT_PRESENTATIONS}`);
  }
  for (let i = 0; i < t.length; i++) {
    if (!fin(t[i])) throw badNumber(who(), `decay.recentTimes[${i}]`, t[i]);
    if (!fin(k[i])) throw badNumber(who(), `decay.recentDecays[${i}]`, k[i]);
  }
}

function checkRow(r: SegmentRow, dim: number): void {
  checkString(r.id, 'row id');
  const who = (): string => `row ${JSON.stringify(r.id)}`;
  if (!isText(r.content)) checkString(r.content, `${who()}: content`);
  if (!(r.embedding instanceof Float32Array) || r.embedding.length !== dim) {
    throw new MnemoError('DIMENSION_MISMATCH', `segment content: ${who()}: embedding must be a Float32Array of length ${dim}`,
      { id: r.id, expected: dim, got: (r.embedding as { length?: number } | undefined)?.length ?? null });
  }
  if (r.kind !== 'episodic' && r.kind !== 'semantic') throw invalid(`${who()}: kind must be 'episodic' or 'semantic'`);
  if (!fin(r.created)) throw badNumber(who(), 'created', r.created);
  if (!fin(r.recorded)) throw badNumber(who(), 'recorded', r.recorded);
  if (!fin(r.confidence?.lo)) throw badNumber(who(), 'confidence.lo', r.confidence?.lo);
  if (!fin(r.confidence?.hi)) throw badNumber(who(), 'confidence.hi', r.confidence?.hi);
  checkDecay(r.decay, who);
}

function checkAssoc(a: Association): void {
  checkString(a.from, 'association from');
  checkString(a.to, 'association to');
  checkString(a.kind, 'association kind');
  const who = (): string => `association ${JSON.stringify([a.from, a.to, a.kind])}`;
  if (!fin(a.weight)) throw badNumber(who(), 'weight', a.weight);
  if (!fin(a.confidence?.lo)) throw badNumber(who(), 'confidence.lo', a.confidence?.lo);
  if (!fin(a.confidence?.hi)) throw badNumber(who(), 'confidence.hi', a.confidence?.hi);
  if (!fin(a.created)) throw badNumber(who(), 'created', a.created);
  if (!fin(a.recorded)) throw badNumber(who(), 'recorded', a.recorded);
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
  for (const u of c.decayUpdates) { checkString(u.id, 'decay update id'); checkDecay(u.decay, () => `decay update ${JSON.stringify(u.id)}`); }
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
