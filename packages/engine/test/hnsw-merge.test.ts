/**
 * mergeByDistance (engine/src/hnsw/merge.ts): per-segment top-k lists merged by distance, ties by
 * the caller's key, so results across segments and the memtable are deterministic.
 */
import { describe, expect, it } from 'vitest';
import { mergeByDistance } from '../src/hnsw/index.js';

describe('mergeByDistance', () => {
  it('keeps the k closest over all lists, ties broken by the key, not by list order', () => {
    const a = [{ item: 'm3', distance: 0.1 }, { item: 'm9', distance: 0.5 }];
    const b = [{ item: 'm1', distance: 0.5 }, { item: 'm2', distance: 0.7 }];
    const c = [{ item: 'm0', distance: 0.05 }];
    const out = mergeByDistance([a, b, c], 3, (id) => id);
    expect(out.map((h) => h.item)).toEqual(['m0', 'm3', 'm1']);
    expect(mergeByDistance([b, a, c], 3, (id) => id).map((h) => h.item)).toEqual(['m0', 'm3', 'm1']);
    expect(mergeByDistance([a, b, c], 10, (id) => id).map((h) => h.item)).toEqual(['m0', 'm3', 'm1', 'm9', 'm2']);
    expect(mergeByDistance([a], 0, (id) => id)).toEqual([]);
    expect(mergeByDistance([], 5, (id: string) => id)).toEqual([]);
  });

  it('accepts numeric keys and equal keys keep list order', () => {
    const out = mergeByDistance([[{ item: { id: 2 }, distance: 1 }], [{ item: { id: 1 }, distance: 1 }, { item: { id: 1 }, distance: 1 }]], 3, (x) => x.id);
    expect(out.map((h) => h.item.id)).toEqual([1, 1, 2]);
  });
});
