/**
 * Recycled row-block memory (memtable/block-pool.ts; docs/storage.md "Memtable"): a memtable's
 * blocks go back to the pool only when no version holds it — a snapshot taken before a flush
 * keeps reading its rows exactly while later memtables fill — and the recycled bytes, whatever
 * they held, never reach a read or a segment.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { MemoryRecord } from '../src/model.js';
import { BlockPool, IDLE_TRIM_MS } from '../src/storage/memtable/block-pool.js';
import { openStore } from '../src/storage/index.js';
import type { Store } from '../src/storage/store/types.js';
import { cleanupDirs, ManualClock, remember, tempDir } from './helpers/store-fixtures.js';

afterAll(cleanupDirs);
afterEach(() => {
  vi.useRealTimers();
});

const DIM = 16;
const ROWS = 300;
const emb = (batch: number, i: number): Float32Array => Float32Array.from({ length: DIM }, (_, k) => Math.sin(batch * 7919 + i * 31 + k));
const content = (batch: number, i: number): string => `batch ${batch} row ${i} ${'é'.repeat(i % 5)}`;
const meta = (batch: number, i: number): unknown => (i % 3 === 0 ? null : { batch, i, tags: ['x'.repeat(i % 7)] });

const poolOf = (store: Store): BlockPool => (store as unknown as { blocks: BlockPool }).blocks;

async function writeBatch(store: Store, batch: number): Promise<void> {
  const ops = Array.from({ length: ROWS }, (_, i) => remember('s', `b${batch}-${i}`, content(batch, i), emb(batch, i), { meta: meta(batch, i) }));
  for (let at = 0; at < ROWS; at += 100) await store.write(ops.slice(at, at + 100));
}

function expectBatch(read: (id: string) => MemoryRecord | undefined, batch: number): void {
  for (let i = 0; i < ROWS; i++) {
    const r = read(`b${batch}-${i}`);
    expect(r?.content, `b${batch}-${i}`).toBe(content(batch, i));
    expect(r?.embedding, `b${batch}-${i}`).toEqual(emb(batch, i));
    expect(r?.meta, `b${batch}-${i}`).toEqual(meta(batch, i));
  }
}

describe('BlockPool', () => {
  it('hands back a given buffer of exactly the size asked, else a fresh zeroed one, and keeps at most maxBytes', () => {
    const pool = new BlockPool(1000);
    const a = pool.take(400);
    expect(new Uint8Array(a).every((x) => x === 0)).toBe(true);
    new Uint8Array(a).fill(7);
    pool.give(a);
    expect(pool.bytes).toBe(400);
    expect(pool.take(401)).not.toBe(a);
    expect(pool.take(400)).toBe(a);
    expect(pool.bytes).toBe(0);
    const big = [new SharedArrayBuffer(400), new SharedArrayBuffer(400), new SharedArrayBuffer(400)];
    for (const b of big) pool.give(b);
    expect(pool.bytes).toBe(800);
    pool.clear();
    expect(pool.bytes).toBe(0);
    expect(pool.take(400)).not.toBe(big[0]);
  });

  it('drops what it keeps once nothing was taken for IDLE_TRIM_MS', () => {
    vi.useFakeTimers();
    const pool = new BlockPool(1 << 20);
    pool.give(new SharedArrayBuffer(64));
    vi.advanceTimersByTime(IDLE_TRIM_MS - 10);
    pool.take(32);
    pool.give(new SharedArrayBuffer(64));
    vi.advanceTimersByTime(20);
    expect(pool.bytes).toBe(128); // a take happened within the period
    vi.advanceTimersByTime(IDLE_TRIM_MS);
    expect(pool.bytes).toBe(0);
  });
});

describe('the store recycles flushed memtables', () => {
  it('also with a memtable of a few KiB (the pool keeps at least 4 MiB): its blocks come back and are taken again', async () => {
    const store = await openStore(tempDir(), { durability: 'off', memtableBytes: 4096, compaction: { auto: false } });
    try {
      await store.createSpace({ name: 's', dim: DIM });
      const pool = poolOf(store);
      await store.write([remember('s', 'a', 'first', emb(0, 0))]);
      await store.flush();
      const kept = pool.bytes;
      expect(kept).toBeGreaterThan(4096); // the whole block, not only what fits in memtableBytes
      await store.write([remember('s', 'b', 'second', emb(0, 1))]);
      expect(pool.bytes).toBeLessThan(kept);
      await store.flush();
      expect(store.get('s', 'a')?.content).toBe('first');
      expect(store.get('s', 'b')?.embedding).toEqual(emb(0, 1));
    } finally {
      await store.close();
    }
  });

  it('a snapshot from before a flush reads its rows exactly while later memtables take recycled blocks; after its release they are reused', async () => {
    const clock = new ManualClock();
    const dir = tempDir();
    let store = await openStore(dir, { durability: 'off', clock: clock.fn, memtableBytes: 1 << 20, compaction: { auto: false } });
    try {
      await store.createSpace({ name: 's', dim: DIM });
      const pool = poolOf(store);
      await writeBatch(store, 0);
      const snap = store.snapshot();
      const shared = snap.memtableRecords('s');
      expect(shared).toHaveLength(ROWS);
      await store.flush();
      // The snapshot still holds the flushed memtable: nothing of it is in the pool.
      expect(pool.bytes).toBe(0);
      for (let batch = 1; batch <= 3; batch++) {
        await writeBatch(store, batch);
        await store.flush();
      }
      // Batches 2 and 3 took the blocks batch 1 and 2 gave back.
      expect(pool.bytes).toBeGreaterThan(0);
      expectBatch((id) => snap.get('s', id), 0);
      for (const r of shared) expect(r.embedding).toEqual(emb(0, Number(r.id.split('-')[1])));
      const before = pool.bytes;
      snap.release();
      expect(pool.bytes).toBeGreaterThan(before);
      await writeBatch(store, 4);
      expect(pool.bytes).toBeLessThan(before);
      const now = store.snapshot();
      for (let batch = 0; batch <= 4; batch++) expectBatch((id) => now.get('s', id), batch);
      now.release();
      await store.close();
      store = await openStore(dir, { durability: 'off', clock: clock.fn });
      for (let batch = 0; batch <= 4; batch++) expectBatch((id) => store.get('s', id), batch);
    } finally {
      await store.close();
    }
  });
});
