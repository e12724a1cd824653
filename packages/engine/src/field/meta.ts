/**
 * The FIELD metadata file (docs/field_format.md "Metadata file"): encoding with a CRC32C,
 * validation on read (any mismatch → CORRUPTION naming the file) and the atomic create
 * (FIELD.tmp + fsync + rename + directory fsync).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MnemoError } from '@mnemo/native';
import { dtypeByCode, type Dtype, DTYPES } from './dtype.js';
import { CHUNK_HEADER_BYTES, MAX_CHUNK_BYTES, MAX_RANK, makeLayout, type Layout } from './layout.js';
import { crc32c, fsyncDir, sys, writeFileDurably } from './io.js';

export const META_FILE = 'FIELD';
const MAGIC = 'MNEMOFLD';
const VERSION = 1;

export interface FieldMeta {
  readonly dtype: Dtype;
  readonly fieldId: bigint;
  readonly layout: Layout;
}

export function metaSize(rank: number): number {
  return 44 + 8 * rank;
}

export function newFieldId(): bigint {
  return randomBytes(8).readBigUInt64LE(0);
}

export function encodeMeta(meta: FieldMeta): Uint8Array {
  const { layout } = meta;
  const bytes = new Uint8Array(metaSize(layout.rank));
  const dv = new DataView(bytes.buffer);
  bytes.set(Buffer.from(MAGIC, 'ascii'), 0);
  dv.setUint32(8, VERSION, true);
  dv.setUint32(12, bytes.length, true);
  dv.setUint8(16, DTYPES[meta.dtype].code);
  dv.setUint8(17, layout.rank);
  dv.setUint32(20, CHUNK_HEADER_BYTES, true);
  dv.setBigUint64(24, BigInt(layout.chunkBytes), true);
  dv.setBigUint64(32, meta.fieldId, true);
  layout.shape.forEach((d, k) => dv.setBigUint64(40 + 8 * k, BigInt(d), true));
  const end = 40 + 8 * layout.rank;
  dv.setUint32(end, crc32c(bytes.subarray(0, end)), true);
  return bytes;
}

function corrupt(file: string, why: string): MnemoError {
  return new MnemoError('CORRUPTION', `field metadata ${file} is corrupt: ${why}`, { path: file });
}

/** Decode and validate metadata bytes read from `file`. */
export function decodeMeta(bytes: Uint8Array, file: string): FieldMeta {
  if (bytes.length < 48) throw corrupt(file, `${bytes.length} bytes is too short`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== MAGIC) throw corrupt(file, 'bad magic');
  const rank = dv.getUint8(17);
  if (rank < 1 || rank > MAX_RANK) throw corrupt(file, `rank ${rank} out of range`);
  const size = metaSize(rank);
  if (dv.getUint32(12, true) !== size || bytes.length !== size) throw corrupt(file, 'size mismatch');
  const end = 40 + 8 * rank;
  if (dv.getUint32(end, true) !== crc32c(bytes.subarray(0, end))) throw corrupt(file, 'checksum mismatch');
  if (dv.getUint32(8, true) !== VERSION) throw corrupt(file, `unsupported version ${dv.getUint32(8, true)}`);
  const info = dtypeByCode(dv.getUint8(16));
  if (info === undefined) throw corrupt(file, `unknown dtype code ${dv.getUint8(16)}`);
  if (dv.getUint16(18, true) !== 0 || dv.getUint32(20, true) !== CHUNK_HEADER_BYTES) {
    throw corrupt(file, 'bad reserved field or chunk header size');
  }
  const chunkBytes = Number(dv.getBigUint64(24, true));
  if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES || chunkBytes % info.size !== 0) {
    throw corrupt(file, `chunk size ${chunkBytes} invalid`);
  }
  const shape: number[] = [];
  for (let k = 0; k < rank; k++) {
    const d = dv.getBigUint64(40 + 8 * k, true);
    if (d < 1n || d > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(file, `shape[${k}] = ${d} invalid`);
    shape.push(Number(d));
  }
  let layout: Layout;
  try {
    layout = makeLayout(shape, info.size, chunkBytes);
  } catch (e) {
    throw corrupt(file, (e as Error).message);
  }
  if (layout.rowBytes <= chunkBytes && !layout.rowsInChunk) {
    throw corrupt(file, `chunk size ${chunkBytes} is not a multiple of the ${layout.rowBytes}-byte row`);
  }
  return { dtype: info.name, fieldId: dv.getBigUint64(32, true), layout };
}

export function readMeta(dir: string): FieldMeta {
  const file = path.join(dir, META_FILE);
  // the size is checked before reading, so a huge (or sparse) FIELD is never read into memory
  const size = sys(`cannot open field ${dir}`, () => fs.statSync(file).size);
  if (size > metaSize(MAX_RANK)) throw corrupt(file, `${size} bytes is too long`);
  const bytes = sys(`cannot open field ${dir}`, () => fs.readFileSync(file));
  if (bytes.length > metaSize(MAX_RANK)) throw corrupt(file, `${bytes.length} bytes is too long`);
  return decodeMeta(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), file);
}

/** Write FIELD atomically: FIELD.tmp, fsync, rename, fsync the directory. */
export function writeMetaAtomic(dir: string, bytes: Uint8Array): void {
  writeFileDurably(path.join(dir, `${META_FILE}.tmp`), path.join(dir, META_FILE), bytes);
  fsyncDir(dir);
}
