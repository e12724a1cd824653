/**
 * A segment's decay blocks have as many window slots (header recentK) as its longest
 * recent-presentation window, not the model's RECENT_PRESENTATIONS (docs/segment_format.md §2.4):
 * a flush of memories seen once stores one slot a row. Checked at the segment level (object rows,
 * decay updates, the columnar merge of inputs with different K) and through the store (flush of
 * the memtable's column blocks, a reinforced memory, compaction).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RECENT_PRESENTATIONS, type DecayState } from '../src/model.js';
import { openStore } from '../src/storage/index.js';
import { H } from '../src/storage/segment/layout.js';
import { isPlanned, openSegment, planMerge, writeSegment } from '../src/storage/segment/index.js';
import type { SegmentContent } from '../src/storage/segment/index.js';
import { decayState, emptyContent, makeRow, rng, tempDir } from './segment-fixtures.js';
import { cleanupDirs, remember, tempDir as storeDir } from './helpers/store-fixtures.js';

const tmp = tempDir();
afterAll(() => {
  tmp.cleanup();
  cleanupDirs();
});

const recentK = (file: string): number => readFileSync(file).readUInt32LE(H.recentK);

let n = 0;
async function write(c: SegmentContent): Promise<string> {
  return (await writeSegment(join(tmp.dir, `s${++n}`, 'seg-1'), c)).path;
}

/** Rows m0.. with the given window lengths (the writer sorts them by id; up to ten, m0..m9, row i is m{i}). */
function content(windows: readonly number[], updates: ReadonlyArray<[string, number]> = []): SegmentContent {
  const r = rng(windows.length * 31 + updates.length);
  return emptyContent({
    rows: windows.map((w, i) => makeRow(r, 4, `m${i}`, { decay: decayState(r, w) })),
    decayUpdates: updates.map(([id, w]) => ({ id, decay: decayState(r, w) })),
  });
}

describe('window slots of a segment', () => {
  it('are as many as the longest window among rows and decay updates, at least one', async () => {
    for (const [windows, updates, want] of [
      [[1, 1, 1], [], 1],
      [[0, 0], [], 1],
      [[1, 3, 2], [], 3],
      [[1], [['z1', 6]], 6],
      [[RECENT_PRESENTATIONS, 1], [], RECENT_PRESENTATIONS],
    ] as Array<[number[], Array<[string, number]>, number]>) {
      const c = content(windows, updates);
      const file = await write(c);
      expect(recentK(file), JSON.stringify({ windows, updates })).toBe(want);
      const seg = openSegment(file);
      seg.verifyAll();
      c.rows.forEach((row, i) => expect(seg.record(i).decay).toEqual(row.decay));
      for (const u of c.decayUpdates) expect(seg.decayUpdate(u.id)).toEqual(u.decay);
      seg.close();
    }
  });

  it('makes a segment of memories seen once 112 bytes a row smaller than eight slots would', async () => {
    const rows = 2000;
    const once = content(Array.from({ length: rows }, () => 1));
    // The same rows, but one with a full window: every row's window columns get eight slots.
    const full = decayState(rng(5), RECENT_PRESENTATIONS);
    const wide = { ...once, rows: once.rows.map((row, i) => (i === 0 ? { ...row, decay: full } : row)) };
    const size = (f: string): number => readFileSync(f).length;
    const grown = size(await write(wide)) - size(await write(once));
    // Two window columns of 8 bytes a slot; each section is padded to 64 bytes.
    expect(grown).toBeGreaterThanOrEqual(2 * 8 * (RECENT_PRESENTATIONS - 1) * rows - 2 * 64);
  });

  it('are recomputed by the columnar merge, which copies inputs of any narrower K', async () => {
    const older = openSegment(await write(content([1, 1, 1])));
    const newer = openSegment(await write({ ...content([], [['m1', 5]]), segmentId: 8, minLsn: 21, maxLsn: 30 }));
    const planned = planMerge([newer, older], { space: 'notes', segmentId: 9, dim: 4, bottom: true });
    expect(isPlanned(planned)).toBe(true);
    const merged = await write(planned);
    expect(recentK(merged)).toBe(5);
    const seg = openSegment(merged);
    expect(seg.record(1).decay).toEqual(newer.decayUpdate('m1'));
    expect(seg.record(0).decay).toEqual(older.record(0).decay);
    for (const s of [seg, older, newer]) s.close();
  });
});

describe('window slots through the store', () => {
  it('flushes fresh memories with one slot, a reinforced one with its window, and compaction keeps both right', async () => {
    const dir = storeDir();
    const store = await openStore(dir, { compaction: { auto: false }, clock: () => 1_700_000_000_000 });
    // The files of the live segments, newest first.
    const live = (): string[] => {
      const snap = store.snapshot();
      try {
        return snap.segments('s').map((v) => v.reader.path);
      } finally {
        snap.release();
      }
    };
    try {
      await store.createSpace({ name: 's', dim: 2 });
      await store.write(Array.from({ length: 50 }, (_, i) => remember('s', `m${i}`, 'c', [1, i])));
      await store.flush();
      expect(live().map(recentK)).toEqual([1]);
      for (let k = 0; k < 4; k++) await store.write([{ op: 'present', space: 's', id: 'm7', at: 1_700_000_100_000 + k * 1000 }]);
      await store.flush();
      // The newer segment holds m7's decay update (five presentations), the older its row.
      expect(live().map(recentK)).toEqual([5, 1]);
      const before: DecayState | undefined = store.get('s', 'm7')?.decay;
      expect(before?.recentTimes.length).toBe(5);
      await store.compact('s');
      expect(live().map(recentK)).toEqual([5]);
      expect(store.get('s', 'm7')?.decay).toEqual(before);
      expect(store.get('s', 'm3')?.decay.recentTimes.length).toBe(1);
    } finally {
      await store.close();
    }
  });
});
