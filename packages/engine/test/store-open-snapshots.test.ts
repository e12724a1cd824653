/**
 * The store's list of open snapshots (storage/store/open-snapshots.ts) against a Set over seeded
 * opens and releases in any order, and through a store: stats, the oldest seq read, close().
 */
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../src/storage/env/index.js';
import { openStore } from '../src/storage/index.js';
import { OpenSnapshots, type OpenLinks } from '../src/storage/store/open-snapshots.js';
import { cleanupDirs, remember, tempDir } from './helpers/store-fixtures.js';

afterAll(cleanupDirs);

class Item implements OpenLinks<Item> {
  prevOpen: Item | null = null;
  nextOpen: Item | null = null;
  constructor(readonly n: number) {}
}

describe('OpenSnapshots', () => {
  it('holds what a Set holds over seeded adds and removes', () => {
    const rnd = seededRandom(5);
    const list = new OpenSnapshots<Item>();
    const model = new Set<Item>();
    let next = 0;
    for (let step = 0; step < 5000; step++) {
      if (model.size === 0 || rnd() < 0.55) {
        const it = new Item(next++);
        list.add(it);
        model.add(it);
      } else {
        const members = [...model];
        const victim = members[Math.floor(rnd() * members.length)] as Item;
        list.delete(victim);
        model.delete(victim);
        expect(victim.prevOpen).toBeNull();
        expect(victim.nextOpen).toBeNull();
      }
      expect(list.size).toBe(model.size);
      if (step % 97 === 0) expect([...list].map((x) => x.n).sort((a, b) => a - b)).toEqual([...model].map((x) => x.n).sort((a, b) => a - b));
    }
  });
});

describe('open snapshots of a store', () => {
  it('are counted, keep the oldest seq they read, and are released by close()', async () => {
    const s = await openStore(tempDir(), { compaction: { auto: false } });
    await s.createSpace({ name: 'o', dim: 2 });
    await s.write([remember('o', 'a', 'first', [1, 0])]);
    const old = s.snapshot();
    const snaps = Array.from({ length: 5 }, () => s.snapshot());
    await s.write([remember('o', 'a', 'second', [0, 1])]);
    expect(s.stats().openSnapshots).toBe(6);
    snaps[2]!.release();
    snaps[2]!.release(); // twice: no effect
    snaps[0]!.release();
    expect(s.stats().openSnapshots).toBe(4);
    // the oldest open snapshot still reads what it saw after newer writes
    expect(old.get('o', 'a')!.content).toBe('first');
    expect(s.get('o', 'a')!.content).toBe('second');
    await s.close();
    for (const x of [old, snaps[1]!, snaps[3]!, snaps[4]!]) expect(() => x.get('o', 'a')).toThrow(expect.objectContaining({ code: 'RELEASED' }));
  });
});
