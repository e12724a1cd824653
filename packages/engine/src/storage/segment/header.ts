/**
 * Encodes the header block and the trailer of a segment file (§2.1, §2.2 of
 * docs/segment_format.md), always in the current version (2). Decoding and validation live in
 * parse-file.ts.
 */
import { crc32c } from '@mnemo/native';
import { FORMAT_VERSION, H, HEADER_FIXED, HEADER_MAGIC, META_ENCODING_MSGPACK, T, TRAILER_MAGIC, TRAILER_SIZE, alignUp } from './layout.js';

/** The scalar facts a header records. */
export interface HeaderFields {
  space: string;
  dim: number;
  rows: number;
  decayUpdates: number;
  tombstones: number;
  associations: number;
  groups: number;
  assocTombstones: number;
  kinds: number;
  minLsn: number;
  maxLsn: number;
  segmentId: number;
  created: number;
  fileLength: number;
  /** Window slots K of the decay blocks (1..MAX_RECENT_K): the longest window among the entries. */
  recentK: number;
}

/** Header block length for a space name of `nameBytes` UTF-8 bytes. */
export function headerLength(nameBytes: number): number {
  return alignUp(HEADER_FIXED + nameBytes + 4);
}

/** The header block; `blockShift`: log2 of the block size of the block table (§2.5). */
export function encodeHeader(f: HeaderFields, blockShift: number): Uint8Array {
  const name = Buffer.from(f.space, 'utf8');
  const len = headerLength(name.length);
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  out.set(HEADER_MAGIC, H.magic);
  v.setUint32(H.version, FORMAT_VERSION, true);
  v.setUint32(H.flags, 0, true);
  v.setUint32(H.headerLength, len, true);
  v.setUint32(H.spaceNameLength, name.length, true);
  v.setUint32(H.dim, f.dim, true);
  v.setUint32(H.recentK, f.recentK, true);
  v.setUint32(H.metaEncoding, META_ENCODING_MSGPACK, true);
  v.setUint32(H.rows, f.rows, true);
  v.setUint32(H.decayUpdates, f.decayUpdates, true);
  v.setUint32(H.tombstones, f.tombstones, true);
  v.setUint32(H.associations, f.associations, true);
  v.setUint32(H.groups, f.groups, true);
  v.setUint32(H.assocTombstones, f.assocTombstones, true);
  v.setUint32(H.kinds, f.kinds, true);
  v.setBigUint64(H.minLsn, BigInt(f.minLsn), true);
  v.setBigUint64(H.maxLsn, BigInt(f.maxLsn), true);
  v.setBigUint64(H.segmentId, BigInt(f.segmentId), true);
  v.setFloat64(H.created, f.created, true);
  v.setBigUint64(H.fileLength, BigInt(f.fileLength), true);
  v.setUint32(H.blockShift, blockShift, true);
  out.set(name, H.spaceName);
  v.setUint32(len - 4, crc32c(out.subarray(0, len - 4)), true);
  return out;
}

export interface TrailerFields {
  dirOffset: number;
  dirLength: number;
  sections: number;
  dirCrc: number;
  fileLength: number;
  headerCrc: number;
}

export function encodeTrailer(f: TrailerFields): Uint8Array {
  const out = new Uint8Array(TRAILER_SIZE);
  const v = new DataView(out.buffer);
  v.setBigUint64(T.dirOffset, BigInt(f.dirOffset), true);
  v.setBigUint64(T.dirLength, BigInt(f.dirLength), true);
  v.setUint32(T.sections, f.sections, true);
  v.setUint32(T.dirCrc, f.dirCrc, true);
  v.setBigUint64(T.fileLength, BigInt(f.fileLength), true);
  v.setUint32(T.headerCrc, f.headerCrc, true);
  v.setUint32(T.version, FORMAT_VERSION, true);
  v.setUint32(T.magic, TRAILER_MAGIC, true);
  v.setUint32(T.crc, crc32c(out.subarray(0, T.crc)), true);
  return out;
}
