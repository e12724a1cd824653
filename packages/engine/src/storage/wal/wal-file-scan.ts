/**
 * Scan one write-ahead log file held in memory: check the header, reassemble whole batches from
 * FULL/FIRST/MIDDLE/LAST records in LSN sequence, and say where and why the valid prefix ends and
 * how many valid records lie beyond that point. Clean ends: an all-zero remainder (preallocated
space), an END record, stale bytes of a recycled file's earlier life, and a stale header (an empty
recycled file). docs/wal_format.md "Recovery", "END record", "Stale bytes of a recycled file".
 */
import {
  FILE_HEADER_SIZE,
  MAX_BATCH_BYTES,
  RecordType,
  countValidRecords,
  decodeFileHeader,
  endPayloadMatches,
  FLAG_RECYCLED,
  isStaleHeader,
  parseRecord,
  type FileHeader,
} from './wal-format.js';

export interface ScannedBatch {
  lsn: number;
  /** Offset of the batch's first record. */
  offset: number;
  payload: Uint8Array;
}

export interface FileScan {
  header: FileHeader | null;
  batches: ScannedBatch[];
  /** End of the last complete batch (or of the header): everything before it is valid. */
  validEnd: number;
  /** Why reading stopped before the physical end; null when the file ended cleanly. */
  stop: null | { offset: number; reason: string; recordsAfter: number };
  /** The file ended at a valid END record (nothing after it was read). */
  ended: boolean;
  /** The header is a recycled file's previous one (docs/wal_format.md "Stale header"): an empty file. */
  staleHeader: boolean;
}

interface OpenBatch {
  lsn: number;
  offset: number;
  parts: Uint8Array[];
  bytes: number;
}

export function scanFile(buf: Uint8Array, fileNumber: number): FileScan {
  const header = decodeFileHeader(buf, fileNumber);
  if (typeof header === 'string') {
    const staleHeader = isStaleHeader(buf, fileNumber);
    const stop = staleHeader ? null : { offset: 0, reason: header, recordsAfter: 0 };
    return { header: null, batches: [], validEnd: 0, stop, ended: false, staleHeader };
  }
  const batches: ScannedBatch[] = [];
  let validEnd = FILE_HEADER_SIZE;
  let expected = header.startLsn;
  let open: OpenBatch | null = null;
  const done = (stop: FileScan['stop'], ended = false): FileScan => ({ header, batches, validEnd, stop, ended, staleHeader: false });
  const stopAt = (offset: number, reason: string): FileScan => {
    const recordsAfter = countValidRecords(buf, offset, header.salt);
    if (open === null && recordsAfter === 0 && staleAt(buf, offset, header)) return done(null);
    return done({ offset, reason, recordsAfter });
  };
  for (let pos = FILE_HEADER_SIZE; pos < buf.length; ) {
    const r = parseRecord(buf, pos, header.salt);
    // Nothing but zeroes after the last complete batch: preallocated space, the clean end of the log.
    if (!r.ok && open === null && allZero(buf, pos)) return done(null);
    if (!r.ok) return stopAt(pos, r.reason);
    if (r.type === RecordType.End) {
      if (open === null && r.lsn === expected && endPayloadMatches(r.payload, pos)) return done(null, true);
      return stopAt(pos, `END record out of place (LSN ${r.lsn}, expected ${expected}${open !== null ? ', inside a batch' : ''})`);
    }
    const problem = sequenceProblem(r.type, r.lsn, expected, open);
    if (problem !== null) return stopAt(pos, problem);
    if (r.type === RecordType.Full || r.type === RecordType.First) open = { lsn: r.lsn, offset: pos, parts: [], bytes: 0 };
    open!.parts.push(r.payload);
    open!.bytes += r.payload.length;
    if (open!.bytes > MAX_BATCH_BYTES) return stopAt(pos, 'batch larger than the format allows');
    if (r.type === RecordType.Full || r.type === RecordType.Last) {
      batches.push({ lsn: open!.lsn, offset: open!.offset, payload: join(open!.parts, open!.bytes) });
      open = null;
      expected++;
      validEnd = r.next;
    }
    pos = r.next;
  }
  if (open !== null) return done({ offset: open.offset, reason: 'batch without commit marker (no LAST record) at end of file', recordsAfter: 0 });
  return done(null);
}

/**
 * In a recycled file, do the bytes at `pos` belong to an earlier life? True when a record header's
 * salt field fits before the end of the file and does not hold this file's salt. The file ending
 * sooner is not stale: stale bytes reach the old file's end, a file is never shorter than that, so
 * this is a torn write that extended the file, or damage. The caller has checked that no batch is
 * open and no valid record of this salt follows. docs/wal_format.md "Stale bytes".
 */
function staleAt(buf: Uint8Array, pos: number, header: FileHeader): boolean {
  if (((header.flags ?? 0) & FLAG_RECYCLED) === 0) return false;
  if (pos + 16 > buf.length) return false;
  const salt = buf[pos + 12]! | (buf[pos + 13]! << 8) | (buf[pos + 14]! << 16) | (buf[pos + 15]! << 24);
  return salt >>> 0 !== header.salt >>> 0;
}

/** Why a (checksum-valid) record cannot come next, or null when it can. */
function sequenceProblem(type: RecordType, lsn: number, expected: number, open: OpenBatch | null): string | null {
  if (type === RecordType.Full || type === RecordType.First) {
    if (open !== null) return `new batch (LSN ${lsn}) inside batch ${open.lsn} before its LAST record`;
    if (lsn !== expected) return `LSN ${lsn} out of sequence (expected ${expected})`;
    return null;
  }
  if (open === null) return `${type === RecordType.Middle ? 'MIDDLE' : 'LAST'} record without FIRST`;
  if (lsn !== open.lsn) return `fragment of LSN ${lsn} inside batch ${open.lsn}`;
  return null;
}

function allZero(buf: Uint8Array, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

function join(parts: Uint8Array[], bytes: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(bytes);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
