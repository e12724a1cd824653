/**
 * Read and scan one log file for recovery. A file larger than 1 MiB is read as a 1 MiB prefix
 * first: when that prefix already ends in a valid END record (a cleanly closed recycled file, whose
 * stale rest may be tens of MiB) nothing else is read; otherwise the whole file is read and
 * scanned. docs/wal_format.md "END record".
 */
import type { Env } from '../env/env.js';
import { scanFile, type FileScan } from './wal-file-scan.js';

/** Bytes read first from a large file. */
export const PREFIX_BYTES = 1 << 20;

export interface ReadScan {
  /** The bytes scanned: the whole file, or a prefix ending after its END record. */
  buf: Uint8Array;
  scan: FileScan;
}

export async function readAndScan(env: Env, file: string, fileNumber: number): Promise<ReadScan> {
  const size = (await env.stat(file))?.size ?? 0;
  if (size > PREFIX_BYTES) {
    const prefix = await readAt(env, file, 0, PREFIX_BYTES);
    const scan = scanFile(prefix, fileNumber);
    if (scan.ended || scan.staleHeader) return { buf: prefix, scan };
  }
  const buf = await env.readFile(file);
  return { buf, scan: scanFile(buf, fileNumber) };
}


async function readAt(env: Env, file: string, position: number, bytes: number): Promise<Uint8Array> {
  const f = await env.open(file, 'read');
  try {
    const buf = new Uint8Array(bytes);
    let got = 0;
    while (got < bytes) {
      const n = await f.read(buf.subarray(got), position + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    await f.close();
  }
}
