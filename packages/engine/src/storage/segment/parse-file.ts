/**
 * Validates the frame of a mapped segment file — trailer, header, directory, and the checksums
 * (v1: every section CRC; v2: the block table, whose runs of block CRCs the sections are verified
 * against later) — before anything trusts a count (docs/segment_format.md §4 steps 1–6). Produces
 * the header facts and the location (and block CRCs) of every section; structure checks follow in
 * the columns.
 */
import { crc32c } from '@mnemo/native';
import { corruption } from './corruption.js';
import {
  ALIGN, DIR_ENTRY_SIZE, FLAG_U64_OFFSETS, FORMAT_VERSION, H, HEADER_MAGIC, MAX_BLOCK_SHIFT, MAX_DIM, MAX_HEADER,
  MAX_RECENT_K, MAX_SPACE_NAME, META_ENCODING_MSGPACK, MIN_BLOCK_SHIFT, MIN_FILE, MIN_HEADER, S, SECTION_NAMES, T,
  TRAILER_MAGIC, TRAILER_SIZE, alignUp, sectionCount,
} from './layout.js';
import type { HeaderFields } from './header.js';
import { expectedLength, isOffsetsSection } from './section-lengths.js';

/** A parsed header: the fields the writer records, the recent-window size, and the trailer CRC. */
export interface SegmentHeader extends HeaderFields {
  /** File format version, 1 or 2. */
  version: number;
  /** v2: log2 of the block size (0 for v1). */
  blockShift: number;
  recentK: number;
  /** Trailer CRC. */
  checksum: number;
}

export interface SectionRef {
  id: number;
  flags: number;
  offset: number;
  length: number;
  /** v2: the section's run of block CRCs (a view of the verified block table); null when verified at open (v1). */
  blocks: Uint32Array | null;
}

export interface ParsedSegment {
  header: SegmentHeader;
  sections: Map<number, SectionRef>;
}

