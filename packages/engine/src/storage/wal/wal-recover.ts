/**
 * Recovery: read the log files in order, replay whole batches with LSN > fromLsn, decide where the
 * log ends (clean end, torn tail, corruption, gap), and which files lie beyond that point and must
 * be quarantined. Reads only; Wal.open acts on the result. docs/wal_format.md "Recovery".
 */
import path from 'node:path';
import { MnemoError } from '@mnemo/native';
import type { Env } from '../env/env.js';
import { countValidRecords, decodeFileHeader, FILE_HEADER_SIZE } from './wal-format.js';
import { readAndScan, type ReadScan } from './wal-read.js';
import { decodeBatch } from './wal-payload.js';
import type { RecoveryReport, WalBatch, WalStop } from './wal-types.js';

export interface LogFile {
  number: number;
  name: string;
  startLsn: number;
}

export interface Recovered {
  batches: WalBatch[];
  report: RecoveryReport;
  /** Files that remain part of the log, oldest first. */
  kept: LogFile[];
  /** File names beyond the stop point (to move to lost/). */
  beyond: string[];
  maxFileNumber: number;
}

const LOG_NAME = /^(\d{6,})\.log$/;

export function logFileName(n: number): string {
  return `${String(n).padStart(6, '0')}.log`;
}

/** Log files of `dir` in ascending number order (an absent directory has none). */
export async function listLogFiles(env: Env, dir: string): Promise<Array<{ number: number; name: string }>> {
  if ((await env.stat(dir)) === null) return [];
  const out: Array<{ number: number; name: string }> = [];
  for (const name of await env.readdir(dir)) {
    const m = LOG_NAME.exec(name);
    if (m) out.push({ number: Number(m[1]), name });
  }
  return out.sort((a, b) => a.number - b.number);
}

/** Does a file starting at `start` continue a log that ended at `last`? (docs/wal_format.md "LSNs") */
export function continues(last: number, start: number, fromLsn: number): boolean {
  return start >= last + 1 && start <= Math.max(last, fromLsn) + 1;
}

/** Mutable state of one recovery pass. */
interface Pass {
  env: Env;
  dir: string;
  fromLsn: number;
  files: Array<{ number: number; name: string }>;
  report: RecoveryReport;
  batches: WalBatch[];
  kept: LogFile[];
  /** LSN the log has reached so far. */
  last: number;
  /** The next file, when a stop decision already read it. */
  nextRead: ReadScan | null;
}

export async function recover(env: Env, dir: string, fromLsn: number, strict: boolean): Promise<Recovered> {
  const files = await listLogFiles(env, dir);
  const report: RecoveryReport = {
    files: [], batchesReplayed: 0, batchesSkipped: 0, lastLsn: fromLsn, end: null, ignoredTails: [], quarantined: [],
  };
  const pass: Pass = { env, dir, fromLsn, files, report, batches: [], kept: [], last: 0, nextRead: null };
  for (let i = 0; i < files.length && report.end === null; i++) await readFile(pass, i);
  report.batchesReplayed = pass.batches.length;
  report.lastLsn = Math.max(pass.last, fromLsn);
  if (strict && report.end !== null) throw strictError(report.end);
  const keptNames = new Set(pass.kept.map((k) => k.name));
  const beyond = files.filter((f) => !keptNames.has(f.name)).map((f) => f.name);
  const maxFileNumber = files.length > 0 ? files[files.length - 1]!.number : 0;
  return { batches: pass.batches, report, kept: pass.kept, beyond, maxFileNumber };
}

/** Read file i: check that it continues the log, replay its batches, decide what its end means. */
async function readFile(pass: Pass, i: number): Promise<void> {
  const f = pass.files[i]!;
  const { buf, scan } = pass.nextRead ?? (await readAndScan(pass.env, path.join(pass.dir, f.name), f.number));
  pass.nextRead = null;
  if (scan.header !== null && !continues(pass.last, scan.header.startLsn, pass.fromLsn)) {
    const why = `file starts at LSN ${scan.header.startLsn} but the log before it ends at LSN ${pass.last}`;
    pass.report.end = await stopHere(pass, 'gap', f.name, 0, why, 0, 0, i);
    return;
  }
  pass.report.files.push(f.name);
  if (scan.header !== null) pass.last = Math.max(pass.last, scan.header.startLsn - 1);
  for (const b of scan.batches) {
    if (b.lsn > pass.fromLsn) pass.batches.push({ lsn: b.lsn, ops: decodeBatch(b.payload, { file: f.name, offset: b.offset }) });
    else pass.report.batchesSkipped++;
    pass.last = b.lsn;
  }
  pass.kept.push({ number: f.number, name: f.name, startLsn: scan.header?.startLsn ?? pass.last + 1 });
  if (scan.stop === null) return;
  const next = pass.files[i + 1];
  if (next !== undefined) {
    pass.nextRead = await readAndScan(pass.env, path.join(pass.dir, next.name), next.number);
    const { header: nh, staleHeader } = pass.nextRead.scan;
    // A stale header (recycled, new header never landed) holds nothing: it continues any log.
    if (staleHeader || (nh !== null && continues(pass.last, nh.startLsn, pass.fromLsn))) {
      pass.report.ignoredTails.push({ file: f.name, offset: scan.validEnd, bytes: buf.length - scan.validEnd });
      return;
    }
  }
  const kind = scan.stop.recordsAfter > 0 || next !== undefined ? 'corruption' : 'tail';
  const dropped = buf.length - scan.validEnd;
  pass.report.end = await stopHere(pass, kind, f.name, scan.stop.offset, scan.stop.reason, dropped, scan.stop.recordsAfter, i + 1);
}

/** Build the stop record, adding what the later files hold to the dropped totals. */
async function stopHere(
  pass: Pass, kind: WalStop['kind'], file: string, offset: number, reason: string, bytes: number, records: number, laterFrom: number,
): Promise<WalStop> {
  for (const f of pass.files.slice(laterFrom)) {
    const buf = await pass.env.readFile(path.join(pass.dir, f.name));
    bytes += buf.length;
    const h = decodeFileHeader(buf, f.number);
    if (typeof h !== 'string') records += countValidRecords(buf, FILE_HEADER_SIZE, h.salt);
  }
  return { kind, file, offset, reason, bytesDropped: bytes, recordsDropped: records };
}

function strictError(end: WalStop): MnemoError {
  return new MnemoError(
    'CORRUPTION',
    `write-ahead log ${end.file} at offset ${end.offset}: ${end.reason} (${end.kind}; ${end.recordsDropped} valid records after it). ` +
      'Open without strict mode to recover the valid prefix.',
    { file: end.file, offset: end.offset, kind: end.kind },
  );
}
