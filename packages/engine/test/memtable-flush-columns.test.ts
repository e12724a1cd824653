/**
 * The memtable's column blocks and the flush that writes them as they are (docs/storage.md,
 * "Memtable", "Flush"; segment/column-block.ts): records read back from the blocks equal what was
 * stored; the file a flush writes from the blocks is byte for byte the file the object path writes
 * for the same records; damaged block input is a typed error; and through the built package the
 * flush really runs on the segment worker thread, with the same results.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { MemoryRecord } from '../src/model.js';
import { BlockPool, Memtable, ownRecord, type PutRow } from '../src/storage/memtable/index.js';
import { blockLayout, planMemRows, writeSegment, type MemRowsContent, type SegmentRow } from '../src/storage/segment/index.js';
import { flushContent } from '../src/storage/store/flush-content.js';
import { packCopy, unpackChecked } from '../src/storage/wal/wal-msgpack.js';
import { makeAssoc, makeRow, rng, tempDir } from './segment-fixtures.js';

const DIM = 6;
const METAS: unknown[] = [null, 'text', 42, [1, 'two', { three: 3 }], { a: { b: [true, false, null] } }, { when: new Date(1_700_000_000_000) }, { bytes: Buffer.from([1, 2, 3]) }, { f: new Float32Array([1.5, -2]) }, { set: new Set([1, 'x']) }];
const temps: Array<() => void> = [];
afterAll(() => temps.forEach((c) => c()));

/** A record as validation leaves it: meta is its MessagePack round trip. */
function record(r: () => number, id: string): MemoryRecord {
  const row = makeRow(r, DIM, id, { content: `${id} · ${'é'.repeat(Math.floor(r() * 4))} ${r().toString(36)}` });
  const meta = METAS[Math.floor(r() * METAS.length)];
  const normal = meta === null ? null : unpackChecked(packCopy(meta), 'meta', (why) => new Error(why) as never);
  return { ...(row as Omit<SegmentRow, 'space'>), space: 's', meta: normal };
}

/** 700 records over four blocks (64, 128, 256, 512 rows), 100 of them written twice, some deleted or given decay updates. */
function filled(seed: number, pool: BlockPool | null = null): { mt: Memtable; latest: Map<string, MemoryRecord> } {
  const r = rng(seed);
  const mt = new Memtable(() => Infinity, pool);
  const latest = new Map<string, MemoryRecord>();
  const ids = Array.from({ length: 600 }, (_, i) => (i % 7 === 0 ? `ü${i}` : i % 11 === 0 ? `\u{1F600}${i}` : `m${i}`));
  let lsn = 1;
  for (const id of ids) {
    const rec = record(r, id);
    mt.beginBatch(lsn);
    mt.putRecord(rec, lsn++);
    latest.set(id, rec);
  }
  for (let k = 0; k < 100; k++) {
    const id = ids[Math.floor(r() * ids.length)] as string;
    const rec = record(r, id);
    mt.beginBatch(lsn);
    mt.putRecord(rec, lsn++);
    latest.set(id, rec);
  }
  mt.beginBatch(lsn);
  for (let k = 0; k < 20; k++) {
    const id = ids[k * 13] as string;
    mt.deleteMemory('s', id, lsn);
    latest.delete(id);
  }
  mt.putDecay('s', 'only-in-a-segment', { count: 3, first: 1, last: 9, recentTimes: [5, 9], recentDecays: [0.3, 0.4], olderDecay: 0.2 }, lsn);
  mt.putAssoc('s', makeAssoc(r, 'm1', 'm2', 'assoc'), lsn);
  mt.deleteAssoc('s', 'm3', 'm4', 'assoc', lsn);
  return { mt, latest };
}

const contentOf = (mt: Memtable): MemRowsContent =>
  flushContent(mt.space('s')!, { segmentId: 7, dim: DIM, minLsn: mt.minLsn, maxLsn: mt.maxLsn, created: 1_700_000_000_000 });

/** Writes `c` from its blocks and `latest` as row objects; expects the same bytes. Returns the rows written. */
async function expectSameFileAsObjects(c: MemRowsContent, latest: Map<string, MemoryRecord>): Promise<number> {
  const t = tempDir();
  temps.push(t.cleanup);
  const fromBlocks = await writeSegment(join(t.dir, 'a'), planMemRows(c));
  const fromObjects = await writeSegment(join(t.dir, 'b'), { ...c, rows: [...latest.values()].map(({ space: _space, ...row }) => row) });
  expect(readFileSync(fromBlocks.path).equals(readFileSync(fromObjects.path))).toBe(true);
  return fromBlocks.rows;
}

