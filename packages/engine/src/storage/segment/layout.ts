/**
 * Byte layout constants of the segment file (`data.seg`, version 2; version 1 still read): magic
 * numbers, header and trailer field offsets, section ids, the section table and the block size
 * bounds of the v2 block table. Implements docs/segment_format.md §2.
 */

export const SEGMENT_FILE_NAME = 'data.seg';
/** The version the writer produces; the reader accepts 1 and 2. */
export const FORMAT_VERSION = 2;
/** v2 block size = 2^shift bytes (header offset 104). */
export const DEFAULT_BLOCK_SHIFT = 16;
export const MIN_BLOCK_SHIFT = 6;
export const MAX_BLOCK_SHIFT = 24;
/** "MNEMOSEG" */
export const HEADER_MAGIC = Uint8Array.from([0x4d, 0x4e, 0x45, 0x4d, 0x4f, 0x53, 0x45, 0x47]);
export const TRAILER_MAGIC = 0x4d534547;
export const ALIGN = 64;
export const TRAILER_SIZE = 64;
export const DIR_ENTRY_SIZE = 32;
export const HEADER_FIXED = 128;
export const MIN_HEADER = 192;
export const MAX_HEADER = 8192;
export const MAX_SPACE_NAME = 4096;
export const MIN_FILE = 256;
export const MAX_DIM = 4096;
export const MAX_RECENT_K = 64;
export const META_ENCODING_MSGPACK = 1;
export const NULL_KIND = 0xffffffff;
/** Directory entry flag: the offsets section holds u64 values. */
export const FLAG_U64_OFFSETS = 1;

/** Header field offsets (§2.1). */
export const H = {
  magic: 0, version: 8, flags: 12, headerLength: 16, spaceNameLength: 20, dim: 24, recentK: 28,
  metaEncoding: 32, rows: 36, decayUpdates: 40, tombstones: 44, associations: 48, groups: 52,
  assocTombstones: 56, kinds: 60, minLsn: 64, maxLsn: 72, segmentId: 80, created: 88,
  fileLength: 96, blockShift: 104, reserved: 108, spaceName: 128,
} as const;

/** Trailer field offsets (§2.2), relative to fileLength − 64. */
export const T = {
  dirOffset: 0, dirLength: 8, sections: 16, dirCrc: 20, fileLength: 24, headerCrc: 32,
  version: 36, reserved: 40, magic: 56, crc: 60,
} as const;

/** Section ids (§2.4). */
export const S = {
  rowIdOff: 1, rowIdBytes: 2, contentOff: 3, contentBytes: 4, embedding: 5, created: 6,
  recorded: 7, kind: 8, confLo: 9, confHi: 10, metaOff: 11, metaBytes: 12,
  rowDecay: 16, duIdOff: 32, duIdBytes: 33, duDecay: 48, tombIdOff: 64, tombIdBytes: 65,
  kindOff: 80, kindBytes: 81, fromOff: 96, fromBytes: 97, groupStart: 98, toOff: 99,
  toBytes: 100, assocKind: 101, weight: 102, aConfLo: 103, aConfHi: 104, aCreated: 105,
  aRecorded: 106, atFromOff: 112, atFromBytes: 113, atToOff: 114, atToBytes: 115, atKind: 116,
  blockTable: 120,
} as const;

/** Offsets (relative to a decay block's base id) of the seven decay columns. */
export const DECAY = { count: 0, first: 1, last: 2, recentLen: 3, times: 4, decays: 5, older: 6 } as const;

const DECAY_NAMES = ['count', 'first', 'last', 'recent length', 'recent times', 'recent decays', 'older decay'];

/** Human-readable name of every section id, in file order (the writer emits them in this order). */
export const SECTION_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [S.rowIdOff, 'row id offsets'], [S.rowIdBytes, 'row id bytes'],
  [S.contentOff, 'content offsets'], [S.contentBytes, 'content bytes'],
  [S.embedding, 'embedding'], [S.created, 'created'], [S.recorded, 'recorded'], [S.kind, 'kind'],
  [S.confLo, 'confidence lo'], [S.confHi, 'confidence hi'],
  [S.metaOff, 'meta offsets'], [S.metaBytes, 'meta bytes'],
  ...DECAY_NAMES.map((n, i): [number, string] => [S.rowDecay + i, `row decay ${n}`]),
  [S.duIdOff, 'decay update id offsets'], [S.duIdBytes, 'decay update id bytes'],
  ...DECAY_NAMES.map((n, i): [number, string] => [S.duDecay + i, `decay update ${n}`]),
  [S.tombIdOff, 'tombstone id offsets'], [S.tombIdBytes, 'tombstone id bytes'],
  [S.kindOff, 'kind dictionary offsets'], [S.kindBytes, 'kind dictionary bytes'],
  [S.fromOff, 'association from offsets'], [S.fromBytes, 'association from bytes'],
  [S.groupStart, 'association group start'], [S.toOff, 'association to offsets'],
  [S.toBytes, 'association to bytes'], [S.assocKind, 'association kind'],
  [S.weight, 'association weight'], [S.aConfLo, 'association confidence lo'],
  [S.aConfHi, 'association confidence hi'], [S.aCreated, 'association created'],
  [S.aRecorded, 'association recorded'],
  [S.atFromOff, 'association tombstone from offsets'], [S.atFromBytes, 'association tombstone from bytes'],
  [S.atToOff, 'association tombstone to offsets'], [S.atToBytes, 'association tombstone to bytes'],
  [S.atKind, 'association tombstone kind'],
  [S.blockTable, 'block table'],
]);

/** Number of sections a file of `version` has (v2 adds the block table). */
export function sectionCount(version: number): number {
  return version === 1 ? SECTION_NAMES.size - 1 : SECTION_NAMES.size;
}

export function sectionName(id: number): string {
  return SECTION_NAMES.get(id) ?? `unknown section ${id}`;
}

export function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
