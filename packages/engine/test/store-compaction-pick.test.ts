/**
 * Size-tiered compaction choice (docs/storage.md, "Compaction"): runs of adjacent segments with
 * sizes within the ratio, at least minRun long; the run of the smallest segments wins.
 */
import { describe, expect, it } from 'vitest';
import { pickRun } from '../src/storage/index.js';

const segs = (...bytes: number[]) => bytes.map((b) => ({ bytes: b }));

describe('pickRun', () => {
  it('finds a run of similar sizes of at least minRun', () => {
    expect(pickRun(segs(10, 11, 12, 13), 2, 4)).toEqual([0, 4]);
    expect(pickRun(segs(10, 11, 12), 2, 4)).toBeUndefined();
    expect(pickRun(segs(10, 100, 11, 12), 2, 2)).toEqual([2, 4]);
  });

  it('prefers the run of the smallest segments', () => {
    // newest first: four small ones, then four big ones
    expect(pickRun(segs(1, 1, 1, 1, 50, 50, 50, 50), 2, 4)).toEqual([0, 4]);
    expect(pickRun(segs(50, 50, 50, 50, 1, 1, 1, 1), 2, 4)).toEqual([4, 8]);
  });

  it('only merges adjacent segments: a big one in between splits the tier', () => {
    expect(pickRun(segs(1, 1, 1000, 1, 1), 2, 3)).toBeUndefined();
  });

  it('treats empty (0-byte) segments as size 1', () => {
    expect(pickRun(segs(0, 0, 1), 2, 3)).toEqual([0, 3]);
  });
});
