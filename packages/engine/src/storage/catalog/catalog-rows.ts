/**
 * Mapping between catalog table rows (snake_case SQL columns) and the typed rows of
 * catalog-types.ts, with the checks applied to values before they are bound as parameters.
 */
import path from 'node:path';
import { MnemoError } from '@mnemo/native';
import type { JobRow, SegmentRow } from './catalog-types.js';
import { parseStoredJson } from './catalog-errors.js';

export interface SqlSegment {
  id: number; space: string; level: number; path: string; rows: number; bytes: number;
  min_lsn: number; max_lsn: number; checksum: number; hnsw_path: string | null; created: number;
}

export interface SqlJob {
  id: number; kind: string; space: string | null; spec: string; interval_ms: number | null;
  threshold: number | null; last_run: number | null; next_run: number | null; created: number;
}

/** A segment row read back; a value no writer could have stored means the file was damaged. */
export function segmentFromSql(r: SqlSegment, file: string): SegmentRow {
  const bad = (why: string): MnemoError =>
    new MnemoError('CORRUPTION', `catalog ${file}: segment ${r.id} ${why}; restore it from a backup`, { path: file });
  for (const [name, v] of [['level', r.level], ['rows', r.rows], ['bytes', r.bytes], ['min_lsn', r.min_lsn], ['max_lsn', r.max_lsn], ['checksum', r.checksum]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw bad(`has ${name} ${String(v)}`);
  }
  if (r.min_lsn > r.max_lsn) throw bad(`has min_lsn ${r.min_lsn} > max_lsn ${r.max_lsn}`);
  storedPath(r.path, bad);
  if (r.hnsw_path !== null) storedPath(r.hnsw_path, bad);
  return {
    id: r.id, space: r.space, level: r.level, path: r.path, rows: r.rows, bytes: r.bytes, minLsn: r.min_lsn,
    maxLsn: r.max_lsn, checksum: r.checksum, hnswPath: r.hnsw_path, created: r.created,
  };
}

/** Named parameters for an INSERT of a segment row, after validation. */
export function segmentToSql(s: SegmentRow): SqlSegment {
  const intField = (name: string, v: unknown): number => {
    if (!Number.isSafeInteger(v) || (v as number) < 0) throw invalid(`segment ${s.id}: ${name} must be a non-negative integer (got ${String(v)})`);
    return v as number;
  };
  intField('id', s.id);
  if (s.minLsn > s.maxLsn) throw invalid(`segment ${s.id}: minLsn ${s.minLsn} > maxLsn ${s.maxLsn}`);
  return {
    id: s.id, space: s.space, level: intField('level', s.level), path: relativePath(s.path), rows: intField('rows', s.rows),
    bytes: intField('bytes', s.bytes), min_lsn: intField('minLsn', s.minLsn), max_lsn: intField('maxLsn', s.maxLsn),
    checksum: intField('checksum', s.checksum), hnsw_path: s.hnswPath === null ? null : relativePath(s.hnswPath),
    created: intField('created', s.created),
  };
}

export function jobFromSql(r: SqlJob, file: string): JobRow {
  return {
    id: r.id, kind: r.kind, space: r.space, spec: parseStoredJson(r.spec, file, `job ${r.id} spec`), intervalMs: r.interval_ms,
    threshold: r.threshold, lastRun: r.last_run, nextRun: r.next_run, created: r.created,
  };
}

/** A path inside the database directory, in normalised '/'-separated relative form. */
export function relativePath(p: string): string {
  const norm = path.posix.normalize(String(p).replaceAll('\\', '/'));
  if (!isInside(norm)) throw invalid(`catalog paths must be relative to the database directory (got '${p}')`);
  return norm;
}

/** A stored path must still be one relativePath() returns; `bad` makes the CORRUPTION error. */
export function storedPath(p: unknown, bad: (why: string) => MnemoError): string {
  if (typeof p !== 'string' || !isInside(p) || path.posix.normalize(p) !== p) throw bad(`names the path '${String(p)}' outside the database directory`);
  return p;
}

function isInside(norm: string): boolean {
  return !(norm === '' || norm === '.' || path.posix.isAbsolute(norm) || norm === '..' || norm.startsWith('../'));
}

const JOB_TYPES: Record<string, 'string' | 'string?' | 'number' | 'number?' | 'json'> = {
  kind: 'string', space: 'string?', spec: 'json', intervalMs: 'number?', threshold: 'number?', lastRun: 'number?', nextRun: 'number?',
  created: 'number',
};

/** Check the job fields present in `job` (all of them when `complete`) before they are bound. */
export function checkJobFields(job: Record<string, unknown>, complete: boolean): void {
  for (const [key, type] of Object.entries(JOB_TYPES)) {
    if (!complete && !Object.hasOwn(job, key)) continue;
    const v = job[key];
    const ok = type === 'json' ? v !== undefined
      : v === null ? type.endsWith('?')
        : type.startsWith('number') ? typeof v === 'number' && Number.isFinite(v) : typeof v === 'string';
    if (!ok) throw invalid(`job ${key} must be ${type.startsWith('number') ? 'a finite number' : type === 'json' ? 'JSON-serialisable' : 'a string'}${type.endsWith('?') ? ' or null' : ''} (got ${JSON.stringify(v) ?? String(v)})`);
  }
}

export function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    // BigInt or a cycle: the caller's value, not the disk (was reported as IO_ERROR)
    throw invalid(`${what} must be JSON-serialisable (${(e as Error).message})`);
  }
  if (text === undefined) throw invalid(`${what} must be JSON-serialisable`);
  return text;
}

export function invalid(message: string): MnemoError {
  return new MnemoError('INVALID_ARGUMENT', message);
}
