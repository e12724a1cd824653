/**
 * Byte layout of write-ahead log files: the 32-byte file header and the 24-byte record header,
 * masked CRC32C, batch framing into FULL/FIRST/MIDDLE/LAST fragments and the checks a reader
 * applies to one record. Implements docs/wal_format.md ("File header", "Records").
 */
import { Buffer } from 'node:buffer';
import { crc32c } from '@mnemo/native';

export const MAGIC = 'MNEMOWAL';
export const FORMAT_VERSION = 1;
export const FILE_HEADER_SIZE = 32;
export const RECORD_HEADER_SIZE = 24;
/** Largest fragment payload a reader accepts (a writer's fragmentBytes may not exceed it). */
export const MAX_FRAGMENT_BYTES = 1 << 20;
export const DEFAULT_FRAGMENT_BYTES = 64 << 10;
/** Largest encoded batch payload. */
export const MAX_BATCH_BYTES = 256 << 20;
/** Header flag: the file reuses the bytes of an earlier one (docs/wal_format.md "Recycled files"). */
export const FLAG_RECYCLED = 1;
/** Payload bytes of an END record (its own offset, u64). */
export const END_PAYLOAD_BYTES = 8;
/** Framed size of an END record. */
export const END_RECORD_SIZE = RECORD_HEADER_SIZE + END_PAYLOAD_BYTES;

export const RecordType = { Full: 1, First: 2, Middle: 3, Last: 4, End: 5 } as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

const TWO32 = 2 ** 32;
/** Largest high word of a u64 LSN that still fits Number.MAX_SAFE_INTEGER. */
const MAX_LSN_HIGH = 0x1fffff;

/** LevelDB's CRC mask: rotate right 15 bits and add a constant. */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

export interface FileHeader {
  salt: number;
  startLsn: number;
  fileNumber: number;
  /** FLAG_RECYCLED or 0 (absent = 0). */
  flags?: number;
}

export function encodeFileHeader(h: FileHeader): Uint8Array {
  const out = new Uint8Array(FILE_HEADER_SIZE);
  const v = new DataView(out.buffer);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  v.setUint16(8, FORMAT_VERSION, true);
  v.setUint16(10, h.flags ?? 0, true);
  v.setUint32(12, h.salt >>> 0, true);
  writeU64(v, 16, h.startLsn);
  v.setUint32(24, h.fileNumber >>> 0, true);
  v.setUint32(28, maskCrc(crc32c(out.subarray(0, 28))), true);
  return out;
}

/** Decode and check a file header; returns the reason when it is not valid. */
export function decodeFileHeader(buf: Uint8Array, fileNumber: number): FileHeader | string {
  const h = decodeHeaderFields(buf);
  if (typeof h === 'string') return h;
  if (h.fileNumber !== fileNumber % TWO32) return `file number ${h.fileNumber} does not match the file name`;
  return { ...h, fileNumber };
}

/**
 * A header that checks out but names a smaller file number than the file's name: the header of a
 * recycled file's previous life, whose new header never reached the disk (docs/wal_format.md
 * "Stale header"). Such a file holds no batches.
 */
export function isStaleHeader(buf: Uint8Array, fileNumber: number): boolean {
  const h = decodeHeaderFields(buf);
  return typeof h !== 'string' && h.fileNumber < fileNumber % TWO32;
}

/** Check CRC, magic, version, flags and start LSN; the file number is returned as stored. */
export function decodeHeaderFields(buf: Uint8Array): FileHeader | string {
  if (buf.length < FILE_HEADER_SIZE) return `file header truncated (${buf.length} of ${FILE_HEADER_SIZE} bytes)`;
  const v = view(buf);
  if (v.getUint32(28, true) !== maskCrc(crc32c(buf.subarray(0, 28)))) return 'file header checksum mismatch';
  for (let i = 0; i < MAGIC.length; i++) if (buf[i] !== MAGIC.charCodeAt(i)) return 'bad magic';
  const version = v.getUint16(8, true);
  const flags = v.getUint16(10, true);
  if (version !== FORMAT_VERSION || (flags & ~FLAG_RECYCLED) !== 0) return `unsupported WAL format version ${v.getUint32(8, true)}`;
  const startLsn = readU64(v, 16);
  if (startLsn === null || startLsn < 1) return 'start LSN out of range';
  return { salt: v.getUint32(12, true), startLsn, fileNumber: v.getUint32(24, true), flags };
}

/** The END record at `at` (docs/wal_format.md "END record"): `lsn` = the next LSN the file would hold. */
export function encodeEndRecord(at: number, lsn: number, salt: number): Uint8Array {
  const out = new Uint8Array(END_RECORD_SIZE);
  const v = view(out);
  v.setUint32(4, END_PAYLOAD_BYTES, true);
  out[8] = RecordType.End;
  v.setUint32(12, salt >>> 0, true);
  writeU64(v, 16, lsn);
  writeU64(v, RECORD_HEADER_SIZE, at);
  v.setUint32(0, maskCrc(crc32c(out.subarray(4))), true);
  return out;
}

