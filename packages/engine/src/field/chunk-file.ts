/**
 * Chunk files (docs/field_format.md "Chunk file"): the 4096-byte header with its CRC32C, its
 * validation (any mismatch, or a wrong file size → CORRUPTION naming the file) and the creation
 * of a new sparse chunk (temp name, header, ftruncate to full size, fdatasync, rename: the final
 * name only ever names a complete chunk, whatever moment a crash or power cut hits).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MnemoError } from '@mnemo/native';
import { CHUNK_HEADER_BYTES } from './layout.js';
import { crc32c, readFully, sys, writeFully } from './io.js';

const MAGIC = 'MNEMOCHK';
const VERSION = 1;
const CRC_AT = 40;

export interface ChunkIdentity {
  readonly fieldId: bigint;
  readonly chunkBytes: number;
}

export function chunkFileSize(chunkBytes: number): number {
  return CHUNK_HEADER_BYTES + chunkBytes;
}

export function encodeChunkHeader(id: ChunkIdentity, c: number): Uint8Array {
  const bytes = new Uint8Array(CRC_AT + 4);
  const dv = new DataView(bytes.buffer);
  bytes.set(Buffer.from(MAGIC, 'ascii'), 0);
  dv.setUint32(8, VERSION, true);
  dv.setUint32(12, CHUNK_HEADER_BYTES, true);
  dv.setBigUint64(16, id.fieldId, true);
  dv.setBigUint64(24, BigInt(c), true);
  dv.setBigUint64(32, BigInt(id.chunkBytes), true);
  dv.setUint32(CRC_AT, crc32c(bytes.subarray(0, CRC_AT)), true);
  return bytes;
}

export function chunkCorrupt(file: string, why: string): MnemoError {
  return new MnemoError('CORRUPTION', `field chunk ${file} is corrupt: ${why}`, { path: file });
}

/** Validate the first 44 bytes of chunk `c` (read from `file`). */
export function verifyChunkHeader(head: Uint8Array, id: ChunkIdentity, c: number, file: string): void {
  const expected = encodeChunkHeader(id, c);
  if (head.length < expected.length) throw chunkCorrupt(file, 'header too short');
  const dv = new DataView(head.buffer, head.byteOffset, expected.length);
  if (dv.getUint32(CRC_AT, true) !== crc32c(head.subarray(0, CRC_AT))) throw chunkCorrupt(file, 'header checksum mismatch');
  for (let i = 0; i < expected.length; i++) {
    if (head[i] !== expected[i]) throw chunkCorrupt(file, 'header names another field, chunk or chunk size');
  }
}

/** Throw CORRUPTION unless the file has exactly the chunk file size. */
export function verifyChunkSize(size: number, chunkBytes: number, file: string): void {
  const want = chunkFileSize(chunkBytes);
  if (size !== want) throw chunkCorrupt(file, `size ${size} bytes, expected ${want}`);
}

/** Open an existing chunk file for writing after checking its size and header; returns the fd. */
export function openChunkForWrite(file: string, id: ChunkIdentity, c: number): number {
  const fd = sys(`cannot open field chunk ${file}`, () => fs.openSync(file, 'r+'));
  try {
    verifyChunkSize(sys(`cannot stat ${file}`, () => fs.fstatSync(fd).size), id.chunkBytes, file);
    const head = new Uint8Array(CRC_AT + 4);
    readFully(fd, head, 0, head.length, 0, file);
    verifyChunkHeader(head, id, c, file);
    return fd;
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

/**
 * Create chunk `c` at `file` (which must not exist) atomically: build it under a temporary name in
 * the `staging` directory (header, sparse ftruncate, fdatasync), then rename it into place. Returns
 * the fd (still valid after the rename). The caller fsyncs the chunk's directory at flush().
 */
export function createChunkFile(file: string, id: ChunkIdentity, c: number, staging: string): number {
  const tmp = path.join(staging, `${path.basename(file)}.tmp-${process.pid}`);
  fs.rmSync(tmp, { force: true }); // a leftover of an earlier crash of a process with this pid
  const fd = sys(`cannot create field chunk ${tmp}`, () => fs.openSync(tmp, 'wx+', 0o600));
  try {
    writeFully(fd, encodeChunkHeader(id, c), 0, tmp);
    sys(`cannot size ${tmp}`, () => fs.ftruncateSync(fd, chunkFileSize(id.chunkBytes)));
    sys(`cannot sync ${tmp}`, () => fs.fdatasyncSync(fd));
    if (fs.existsSync(file)) throw new MnemoError('IO_ERROR', `field chunk ${file} appeared while it was being created`, { path: file });
    sys(`cannot rename ${tmp}`, () => fs.renameSync(tmp, file));
    return fd;
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
