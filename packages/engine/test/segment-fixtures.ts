/**
 * Shared helpers of the segment tests (docs/segment_format.md): a seeded RNG, generators of
 * rows/contents, temp directories, a CORRUPTION assertion and a "forger" that patches header
 * fields and re-seals every CRC, so validation beyond the checksums can be exercised.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { crc32c, MnemoError } from '@mnemo/native';
import type { Association, DecayState } from '../src/model.js';
import type { Mapping } from '@mnemo/native';
import type { SegmentContent, SegmentRow } from '../src/storage/segment/index.js';
import { seededRandom as rng } from '../src/index.js';
export { rng };

/** A Mapping over a heap copy of `bytes` (what the JS fallback does), for in-memory sweeps. */
export function heapMapping(bytes: Uint8Array): Mapping {
  let buf: ArrayBuffer | null = bytes.slice().buffer;
  const byteLength = bytes.length;
  return {
    get buffer(): ArrayBuffer { if (buf === null) throw new MnemoError('RELEASED', 'unmapped'); return buf; },
    byteLength, fileOffset: 0, native: false,
    get released(): boolean { return buf === null; },
    advise(): void {},
    unmap(): void { if (buf !== null) { structuredClone(buf, { transfer: [buf] }); buf = null; } },
  };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mnemo-seg-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function decayState(r: () => number, window: number): DecayState {
  const times: number[] = [];
  let t = 1_700_000_000_000 + Math.floor(r() * 1e6);
  for (let i = 0; i < window; i++) { t += 1 + Math.floor(r() * 1e5) + r(); times.push(t); }
  return {
    count: window + Math.floor(r() * 5), first: (times[0] ?? t) - 10.25, last: times[times.length - 1] ?? t,
    recentTimes: times, recentDecays: times.map(() => 0.1 + r() * 0.7), olderDecay: r() < 0.3 ? 0 : r(),
  };
}

export function makeRow(r: () => number, dim: number, id: string, extra: Partial<SegmentRow> = {}): SegmentRow {
  const embedding = new Float32Array(dim);
  for (let i = 0; i < dim; i++) embedding[i] = (r() - 0.5) * 10 ** Math.floor(r() * 6 - 3);
  return {
    id, content: `content of ${id} ${r().toString(36)}`, embedding, kind: r() < 0.5 ? 'episodic' : 'semantic',
    created: 1_600_000_000_000 + r() * 1e9, recorded: 1_700_000_000_000 + Math.floor(r() * 1e9),
    confidence: { lo: 0.9, hi: 0.9 + r() * 0.1 }, decay: decayState(r, Math.floor(r() * 9)),
    meta: r() < 0.3 ? null : { n: Math.floor(r() * 100), tag: `t${Math.floor(r() * 5)}`, nested: { ok: r() < 0.5, list: [1, 'two', 3.5] } },
    ...extra,
  };
}

export function makeAssoc(r: () => number, from: string, to: string, kind: string): Association {
  return {
    from, to, kind, weight: r() * 2 - 0.5, confidence: { lo: 0.1 + r() * 0.4, hi: 0.6 + r() * 0.4 },
    created: 1_650_000_000_000 + r() * 1e9, recorded: 1_700_000_000_000 + r() * 1e9,
  };
}

export function emptyContent(over: Partial<SegmentContent> = {}): SegmentContent {
  return {
    space: 'notes', segmentId: 7, dim: 4, minLsn: 10, maxLsn: 20, created: 1_700_000_000_123, rows: [],
    decayUpdates: [], tombstones: [], associations: [], assocTombstones: [], ...over,
  };
}

/** A content with every kind of entry (rows, decay updates, tombstones, associations, both tombstone kinds). */
export function mixedContent(seed: number, rows: number, dim: number): SegmentContent {
  const r = rng(seed);
  const ids = Array.from({ length: rows }, (_, i) => `m${String(i).padStart(5, '0')}${i % 7 === 0 ? 'é' : ''}`);
  const associations: Association[] = [];
  for (let i = 0; i < rows; i++) {
    if (i % 3 !== 0) continue;
    for (const k of ['assoc', 'next', 'derived_from']) if (r() < 0.6) associations.push(makeAssoc(r, ids[i] as string, ids[(i * 7 + 1) % rows] as string, k));
  }
  return emptyContent({
    dim, rows: ids.map((id) => makeRow(r, dim, id)),
    decayUpdates: Array.from({ length: Math.ceil(rows / 4) }, (_, i) => ({ id: `old${i}`, decay: decayState(r, i % 9) })),
    tombstones: Array.from({ length: Math.ceil(rows / 5) }, (_, i) => `gone${i}`),
    associations,
    assocTombstones: [{ from: 'a', to: 'b', kind: null }, { from: 'a', to: 'b', kind: 'next' }, { from: 'x', to: 'y', kind: 'gone-kind' }],
  });
}

export function expectCorruption(f: () => unknown, where?: RegExp): MnemoError {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  if (!(err instanceof MnemoError) || err.code !== 'CORRUPTION') {
    throw new Error(`expected MnemoError CORRUPTION, got ${err instanceof Error ? `${err.name}: ${(err as MnemoError).code ?? ''} ${err.message}` : String(err)}`);
  }
  // openMappedSegment turns an unexpected exception into CORRUPTION "unreadable: …"; that is a
  // validation gap (a check that should have caught it first), so the tests treat it as a failure.
  if (/file: unreadable:/.test(err.message)) throw new Error(`validation gap: ${err.message}`);
  if (where) expect(err.message).toMatch(where);
  return err;
}

/**
 * Rewrites `path` after `patch` edits the header block (DataView over it), then re-seals the
 * header CRC, the trailer's copy of it and the trailer CRC: a "forged" but checksum-valid file.
 */
export function forgeHeader(path: string, patch: (v: DataView) => void): void {
  const b = new Uint8Array(readFileSync(path));
  const v = new DataView(b.buffer);
  const hlen = v.getUint32(16, true);
  patch(v);
  const hcrc = crc32c(b.subarray(0, hlen - 4));
  v.setUint32(hlen - 4, hcrc, true);
  const t = b.length - 64;
  v.setUint32(t + 32, hcrc, true);
  v.setUint32(t + 60, crc32c(b.subarray(t, t + 60)), true);
  writeFileSync(path, b);
}

export interface DirEntry { id: number; offset: number; length: number; at: number }

/** Directory entries of a segment image (as the file lists them; `at` = the entry's file offset). */
export function directoryOf(b: Uint8Array): DirEntry[] {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const t = b.length - 64;
  const dirOffset = Number(v.getBigUint64(t, true));
  const n = v.getUint32(t + 16, true);
  return Array.from({ length: n }, (_, i) => {
    const at = dirOffset + 32 * i;
    return { id: v.getUint32(at, true), offset: Number(v.getBigUint64(at + 8, true)), length: Number(v.getBigUint64(at + 16, true)), at };
  });
}

export function sectionOf(b: Uint8Array, id: number): DirEntry {
  const e = directoryOf(b).find((x) => x.id === id);
  if (!e) throw new Error(`no section ${id}`);
  return e;
}

const BLOCK_TABLE = 120;
const pad64 = (n: number): number => Math.ceil(n / 64) * 64;

/** v2 block size of an image (header offset 104), or 0 for a v1 image. */
export function blockSizeOf(b: Uint8Array): number {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  return v.getUint32(8, true) === 1 ? 0 : 2 ** v.getUint32(104, true);
}

/** v2: recomputes every block CRC into the block table and every directory CRC from it. */
function resealBlocks(b: Uint8Array, entries: DirEntry[], dirOffset: number): void {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const size = blockSizeOf(b);
  const table = entries.find((e) => e.id === BLOCK_TABLE);
  if (table === undefined || size === 0) return;
  let k = 0;
  for (const e of entries) {
    if (e === table) continue;
    const first = k;
    const end = Math.min(e.offset + pad64(e.length), dirOffset);
    for (let s = e.offset; s < end; s += size) {
      if (table.offset + 4 * k + 4 <= table.offset + table.length) v.setUint32(table.offset + 4 * k, crc32c(b.subarray(s, Math.min(s + size, end))), true);
      k++;
    }
    const run = b.subarray(table.offset + 4 * first, Math.min(table.offset + 4 * k, table.offset + table.length));
    v.setUint32(e.at + 24, crc32c(run), true);
  }
  v.setUint32(table.at + 24, crc32c(b.subarray(table.offset, Math.min(table.offset + pad64(table.length), dirOffset))), true);
}

/** Re-seals every CRC after an edit (v1: each section's; v2: every block's and the directory's run CRCs), the directory's and the trailer's. */
export function reseal(b: Uint8Array): Uint8Array {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const t = b.length - 64;
  const dirOffset = Number(v.getBigUint64(t, true));
  if (dirOffset > t || v.getUint32(t + 16, true) * 32 > t - dirOffset) {
    v.setUint32(t + 60, crc32c(b.subarray(t, t + 60)), true);
    return b;
  }
  const entries = directoryOf(b);
  if (blockSizeOf(b) === 0) {
    for (const e of entries) {
      const end = Math.min(pad64(e.offset + e.length), dirOffset);
      if (e.offset <= end) v.setUint32(e.at + 24, crc32c(b.subarray(e.offset, end)), true);
    }
  } else {
    resealBlocks(b, entries, dirOffset);
  }
  v.setUint32(t + 20, crc32c(b.subarray(dirOffset, t)), true);
  v.setUint32(t + 60, crc32c(b.subarray(t, t + 60)), true);
  return b;
}

/**
 * Rewrites a v2 image as the version 1 file the previous writer produced for the same content:
 * no block table (it is the last section), version 1 in header and trailer, block shift field
 * zero, every directory CRC over its whole section.
 */
export function toVersion1(src: Uint8Array): Uint8Array {
  const all = directoryOf(src);
  const table = sectionOf(src, BLOCK_TABLE);
  if (all[all.length - 1] !== undefined && (all[all.length - 1] as DirEntry).id !== BLOCK_TABLE) throw new Error('toVersion1: the block table is not the last section');
  const entries = all.filter((e) => e.id !== BLOCK_TABLE);
  const dirOffset = table.offset;
  const dirLen = pad64(32 * entries.length);
  const out = new Uint8Array(dirOffset + dirLen + 64);
  out.set(src.subarray(0, dirOffset));
  const v = new DataView(out.buffer);
  const hlen = v.getUint32(16, true);
  v.setUint32(8, 1, true);
  v.setUint32(104, 0, true);
  v.setBigUint64(96, BigInt(out.length), true);
  const hcrc = crc32c(out.subarray(0, hlen - 4));
  v.setUint32(hlen - 4, hcrc, true);
  entries.forEach((e, i) => {
    const at = dirOffset + 32 * i;
    out.set(src.subarray(e.at, e.at + 32), at);
    v.setUint32(at + 24, crc32c(out.subarray(e.offset, pad64(e.offset + e.length))), true);
  });
  const t = out.length - 64;
  v.setBigUint64(t, BigInt(dirOffset), true);
  v.setBigUint64(t + 8, BigInt(32 * entries.length), true);
  v.setUint32(t + 16, entries.length, true);
  v.setUint32(t + 20, crc32c(out.subarray(dirOffset, t)), true);
  v.setBigUint64(t + 24, BigInt(out.length), true);
  v.setUint32(t + 32, hcrc, true);
  v.setUint32(t + 36, 1, true);
  v.setUint32(t + 56, 0x4d534547, true);
  v.setUint32(t + 60, crc32c(out.subarray(t, t + 60)), true);
  return out;
}
