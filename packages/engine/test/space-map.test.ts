/**
 * SpaceMap: the name-sorted list that every snapshot captures is cached and follows every change
 * of the spaces (set, replace, delete, clear).
 */
import { describe, expect, it } from 'vitest';
import type { SpaceConfig } from '../src/model.js';
import { SpaceMap } from '../src/storage/store/space-map.js';

const cfg = (name: string, dim = 2): SpaceConfig => ({ name, dim } as unknown as SpaceConfig);

describe('SpaceMap', () => {
  it('sorted() is by name, shared between calls, and recomputed after set / delete / clear', () => {
    const m = new SpaceMap();
    m.set('b', cfg('b')).set('a', cfg('a')).set('c', cfg('c'));
    const first = m.sorted();
    expect(first.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect(m.sorted()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    m.delete('b');
    expect(m.sorted().map((s) => s.name)).toEqual(['a', 'c']);
    expect(first.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    m.set('a', cfg('a', 8));
    expect(m.sorted()[0]?.dim).toBe(8);
    m.set('B', cfg('B'));
    expect(m.sorted().map((s) => s.name)).toEqual(['B', 'a', 'c']);
    m.clear();
    expect(m.sorted()).toEqual([]);
  });
});