export interface Expect {
  bytes?: number;
  checksum?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function u64(v: DataView, at: number, path: string, where: string, what: string): number {
  const n = v.getBigUint64(at, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw corruption(path, where, `${what} ${n} is out of range`);
  return Number(n);
}

function zeros(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

interface Trailer { version: number; dirOffset: number; dirLength: number; sections: number; dirCrc: number; headerCrc: number; checksum: number }

const badVersion = (v: number): string => `unsupported format version ${v} (this build reads 1 and ${FORMAT_VERSION})`;

function parseTrailer(path: string, b: Uint8Array, size: number, expect: Expect): Trailer {
  const at = size - TRAILER_SIZE;
  const v = new DataView(b.buffer, b.byteOffset + at, TRAILER_SIZE);
  if (v.getUint32(T.magic, true) !== TRAILER_MAGIC) throw corruption(path, 'trailer', 'bad magic (not a segment file, or truncated)');
  const checksum = v.getUint32(T.crc, true);
  if (crc32c(b.subarray(at, at + T.crc)) !== checksum) throw corruption(path, 'trailer', 'checksum mismatch');
  if (expect.checksum !== undefined && expect.checksum !== checksum) {
    throw corruption(path, 'trailer', `checksum ${checksum} differs from the expected ${expect.checksum}`);
  }
  const version = v.getUint32(T.version, true);
  if (version !== 1 && version !== FORMAT_VERSION) throw corruption(path, 'trailer', badVersion(version));
  if (u64(v, T.fileLength, path, 'trailer', 'file length') !== size) throw corruption(path, 'trailer', `records a file length other than the actual ${size} bytes`);
  if (!zeros(b, at + T.reserved, at + T.magic)) throw corruption(path, 'trailer', 'reserved bytes are not zero');
  return {
    version,
    dirOffset: u64(v, T.dirOffset, path, 'trailer', 'directory offset'),
    dirLength: u64(v, T.dirLength, path, 'trailer', 'directory length'),
    sections: v.getUint32(T.sections, true),
    dirCrc: v.getUint32(T.dirCrc, true),
    headerCrc: v.getUint32(T.headerCrc, true),
    checksum,
  };
}

function headerFrame(path: string, b: Uint8Array, size: number, tr: Trailer): DataView {
  const v = new DataView(b.buffer, b.byteOffset, size);
  for (let i = 0; i < HEADER_MAGIC.length; i++) if (b[i] !== HEADER_MAGIC[i]) throw corruption(path, 'header', 'bad magic');
  const version = v.getUint32(H.version, true);
  if (version !== 1 && version !== FORMAT_VERSION) throw corruption(path, 'header', badVersion(version));
  if (version !== tr.version) throw corruption(path, 'header', `version ${version} differs from the trailer's ${tr.version}`);
  const len = v.getUint32(H.headerLength, true);
  if (len < MIN_HEADER || len > MAX_HEADER || len % ALIGN !== 0 || len > size - TRAILER_SIZE) {
    throw corruption(path, 'header', `header length ${len} is invalid`);
  }
  const crc = v.getUint32(len - 4, true);
  if (crc32c(b.subarray(0, len - 4)) !== crc) throw corruption(path, 'header', 'checksum mismatch');
  if (crc !== tr.headerCrc) throw corruption(path, 'header', 'checksum differs from the copy in the trailer');
  return new DataView(b.buffer, b.byteOffset, len);
}

function parseHeader(path: string, b: Uint8Array, size: number, tr: Trailer): SegmentHeader {
  const v = headerFrame(path, b, size, tr);
  const len = v.byteLength;
  const u32 = (at: number): number => v.getUint32(at, true);
  const bad = (msg: string): never => { throw corruption(path, 'header', msg); };
  if (u32(H.flags) !== 0) bad(`unknown flags ${u32(H.flags)}`);
  const nameLen = u32(H.spaceNameLength);
  if (nameLen < 1 || nameLen > MAX_SPACE_NAME || H.spaceName + nameLen > len - 4) bad(`space name length ${nameLen} is invalid`);
  const blockShift = tr.version === 1 ? 0 : u32(H.blockShift);
  if (tr.version !== 1 && (blockShift < MIN_BLOCK_SHIFT || blockShift > MAX_BLOCK_SHIFT)) bad(`block shift ${blockShift} is out of range ${MIN_BLOCK_SHIFT}..${MAX_BLOCK_SHIFT}`);
  const reservedFrom = tr.version === 1 ? H.blockShift : H.reserved;
  if (!zeros(b, reservedFrom, H.spaceName) || !zeros(b, H.spaceName + nameLen, len - 4)) bad('reserved or padding bytes are not zero');
  const dim = u32(H.dim);
  if (dim < 1 || dim > MAX_DIM) bad(`dim ${dim} is out of range 1..${MAX_DIM}`);
  const recentK = u32(H.recentK);
  if (recentK < 1 || recentK > MAX_RECENT_K) bad(`recent window ${recentK} is out of range 1..${MAX_RECENT_K}`);
  if (u32(H.metaEncoding) !== META_ENCODING_MSGPACK) bad(`unknown meta encoding ${u32(H.metaEncoding)}`);
  let space = '';
  try { space = utf8.decode(b.subarray(H.spaceName, H.spaceName + nameLen)); } catch { bad('space name is not valid UTF-8'); }
  const h: SegmentHeader = {
    version: tr.version, blockShift, space, dim, recentK, rows: u32(H.rows), decayUpdates: u32(H.decayUpdates), tombstones: u32(H.tombstones),
    associations: u32(H.associations), groups: u32(H.groups), assocTombstones: u32(H.assocTombstones), kinds: u32(H.kinds),
    minLsn: u64(v, H.minLsn, path, 'header', 'min LSN'), maxLsn: u64(v, H.maxLsn, path, 'header', 'max LSN'),
    segmentId: u64(v, H.segmentId, path, 'header', 'segment id'), created: v.getFloat64(H.created, true),
    fileLength: u64(v, H.fileLength, path, 'header', 'file length'), checksum: tr.checksum,
  };
  if (h.fileLength !== size) bad(`records file length ${h.fileLength}, the file has ${size} bytes`);
  if (h.minLsn > h.maxLsn) bad(`min LSN ${h.minLsn} exceeds max LSN ${h.maxLsn}`);
  if (!Number.isFinite(h.created)) bad(`creation time ${h.created} is not finite`);
  if (h.groups > h.associations || (h.associations > 0) !== (h.groups > 0)) bad(`association group count ${h.groups} does not fit ${h.associations} associations`);
  return h;
}

function readEntry(path: string, v: DataView, i: number, version: number): SectionRef {
  const o = i * DIR_ENTRY_SIZE;
  const where = `directory entry ${i}`;
  const id = v.getUint32(o, true);
  if (!SECTION_NAMES.has(id) || (version === 1 && id === S.blockTable)) throw corruption(path, 'directory', `entry ${i} has unknown section id ${id}`);
  const flags = v.getUint32(o + 4, true);
  const badFlags = (flags & ~FLAG_U64_OFFSETS) !== 0 || (flags !== 0 && !isOffsetsSection(id));
  if (badFlags || v.getUint32(o + 28, true) !== 0) throw corruption(path, id, 'unknown flags or nonzero reserved field');
  return { id, flags, offset: u64(v, o + 8, path, where, 'offset'), length: u64(v, o + 16, path, where, 'length'), blocks: null };
}

const blockCount = (s: SectionRef, shift: number): number => Math.ceil(alignUp(s.length) / 2 ** shift);

/**
 * v2: checks the block table's length and CRC, hands every other section its run of block CRCs
 * (zero-copy) and checks the section's directory CRC against that run (§2.5).
 */
function attachBlocks(path: string, b: Uint8Array, h: SegmentHeader, order: SectionRef[], dirCrcs: number[]): void {
  const table = order.find((s) => s.id === S.blockTable) as SectionRef;
  let total = 0;
  for (const s of order) if (s !== table) total += blockCount(s, h.blockShift);
  if (table.length !== 4 * total) throw corruption(path, S.blockTable, `length ${table.length} does not match the ${total} blocks of the other sections`);
  if (crc32c(b.subarray(table.offset, alignUp(table.offset + table.length))) !== dirCrcs[order.indexOf(table)]) {
    throw corruption(path, S.blockTable, 'checksum mismatch');
  }
  const crcs = new Uint32Array(b.buffer, b.byteOffset + table.offset, total);
  let at = 0;
  order.forEach((s, i) => {
    if (s === table) return;
    const n = blockCount(s, h.blockShift);
    s.blocks = crcs.subarray(at, at + n);
    at += n;
    if (crc32c(new Uint8Array(s.blocks.buffer, s.blocks.byteOffset, 4 * n)) !== dirCrcs[i]) {
      throw corruption(path, s.id, 'checksum of its block checksums differs from the directory');
    }
  });
}

function parseDirectory(path: string, b: Uint8Array, size: number, tr: Trailer, h: SegmentHeader, headerLen: number): Map<number, SectionRef> {
  const end = size - TRAILER_SIZE;
  if (tr.dirOffset % ALIGN !== 0 || tr.dirOffset < headerLen || tr.dirLength !== tr.sections * DIR_ENTRY_SIZE
    || alignUp(tr.dirOffset + tr.dirLength) !== end) {
    throw corruption(path, 'directory', `offset ${tr.dirOffset} / length ${tr.dirLength} / ${tr.sections} sections do not fit the file`);
  }
  const count = sectionCount(h.version);
  if (tr.sections !== count) throw corruption(path, 'directory', `has ${tr.sections} sections, version ${h.version} has ${count}`);
  if (crc32c(b.subarray(tr.dirOffset, end)) !== tr.dirCrc) throw corruption(path, 'directory', 'checksum mismatch');
  const v = new DataView(b.buffer, b.byteOffset + tr.dirOffset, tr.dirLength);
  const sections = new Map<number, SectionRef>();
  const order: SectionRef[] = [];
  const dirCrcs: number[] = [];
  let pos = headerLen;
  for (let i = 0; i < tr.sections; i++) {
    const s = readEntry(path, v, i, h.version);
    if (sections.has(s.id)) throw corruption(path, s.id, 'listed twice in the directory');
    if (s.offset !== pos || s.offset + s.length > tr.dirOffset) throw corruption(path, s.id, `offset ${s.offset} / length ${s.length} is misplaced`);
    const want = expectedLength(s.id, h, (s.flags & FLAG_U64_OFFSETS) !== 0);
    if (want !== null && want !== s.length) throw corruption(path, s.id, `length ${s.length} does not match the header's counts (expected ${want})`);
    const crc = v.getUint32(i * DIR_ENTRY_SIZE + 24, true);
    // v1: every section is verified here, whole (§4 step 6); v2: through the block table below.
    if (h.version === 1 && crc32c(b.subarray(s.offset, alignUp(s.offset + s.length))) !== crc) throw corruption(path, s.id, 'checksum mismatch');
    sections.set(s.id, s);
    order.push(s);
    dirCrcs.push(crc);
    pos = alignUp(s.offset + s.length);
  }
  if (pos !== tr.dirOffset) throw corruption(path, 'directory', 'sections do not end where the directory starts');
  if (h.version !== 1) attachBlocks(path, b, h, order, dirCrcs);
  return sections;
}

/** Steps 1 and 3–6 of §4 over the mapped bytes `b` (the whole file). */
export function parseSegment(path: string, b: Uint8Array, expect: Expect = {}): ParsedSegment {
  const size = b.length;
  if (size < MIN_FILE || size % ALIGN !== 0) throw corruption(path, 'file', `size ${size} is not a valid segment size (truncated?)`);
  if (expect.bytes !== undefined && expect.bytes !== size) throw corruption(path, 'file', `size ${size} differs from the expected ${expect.bytes}`);
  const tr = parseTrailer(path, b, size, expect);
  const header = parseHeader(path, b, size, tr);
  const headerLen = new DataView(b.buffer, b.byteOffset).getUint32(H.headerLength, true);
  return { header, sections: parseDirectory(path, b, size, tr, header, headerLen) };
}
