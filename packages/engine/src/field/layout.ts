/**
 * Index math and chunk naming of a Field (docs/field_format.md "Decisions", "Directory layout"):
 * shape validation against the 2^53−1 byte bound, row-major strides, the effective chunk size and
 * the chunk file tree chunks/HHH/HHH/HHH/HHHHHHHHHHHH.chunk.
 */
import path from 'node:path';
import { MnemoError } from '@mnemo/native';

export const MAX_RANK = 32;
export const CHUNK_HEADER_BYTES = 4096;
export const MAX_CHUNK_BYTES = 2 ** 30;
export const DEFAULT_CHUNK_BYTES = 64 * 2 ** 20;
/** Chunk numbers are written as 12 hex digits. */
export const MAX_CHUNKS = 2 ** 48;

export interface Layout {
  readonly shape: readonly number[];
  readonly rank: number;
  readonly elemSize: number;
  /** Elements between consecutive indices of each axis. */
  readonly strides: readonly number[];
  readonly elements: number;
  readonly totalBytes: number;
  readonly rowLength: number;
  readonly rowBytes: number;
  readonly chunkBytes: number;
  readonly chunkCount: number;
  /** True when every row lies inside one chunk. */
  readonly rowsInChunk: boolean;
}

function invalid(message: string): MnemoError {
  return new MnemoError('INVALID_ARGUMENT', message);
}

/** Check a shape and return its byte size; throws LIMIT_EXCEEDED above 2^53−1 bytes. */
export function checkShape(shape: unknown, elemSize: number): number {
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > MAX_RANK) {
    throw invalid(`field shape must be an array of 1 to ${MAX_RANK} dimensions`);
  }
  let bytes = BigInt(elemSize);
  for (const [axis, d] of shape.entries()) {
    if (!Number.isSafeInteger(d) || (d as number) < 1) {
      throw invalid(`field shape[${axis}] = ${String(d)} must be a positive safe integer`);
    }
    bytes *= BigInt(d as number);
  }
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MnemoError(
      'LIMIT_EXCEEDED',
      `field of shape [${shape.join(', ')}] needs ${bytes} bytes, more than 2^53-1; use a smaller shape or dtype`,
    );
  }
  return Number(bytes);
}

/** The chunk size actually used for a requested one (rows never straddle when they fit). */
export function effectiveChunkBytes(requested: number, rowBytes: number, elemSize: number): number {
  if (!Number.isSafeInteger(requested) || requested < elemSize || requested > MAX_CHUNK_BYTES) {
    throw invalid(`chunkBytes ${requested} must be an integer in [${elemSize}, ${MAX_CHUNK_BYTES}]`);
  }
  if (rowBytes <= requested) return Math.floor(requested / rowBytes) * rowBytes;
  return Math.floor(requested / elemSize) * elemSize;
}

export function makeLayout(shape: readonly number[], elemSize: number, chunkBytes: number): Layout {
  const totalBytes = checkShape(shape, elemSize);
  const rank = shape.length;
  const strides = new Array<number>(rank);
  let s = 1;
  for (let k = rank - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k] as number;
  }
  const rowLength = shape[rank - 1] as number;
  const chunkCount = Math.ceil(totalBytes / chunkBytes);
  if (chunkCount > MAX_CHUNKS) {
    throw new MnemoError('LIMIT_EXCEEDED', `field needs ${chunkCount} chunks, more than 2^48; use a larger chunkBytes`);
  }
  return {
    shape: [...shape],
    rank,
    elemSize,
    strides,
    elements: totalBytes / elemSize,
    totalBytes,
    rowLength,
    rowBytes: rowLength * elemSize,
    chunkBytes,
    chunkCount,
    rowsInChunk: chunkBytes % (rowLength * elemSize) === 0,
  };
}

/** Linear element index of a full index tuple; throws INVALID_ARGUMENT when out of range. */
export function linearIndex(layout: Layout, idx: ArrayLike<number>, count = layout.rank): number {
  if (idx.length !== count) {
    throw invalid(`expected ${count} indices for a field of shape [${layout.shape.join(', ')}], got ${idx.length}`);
  }
  let lin = 0;
  for (let k = 0; k < count; k++) {
    const i = idx[k] as number;
    const d = layout.shape[k] as number;
    if (!(i >= 0 && i < d && Number.isInteger(i))) {
      throw invalid(`index ${String(i)} out of range for axis ${k} of size ${d}`);
    }
    lin += i * (layout.strides[k] as number);
  }
  return lin;
}

/** Relative path (and remote key) of chunk `c`. */
export function chunkKey(c: number): string {
  const h = c.toString(16).padStart(12, '0');
  return `chunks/${h.slice(0, 3)}/${h.slice(3, 6)}/${h.slice(6, 9)}/${h}.chunk`;
}

/**
 * Where chunks are built before they are renamed into place (docs/field_format.md "Directory
 * layout"): one directory, so that the leftovers of a crashed writer are found without walking
 * the chunk tree. Only the single writer of a field uses it; opening the field for writing empties it.
 */
export const CHUNK_STAGING = 'chunks/.staging';

export function chunkPath(dir: string, c: number): string {
  return path.join(dir, chunkKey(c));
}
