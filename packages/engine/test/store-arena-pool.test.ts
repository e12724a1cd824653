/**
 * Reused buffers for validation's embedding copies (store/arena-pool.ts; docs/storage.md "Write
 * path"): the pool hands a buffer back out only after the write that used it is applied, so no
 * stored embedding ever changes — checked with sequential and concurrent batches, before and
 * after a flush.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ArenaPool } from '../src/storage/store/arena-pool.js';
import { openStore } from '../src/storage/index.js';
import { cleanupDirs, remember, tempDir } from './helpers/store-fixtures.js';

afterAll(cleanupDirs);

const DIM = 8;
const emb = (batch: number, i: number): Float32Array => Float32Array.from({ length: DIM }, (_, k) => batch * 1000 + i + k / 10);

describe('ArenaPool', () => {
  it('reuses a given-back buffer of a fitting size, keeps at most four, and never one more than twice the size asked for', () => {
    const pool = new ArenaPool();
    const a = pool.take(100);
    expect(a.length).toBe(100);
    pool.give(a);
    expect(pool.take(60)).toBe(a);
    pool.give(a);
    expect(pool.take(40)).not.toBe(a);
    expect(pool.take(101)).not.toBe(a);
    const fresh = new ArenaPool();
    const many: Float32Array[] = [1, 2, 3, 4, 5].map(() => new Float32Array(10));
    for (const b of many) fresh.give(b);
    const back = [1, 2, 3, 4, 5, 6].map(() => fresh.take(10));
    expect(back.filter((b) => many.includes(b))).toHaveLength(4);
  });
});

describe('the store reuses the buffers', () => {
  it('sequential and concurrent batches keep every embedding exactly, in the memtable and after a flush', async () => {
    const store = await openStore(tempDir(), { durability: 'off' });
    try {
      await store.createSpace({ name: 's', dim: DIM });
      const write = (batch: number) => store.write(Array.from({ length: 50 }, (_, i) => remember('s', `b${batch}-${i}`, 'c', emb(batch, i))));
      for (let batch = 0; batch < 4; batch++) await write(batch);
      await Promise.all([write(4), write(5), write(6)]);
      await write(7);
      const check = (): void => {
        for (let batch = 0; batch < 8; batch++) {
          for (let i = 0; i < 50; i++) expect(store.get('s', `b${batch}-${i}`)?.embedding, `b${batch}-${i}`).toEqual(emb(batch, i));
        }
      };
      check();
      await store.flush();
      check();
    } finally {
      await store.close();
    }
  });
});