describe('column blocks', () => {
  it('a row reads back as the record that was stored (content, embedding bits, meta types, decay, kind, confidence)', () => {
    const { mt, latest } = filled(1);
    const table = mt.space('s')!;
    expect(latest.size).toBeGreaterThan(500);
    for (const [id, want] of latest) {
      const v = table.memoryAt(id, Infinity);
      expect(v?.t).toBe('put');
      const got = ownRecord(v as PutRow);
      expect(got).toEqual(want);
      // bit for bit (a pooled copy's buffer is a slab shared with other copies: segment/embedding-copy.ts)
      expect(new Uint32Array(got.embedding.buffer, got.embedding.byteOffset, DIM)).toEqual(new Uint32Array(want.embedding.buffer.slice(want.embedding.byteOffset, want.embedding.byteOffset + 4 * DIM)));
      // The copy is the caller's own: changing it leaves the stored row alone.
      got.embedding[0] = 12345;
      (got.decay.recentTimes as number[]).push(1);
      expect(ownRecord(v as PutRow)).toEqual(want);
    }
  });

  it('the flush writes from the blocks the same bytes the object path writes for the same records', async () => {
    for (const seed of [2, 3, 4]) {
      const { mt, latest } = filled(seed);
      const c = contentOf(mt);
      expect(c.memRows.blocks.map((b) => b.capacity).sort((x, y) => x - y)).toEqual([64, 128, 256, 512]);
      expect(c.memRows.count).toBe(latest.size);
      expect(await expectSameFileAsObjects(c, latest)).toBe(latest.size);
    }
  });

  it('blocks on recycled memory (old rows, every byte poisoned) read back and flush byte for byte as fresh ones', async () => {
    const given: SharedArrayBuffer[] = [];
    const pool = new (class extends BlockPool {
      override give(b: SharedArrayBuffer): void {
        given.push(b);
        super.give(b);
      }
    })(1 << 30);
    const old = filled(8, pool);
    old.mt.retain(); // as the version that held it
    old.mt.release();
    expect(given.length).toBeGreaterThanOrEqual(16); // 4 blocks × (columns, ids, contents, metas)
    for (const b of given) new Uint8Array(b).fill(0xa5);
    const { mt, latest } = filled(2, pool);
    const c = contentOf(mt);
    expect(c.memRows.blocks.every((b) => given.includes(b.fixed) && given.includes(b.ids))).toBe(true);
    for (const [id, want] of latest) expect(ownRecord(mt.space('s')!.memoryAt(id, Infinity) as PutRow)).toEqual(want);
    await expectSameFileAsObjects(c, latest);
  });

  it('a failed append (a meta that cannot be packed) leaves the block as it was: the rows around it read back and flush as stored', async () => {
    const r = rng(6);
    const mt = new Memtable(() => Infinity);
    const latest = new Map<string, MemoryRecord>();
    for (let i = 0; i < 40; i++) {
      const rec = record(r, `a${i}`);
      mt.beginBatch(i + 1);
      if (i % 3 === 1) {
        // The id and content would be appended first if the failure came after them.
        expect(() => mt.putRecord({ ...rec, id: `bad-${i}-${'é'.repeat(i)}`, meta: { s: Symbol('x') } }, i + 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      }
      mt.putRecord(rec, i + 1);
      latest.set(rec.id, rec);
    }
    const table = mt.space('s')!;
    for (const [id, want] of latest) expect(ownRecord(table.memoryAt(id, Infinity) as PutRow)).toEqual(want);
    await expectSameFileAsObjects(contentOf(mt), latest);
  });

  it('the writer puts rows in id order itself: any order of the same rows gives the same file', async () => {
    const { mt } = filled(9);
    const t = tempDir();
    temps.push(t.cleanup);
    const files: Buffer[] = [];
    for (const seed of [0, 1, 2]) {
      const c = contentOf(mt);
      const m = c.memRows;
      const r = rng(100 + seed);
      for (let i = m.count - 1; i > 0 && seed > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [m.row[i], m.row[j], m.src[i], m.src[j]] = [m.row[j] as number, m.row[i] as number, m.src[j] as number, m.src[i] as number];
      }
      files.push(readFileSync((await writeSegment(join(t.dir, `s${seed}`), planMemRows(c))).path));
    }
    expect(files[1]!.equals(files[0]!)).toBe(true);
    expect(files[2]!.equals(files[0]!)).toBe(true);
  });

  it('damaged block input is INVALID_ARGUMENT: a repeated row, a row past a block, a non-finite time', () => {
    const { mt } = filled(5);
    const repeated = contentOf(mt);
    const m = repeated.memRows;
    [m.row[1], m.src[1]] = [m.row[0] as number, m.src[0] as number];
    expect(() => planMemRows(repeated)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/repeats an id/) }));
    const past = contentOf(mt);
    past.memRows.row[3] = 100_000;
    expect(() => planMemRows(past)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const nan = contentOf(mt);
    const b = nan.memRows.blocks[nan.memRows.src[9] as number]!;
    new Float64Array(b.fixed, blockLayout(b.capacity, b.dim).created, b.capacity)[nan.memRows.row[9] as number] = NaN;
    expect(() => planMemRows(nan)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/finite/) }));
  });
});

