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
