/**
 * openSegment: stat, map read-only, validate (frame, checksums, structure) and wrap a segment
 * file in a SegmentReader. Anything wrong with the bytes is MnemoError CORRUPTION naming the file
 * and section; a missing or unreadable file is IO_ERROR. docs/segment_format.md §4.
 */
import { statSync } from 'node:fs';
import { MnemoError, fromSystemError, mapFile } from '@mnemo/native';
import type { Mapping } from '@mnemo/native';
import { corruption } from './corruption.js';
import { ALIGN, MIN_FILE } from './layout.js';
import { parseSegment } from './parse-file.js';
import type { Expect } from './parse-file.js';
import { SegmentReader } from './segment-reader.js';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new MnemoError('NOT_SUPPORTED', 'segment files are little-endian and are read through typed-array views; this host is big-endian');
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (e) {
    throw fromSystemError(e, `cannot open segment ${path}`);
  }
}

/**
 * Opens the segment file at `path`. `expect` (from the catalog) pins the size and the trailer
 * checksum. The returned reader holds no reference yet: call retain() per snapshot, close() once.
 */
export function openSegment(path: string, expect: Expect = {}): SegmentReader {
  const size = fileSize(path);
  if (size < MIN_FILE || size % ALIGN !== 0) throw corruption(path, 'file', `size ${size} is not a valid segment size (truncated?)`);
  if (expect.bytes !== undefined && expect.bytes !== size) throw corruption(path, 'file', `size ${size} differs from the expected ${expect.bytes}`);
  const mapping = mapFile(path);
  if (mapping.byteLength !== size) {
    mapping.unmap();
    throw corruption(path, 'file', `changed size while being opened (${size} → ${mapping.byteLength})`);
  }
  return openMappedSegment(path, mapping, expect);
}

/**
 * Validates and wraps an existing mapping of the whole file at `path` (takes ownership: the
 * mapping is unmapped on failure and when the reader is released). openSegment() uses it; tests
 * use it to sweep corruptions over in-memory images.
 */
export function openMappedSegment(path: string, mapping: Mapping, expect: Expect = {}): SegmentReader {
  try {
    const bytes = new Uint8Array(mapping.buffer);
    return new SegmentReader(mapping, parseSegment(path, bytes, expect), path);
  } catch (e) {
    mapping.unmap();
    if (e instanceof MnemoError) throw e;
    // A validation path that threw something else (e.g. a RangeError) would be a bug in these checks;
    // still report it as what it is for the caller: a file this reader cannot trust.
    throw corruption(path, 'file', `unreadable: ${(e as Error).message}`);
  }
}