/** Is this checksum-valid END payload the record's own offset? */
export function endPayloadMatches(payload: Uint8Array, at: number): boolean {
  if (payload.length !== END_PAYLOAD_BYTES) return false;
  return readU64(view(payload), 0) === at;
}

/** Size in bytes of a payload of `n` bytes once framed into fragments of at most `fragmentBytes`. */
export function framedSize(n: number, fragmentBytes: number): number {
  return n + Math.max(1, Math.ceil(n / fragmentBytes)) * RECORD_HEADER_SIZE;
}

/** Frame one batch payload (non-empty) into records at `out[at..]`; returns the end offset. */
export function frameBatch(out: Uint8Array, at: number, payload: Uint8Array, lsn: number, salt: number, fragmentBytes: number): number {
  const n = Math.max(1, Math.ceil(payload.length / fragmentBytes));
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let src = 0;
  let dst = at;
  for (let i = 0; i < n; i++) {
    const len = Math.min(fragmentBytes, payload.length - src);
    const type = n === 1 ? RecordType.Full : i === 0 ? RecordType.First : i === n - 1 ? RecordType.Last : RecordType.Middle;
    v.setUint32(dst + 4, len, true);
    out[dst + 8] = type;
    out[dst + 9] = out[dst + 10] = out[dst + 11] = 0;
    v.setUint32(dst + 12, salt >>> 0, true);
    writeU64(v, dst + 16, lsn);
    out.set(payload.subarray(src, src + len), dst + RECORD_HEADER_SIZE);
    const end = dst + RECORD_HEADER_SIZE + len;
    v.setUint32(dst, maskCrc(crc32c(out.subarray(dst + 4, end))), true);
    src += len;
    dst = end;
  }
  return dst;
}

export type ParsedRecord =
  | { ok: true; type: RecordType; lsn: number; payload: Uint8Array; next: number }
  | { ok: false; reason: string };

/** Check the record at `pos` against the file's salt. Never throws; never reads past `buf`. */
export function parseRecord(buf: Uint8Array, pos: number, salt: number): ParsedRecord {
  if (pos + RECORD_HEADER_SIZE > buf.length) return { ok: false, reason: 'truncated record header' };
  if (isZero(buf, pos, RECORD_HEADER_SIZE)) return { ok: false, reason: 'zero-filled record header' };
  const v = view(buf);
  const length = v.getUint32(pos + 4, true);
  if (length === 0 || length > MAX_FRAGMENT_BYTES) return { ok: false, reason: `bad record length ${length}` };
  const type = buf[pos + 8]! as RecordType;
  if (type < RecordType.Full || type > RecordType.End) return { ok: false, reason: `unknown record type ${type}` };
  if ((buf[pos + 9]! | buf[pos + 10]! | buf[pos + 11]!) !== 0) return { ok: false, reason: 'reserved bytes not zero' };
  const end = pos + RECORD_HEADER_SIZE + length;
  if (end > buf.length) return { ok: false, reason: 'truncated record' };
  if (v.getUint32(pos + 12, true) !== salt) return { ok: false, reason: 'salt mismatch (record of an earlier file)' };
  if (v.getUint32(pos, true) !== maskCrc(crc32c(buf.subarray(pos + 4, end)))) return { ok: false, reason: 'checksum mismatch' };
  const lsn = readU64(v, pos + 16);
  if (lsn === null || lsn < 1) return { ok: false, reason: 'LSN out of range' };
  return { ok: true, type, lsn, payload: buf.subarray(pos + RECORD_HEADER_SIZE, end), next: end };
}

/**
 * Count records valid under `salt` at any offset in [from, buf.length) (resynchronising scan).
 * Candidates are found by searching the salt's four bytes (Buffer.indexOf, native), so scanning
 * the stale megabytes of a recycled file costs a memory search, not a JS loop per byte.
 */
export function countValidRecords(buf: Uint8Array, from: number, salt: number): number {
  let count = 0;
  const hay = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const needle = Buffer.alloc(4);
  needle.writeUInt32LE(salt >>> 0, 0);
  for (let pos = from; pos + RECORD_HEADER_SIZE <= buf.length; ) {
    const hit = hay.indexOf(needle, pos + 12);
    if (hit < 0 || hit - 12 + RECORD_HEADER_SIZE > buf.length) break;
    pos = hit - 12;
    const r = parseRecord(buf, pos, salt);
    if (r.ok) {
      count++;
      pos = r.next;
    } else pos++;
  }
  return count;
}

function view(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

function isZero(buf: Uint8Array, at: number, n: number): boolean {
  for (let i = at; i < at + n; i++) if (buf[i] !== 0) return false;
  return true;
}

function writeU64(v: DataView, at: number, value: number): void {
  v.setUint32(at, value % TWO32, true);
  v.setUint32(at + 4, Math.floor(value / TWO32), true);
}

/** A u64 as a number, or null when it exceeds Number.MAX_SAFE_INTEGER. */
function readU64(v: DataView, at: number): number | null {
  const hi = v.getUint32(at + 4, true);
  if (hi > MAX_LSN_HIGH) return null;
  return hi * TWO32 + v.getUint32(at, true);
}
