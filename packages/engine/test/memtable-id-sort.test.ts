/**
 * SpaceTable.ids() (the order a flush writes rows in, docs/segment_format.md §2.4): it sorts with
 * the native default sort and falls back to compareIds when ids hold surrogates; either way the
 * result must be UTF-8 byte order. Seeded random ids mixing ASCII, BMP and astral characters.
 */
import { describe, expect, it } from 'vitest';
import { SpaceTable } from '../src/storage/memtable/index.js';
import { rng } from './segment-fixtures.js';

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const ALPHABET = ['a', 'b', 'z', '0', 'é', '\uE000', '\uFFFD', 'ｚ', '\u{1F600}', '\u{10FFFF}', '\u{10000}'];

function table(ids: readonly string[]): SpaceTable {
  const t = new SpaceTable('s');
  ids.forEach((id, k) => t.putMemory(id, { t: 'del' }, k + 1, Infinity));
  return t;
}

describe('SpaceTable.ids() order', () => {
  it('ASCII ids (the default sort alone) come out in byte order', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `m${(i * 7919) % 5000}`);
    expect(table(ids).ids()).toEqual([...ids].sort(byBytes));
  });

  it('ids with surrogates sort above U+E000..U+FFFF (byte order), 200 seeded sets', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const astral = seed % 2 === 0;
      const pool = astral ? ALPHABET : ALPHABET.filter((c) => c.length === 1);
      const ids = new Set<string>();
      const n = 1 + Math.floor(r() * 40);
      while (ids.size < n) {
        let s = '';
        for (let k = 1 + Math.floor(r() * 4); k > 0; k--) s += pool[Math.floor(r() * pool.length)] as string;
        ids.add(s);
      }
      expect(table([...ids]).ids(), `seed ${seed}`).toEqual([...ids].sort(byBytes));
    }
  });

  it('the sorted list is cached until a new id arrives', () => {
    const t = table(['b', 'a']);
    const first = t.ids();
    expect(t.ids()).toBe(first);
    t.putMemory('a', { t: 'del' }, 9, Infinity);
    expect(t.ids()).toBe(first);
    t.putMemory('\u{1F600}', { t: 'del' }, 10, Infinity);
    expect(t.ids()).toEqual(['a', 'b', '\u{1F600}']);
  });
});
