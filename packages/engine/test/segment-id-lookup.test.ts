/**
 * Id lookups in large segments — the fence (segment/fence.ts) and then the id hash
 * (segment/id-hash.ts): a lookup finds exactly the rows a plain binary search finds — every present id, and -1 for ids before, between and after them, and for
 * ids one byte away from present ones — through the plain search (first lookups), the fence
 * (until a quarter of the rows have been looked up) and the hash, with non-ASCII ids mixed in
 * (looked up by their UTF-8 bytes).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FENCE_AFTER, FENCE_STEP, fenceSlot } from '../src/storage/segment/fence.js';
import { HASH_MIN_ROWS, buildSlots, hashAfter, hashBytes, hashString } from '../src/storage/segment/id-hash.js';
import { compareIds, openSegment, writeSegment } from '../src/storage/segment/index.js';
import type { SegmentReader } from '../src/storage/segment/index.js';
import { emptyContent, makeRow, rng, tempDir } from './segment-fixtures.js';

const ROWS = HASH_MIN_ROWS * 2 + 77;
let tmp: ReturnType<typeof tempDir>;
let reader: SegmentReader;
let ids: string[];

beforeAll(async () => {
  tmp = tempDir();
  const r = rng(5);
  const set = new Set<string>();
  while (set.size < ROWS) {
    const n = Math.floor(r() * 1e7);
    const x = r();
    set.add(x < 0.9 ? `m${n}` : x < 0.95 ? `é${n}` : `😀${n}`);
  }
  ids = [...set].sort(compareIds);
  const rows = ids.map((id) => makeRow(r, 1, id, { meta: null }));
  const info = await writeSegment(join(tmp.dir, 'spaces', 'notes', 'seg-000001'), emptyContent({ dim: 1, rows }));
  reader = openSegment(info.path, { bytes: info.bytes, checksum: info.checksum });
});
afterAll(() => {
  reader.close();
  tmp.cleanup();
});

/** Ids that are not in the column: before the first, after the last, and next to present ones. */
function absent(): string[] {
  const out = ['', '!', 'a', 'm', 'm0', 'zzzz', '\u007f', 'é', '😀', ...ids.slice(0, 200).map((id) => `${id}0`)];
  for (let i = 1; i < ids.length; i += 97) out.push(`${ids[i]!}\u0001`, ids[i]!.slice(0, -1), `${ids[i]!.slice(0, -1)}\u00e9`);
  // around fence boundaries
  for (let f = 1; f * FENCE_STEP < ids.length; f += 7) out.push(`${ids[f * FENCE_STEP]!}\u0001`, ids[f * FENCE_STEP]!.slice(0, -1));
  const present = new Set(ids);
  return out.filter((x) => !present.has(x));
}

describe('id lookup: fence, then hash', () => {
  it('finds every id and no other, before and after the hash is built', () => {
    expect(ids.length).toBeGreaterThanOrEqual(HASH_MIN_ROWS);
    expect(ids.some((id) => id.charCodeAt(0) >= 0x80)).toBe(true);
    const build = hashAfter(ids.length);
    expect(build).toBeGreaterThan(FENCE_AFTER);
    let n = 0;
    const look = (id: string): number => {
      n++;
      return reader.findRow(id);
    };
    const missing = absent();
    expect(missing.length).toBeLessThan(build - FENCE_AFTER - 400);
    // plain binary search, then the fence: ids in a stride, and every absent one
    for (let i = 0; n < build - 400 - missing.length; i = (i + 7) % ids.length) expect(look(ids[i]!)).toBe(i);
    for (const x of missing) expect(look(x), JSON.stringify(x)).toBe(-1);
    expect(n).toBeLessThan(build);
    // the hash (built at the build-th lookup): every id, then every absent one
    for (let i = 0; i < ids.length; i++) expect(look(ids[i]!)).toBe(i);
    expect(n).toBeGreaterThan(build);
    for (const x of absent()) expect(look(x), JSON.stringify(x)).toBe(-1);
  });

  it('fenceSlot gives the last slot ≤ the key', () => {
    const fence = ['b', 'd', 'f'];
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((k) => fenceSlot(fence, k))).toEqual([-1, 0, 0, 1, 1, 2, 2]);
    expect(fenceSlot([], 'x')).toBe(-1);
  });

  it('hashes an ASCII string as its bytes', () => {
    const enc = new TextEncoder();
    for (const s of ['', 'a', 'm12345', 'x'.repeat(300), '\u007f~ !']) {
      const b = enc.encode(s);
      for (const seed of [0, 1, 0xdeadbeef]) expect(hashString(s, seed)).toBe(hashBytes(b, 0, b.length, seed));
    }
  });

  it('a slot table holds every string once, and probing from its hash reaches it, under any seed', () => {
    const enc = new TextEncoder();
    const keys = ids.slice(0, 3000).map((id) => enc.encode(id));
    for (const seed of [1, 2, 3, 0x7fffffff, 0xffffffff]) {
      const hashOf = (i: number): number => hashBytes(keys[i]!, 0, keys[i]!.length, seed);
      const slots = buildSlots(keys.length, hashOf);
      expect(slots.length).toBeGreaterThanOrEqual(2 * keys.length);
      expect(slots.length & (slots.length - 1)).toBe(0);
      const stored = Array.from(slots).filter((r) => r >= 0).sort((a, b) => a - b);
      expect(stored).toEqual(keys.map((_, i) => i));
      const mask = slots.length - 1;
      for (let i = 0; i < keys.length; i++) {
        let k = hashOf(i) & mask;
        while (slots[k] !== i) {
          expect(slots[k]).toBeGreaterThanOrEqual(0); // no empty slot before it on its probe run
          k = (k + 1) & mask;
        }
      }
    }
  });
});