describe('flush on the segment worker (the built package)', () => {
  it('writes the blocks from the worker thread; every record reads back the same before and after reopen', async () => {
    // The built package by path: vitest maps '@mnemo/engine' to the sources, where jobs run inline.
    const { openStore } = (await import(pathToFileURL(join(import.meta.dirname, '..', 'dist', 'index.js')).href)) as typeof import('../src/index.js');
    const t = tempDir();
    temps.push(t.cleanup);
    const r = rng(9);
    const written = new Map<string, MemoryRecord>();
    let store = await openStore(t.dir, { durability: 'off', clock: () => 1_800_000_000_000 });
    try {
      expect(store.stats().segmentThread).toBe('thread');
      await store.createSpace({ name: 's', dim: DIM });
      for (let b = 0; b < 6; b++) {
        const ops = Array.from({ length: 250 }, (_, i) => {
          const rec = record(r, `w${b * 250 + i}`);
          // A decay state the store accepts (at least one presentation in its window).
          rec.decay = { count: 1, first: rec.created, last: rec.created, recentTimes: [rec.created], recentDecays: [0.5], olderDecay: 0 };
          return { op: 'remember' as const, record: rec };
        });
        await store.write(ops);
        for (const o of ops) written.set(o.record.id, o.record);
      }
      await store.write([{ op: 'present', space: 's', id: 'w7', at: 1_750_000_000_000 }]);
      await store.flush();
      expect(store.stats().spaces.find((s) => s.name === 's')?.segments).toBe(1);
      const check = (): void => {
        const snap = store.snapshot();
        try {
          for (const [id, want] of written) {
            const got = snap.get('s', id)!;
            if (id === 'w7') expect(got.decay.recentTimes).toEqual([want.created, 1_750_000_000_000]);
            else expect(got.decay).toEqual(want.decay);
            expect({ ...got, decay: null, recorded: 0 }).toEqual({ ...want, decay: null, recorded: 0 });
          }
        } finally {
          snap.release();
        }
      };
      check();
      await store.close();
      store = await openStore(t.dir, { durability: 'off', readOnly: true });
      check();
    } finally {
      await store.close();
    }
  });

  it('a flush that fails on the worker leaves the frozen memtable readable (and presentable); the next flush writes it', async () => {
    const { openStore } = (await import(pathToFileURL(join(import.meta.dirname, '..', 'dist', 'index.js')).href)) as typeof import('../src/index.js');
    const t = tempDir();
    temps.push(t.cleanup);
    const r = rng(10);
    let store = await openStore(t.dir, { durability: 'off', clock: () => 1_800_000_000_000, compaction: { auto: false } });
    const readAll = (): Map<string, MemoryRecord> => {
      const snap = store.snapshot();
      try {
        return new Map([...snap.scan('s')].map((m) => [m.id, m]));
      } finally {
        snap.release();
      }
    };
    try {
      expect(store.stats().segmentThread).toBe('thread');
      await store.createSpace({ name: 's', dim: DIM });
      await store.write(Array.from({ length: 300 }, (_, i) => ({ op: 'remember' as const, record: { ...record(r, `f${i}`), decay: undefined as never } })));
      const before = readAll();
      // A non-empty directory where each possible segment file would go: the worker's rename fails.
      const blockers = Array.from({ length: 8 }, (_, n) => join(t.dir, 'spaces', 's', `seg-${String(n).padStart(6, '0')}`));
      for (const d of blockers) {
        mkdirSync(join(d, 'data.seg'), { recursive: true });
        writeFileSync(join(d, 'data.seg', 'x'), 'x');
      }
      await expect(store.flush()).rejects.toMatchObject({ code: 'IO_ERROR' });
      expect(readAll()).toEqual(before);
      // A presentation of a row of the frozen memtable stores it again in the active one.
      await store.write([{ op: 'present', space: 's', id: 'f5', at: 1_800_000_000_100 }]);
      for (const d of blockers) rmSync(d, { recursive: true, force: true });
      await store.flush();
      const after = readAll();
      expect(after.get('f5')?.decay.count).toBe(2);
      after.delete('f5');
      before.delete('f5');
      expect(after).toEqual(before);
      expect(store.stats().spaces.find((s) => s.name === 's')?.memtableOps).toBe(0);
      await store.close();
      store = await openStore(t.dir, { durability: 'off', readOnly: true });
      expect(readAll().get('f5')?.decay.count).toBe(2);
      expect(readAll().size).toBe(300);
    } finally {
      await store.close();
    }
  });
});
