/**
 * The id fence of large segments (segment/fence.ts): a lookup finds exactly the rows a plain
 * binary search finds — every present id, and -1 for ids before, between and after them — before
 * the fence is built (first lookups), after it is built, and around every fence boundary, with
 * non-ASCII ids mixed in (they sort after ASCII and are looked up by their bytes).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FENCE_AFTER, FENCE_MIN_ROWS, FENCE_STEP, fenceSlot } from '../src/storage/segment/fence.js';
import { compareIds, openSegment, writeSegment } from '../src/storage/segment/index.js';
import type { SegmentReader } from '../src/storage/segment/index.js';
import { emptyContent, makeRow, rng, tempDir } from './segment-fixtures.js';

const ROWS = FENCE_MIN_ROWS * 2 + 77;
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
  const out = ['', '!', 'a', 'm', 'm0', 'zzzz', '\u007f', ...ids.slice(0, 200).map((id) => `${id}0`)];
  for (let f = 1; f * FENCE_STEP < ids.length; f += 7) out.push(`${ids[f * FENCE_STEP]!}\u0001`, ids[f * FENCE_STEP]!.slice(0, -1));
  return out.filter((x) => !ids.includes(x));
}

describe('id fence', () => {
  it('finds every id and no other, before and after the fence is built', () => {
    expect(ids.length).toBeGreaterThanOrEqual(FENCE_MIN_ROWS);
    // The first FENCE_AFTER - 1 lookups search the mapped column alone.
    for (let i = 0; i < FENCE_AFTER - 1; i++) expect(reader.findRow(ids[i * 13]!)).toBe(i * 13);
    for (let i = 0; i < ids.length; i++) expect(reader.findRow(ids[i]!)).toBe(i);
    for (const x of absent()) expect(reader.findRow(x), JSON.stringify(x)).toBe(-1);
  });

  it('fenceSlot gives the last slot ≤ the key', () => {
    const fence = ['b', 'd', 'f'];
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((k) => fenceSlot(fence, k))).toEqual([-1, 0, 0, 1, 1, 2, 2]);
    expect(fenceSlot([], 'x')).toBe(-1);
  });
});
