/**
 * Store-wide vector search: memtable + flushed segments with their HNSW graphs (built by the flush
 * hook), checked against a brute-force scan of the live memories; filters, tombstones, ties,
 * reopen without rebuild (including the segment close() flushes), and a damaged graph file rebuilt
 * on first use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bit } from '../src/hnsw/filter.js';
import {
  openStore,
  indexBuildHooks,
  searchVectors,
  searchVectorRows,
  SegmentIndexCache,
  hnswPathFor,
  exactDistance,
  seededRandom as rng,
  initialDecayState,
  defaultDecayModel,
  type Store,
  type SpaceConfig,
  type WriteOp,
  type MemoryRecord,
} from '../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'mnemo-search-'));
  dirs.push(d);
  return d;
}

const DIM = 24;
const T0 = Date.UTC(2026, 0, 1);

function remember(space: string, id: string, vec: Float32Array, kind: 'episodic' | 'semantic', at: number): WriteOp {
  return {
    op: 'remember',
    record: {
      id, space, content: `memory ${id}`, embedding: vec, kind, created: at,
      confidence: { lo: 1, hi: 1 }, decay: initialDecayState(at, defaultDecayModel()), meta: { n: Number(id.slice(1)) },
    },
  };
}

async function openWithIndex(dir: string, readOnly = false): Promise<{ store: Store; built: number[] }> {
  const built: number[] = [];
  let store: Store | undefined;
  const hooks = indexBuildHooks((name) => store!.getSpace(name), (e) => built.push(e.rows));
  store = await openStore(dir, { durability: 'off', hooks, readOnly, compaction: { auto: false }, clock: () => T0 });
  return { store, built };
}

function bruteForce(records: MemoryRecord[], space: SpaceConfig, q: Float32Array, k: number, keep: (r: MemoryRecord) => boolean) {
  return records
    .filter(keep)
    .map((r) => ({ id: r.id, d: exactDistance(space.metric, q, r.embedding) }))
    .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, k)
    .map((x) => x.id);
}

async function populate(store: Store, n: number, seed: number): Promise<void> {
  const r = rng(seed);
  for (let batch = 0; batch < 3; batch++) {
    const ops: WriteOp[] = [];
    for (let i = 0; i < n; i++) {
      const v = new Float32Array(DIM).map(() => r() * 2 - 1);
      const id = `m${batch * n + i}`;
      ops.push(remember('vs', id, v, i % 3 === 0 ? 'semantic' : 'episodic', T0 + i * 1000));
    }
    await store.write(ops);
    if (batch < 2) await store.flush(); // two segments, the last batch stays in the memtable
  }
}

describe('searchVectors over a store', () => {
  it('exact mode equals brute force over memtable + segments, with filters and tombstones', async () => {
    const { store, built } = await openWithIndex(tmp());
    await store.createSpace({ name: 'vs', dim: DIM, metric: 'cosine' });
    await populate(store, 300, 7);
    expect(built).toEqual([300, 300]);
    await store.write([{ op: 'forget', space: 'vs', id: 'm5' }, { op: 'forget', space: 'vs', id: 'm610' }]);
    const space = store.getSpace('vs');
    const cache = new SegmentIndexCache(true);
    const snap = store.snapshot();
    try {
      const all = [...snap.scan('vs')];
      expect(all.length).toBe(898);
      const r = rng(99);
      for (let qi = 0; qi < 20; qi++) {
        const q = new Float32Array(DIM).map(() => r() * 2 - 1);
        const exact = searchVectors(snap, space, q, { k: 10, exact: true }, cache).map((h) => h.id);
        expect(exact).toEqual(bruteForce(all, space, q, 10, () => true));
        const filtered = searchVectors(snap, space, q, { k: 10, exact: true, filter: (row) => row.kind === 'semantic' }, cache);
        expect(filtered.map((h) => h.id)).toEqual(bruteForce(all, space, q, 10, (x) => x.kind === 'semantic'));
        expect(filtered.every((h) => h.record.kind === 'semantic')).toBe(true);
        for (const id of exact) expect(['m5', 'm610']).not.toContain(id);
      }
      expect(cache.stats.rebuilt).toBe(0);
    } finally {
      snap.release();
      cache.closeAll();
      await store.close();
    }
  });

  it('memtable hits: the k closest by distance, ties by id, for every metric and k (duplicated vectors)', async () => {
    const { store } = await openWithIndex(tmp());
    try {
      for (const metric of ['cosine', 'l2', 'dot'] as const) {
        await store.createSpace({ name: `m-${metric}`, dim: DIM, metric });
        const r = rng(5);
        const base = Array.from({ length: 12 }, () => new Float32Array(DIM).map(() => r() * 2 - 1));
        // 60 memories over 12 distinct vectors: many exact distance ties, broken by id
        await store.write(Array.from({ length: 60 }, (_, i) => remember(`m-${metric}`, `x${String((i * 17) % 60).padStart(2, '0')}`, base[i % 12]!, 'episodic', T0)));
        const space = store.getSpace(`m-${metric}`);
        const cache = new SegmentIndexCache(true);
        const snap = store.snapshot();
        try {
          const all = [...snap.scan(`m-${metric}`)];
          for (let qi = 0; qi < 6; qi++) {
            const q = qi % 2 === 0 ? base[qi]! : new Float32Array(DIM).map(() => r() * 2 - 1);
            for (const k of [1, 3, 7, 59, 60, 80]) {
              const hits = searchVectors(snap, space, q, { k }, cache);
              expect(hits.map((h) => h.id), `${metric} k=${k}`).toEqual(bruteForce(all, space, q, k, () => true));
              for (const h of hits) expect(h.distance).toBe(exactDistance(metric, q, h.record.embedding));
            }
          }
        } finally {
          snap.release();
          cache.closeAll();
        }
      }
    } finally {
      await store.close();
    }
  });

  it('a hit read at its segment row is the record get() gives, decay updates above the segment applied', async () => {
    const { store } = await openWithIndex(tmp());
    await store.createSpace({ name: 'vs', dim: DIM, metric: 'cosine' });
    await populate(store, 200, 13);
    // presentations of segment rows: some flushed into a newer segment, some still in the memtable,
    // some ids presented in both (the memtable's is the newest)
    const present = (ids: number[], at: number): WriteOp[] => ids.map((i) => ({ op: 'present', space: 'vs', id: `m${i}`, at, times: 1 + (i % 3) }));
    await store.write(present(Array.from({ length: 60 }, (_, i) => i * 5), T0 + 5_000_000));
    await store.flush();
    await store.write(present(Array.from({ length: 60 }, (_, i) => i * 3 + 1), T0 + 9_000_000));
    const space = store.getSpace('vs');
    const cache = new SegmentIndexCache(true);
    const snap = store.snapshot();
    try {
      const r = rng(17);
      let updated = 0;
      for (let qi = 0; qi < 30; qi++) {
        const q = new Float32Array(DIM).map(() => r() * 2 - 1);
        const hits = searchVectors(snap, space, q, { k: 25 }, cache);
        for (const h of hits) {
          const viaGet = snap.get('vs', h.id);
          expect(h.record).toEqual(viaGet);
          if (h.record.decay.count > 1) updated++;
        }
        // searchVectorRows: the same hits, in order, as rows whose record is read on demand
        const rows = searchVectorRows(snap, space, q, { k: 25 }, cache);
        expect(rows.map((h) => [h.id, h.distance, h.similarity])).toEqual(hits.map((h) => [h.id, h.distance, h.similarity]));
        for (const [i, h] of rows.entries()) expect(h.view !== null ? h.view.record(h.row, h.id) : snap.get('vs', h.id)).toEqual(hits[i]!.record);
      }
      // the comparison covered rows whose decay state comes from above their segment
      expect(updated).toBeGreaterThan(20);
      // decay(row): the decay state alone, as the row's record carries it, for every live row;
      // updatedRows(): every row whose state comes from above is in it, and no other row needs it
      let fromAbove = 0;
      for (const v of snap.segments('vs')) {
        const updated = v.updatedRows();
        for (let row = 0; row < v.reader.rows; row++) {
          if (!bit(v.live, row)) continue;
          const d = v.decay(row);
          expect(d).toEqual(v.record(row).decay);
          expect(d).toEqual(snap.get('vs', v.reader.id(row))!.decay);
          const own = v.reader.decay(row);
          if (!updated.has(row)) expect(d).toEqual(own);
          if (d.count !== own.count) {
            fromAbove++;
            expect(updated.has(row)).toBe(true);
          }
        }
        expect(updated.size).toBeLessThan(v.liveCount);
      }
      expect(fromAbove).toBeGreaterThan(20);
      // a row that is not live (its id forgotten in the memtable) is refused, not read
      const [top] = snap.segments('vs');
      await store.write([{ op: 'forget', space: 'vs', id: top!.reader.id(0) }]);
      const after = store.snapshot();
      const [view] = after.segments('vs');
      expect(() => view!.record(0)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
      expect(() => view!.record(view!.reader.rows)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
      expect(() => view!.decay(0)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
      expect(() => view!.decay(0, top!.reader.id(0))).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
      expect(view!.record(1)).toEqual(after.get('vs', view!.reader.id(1)));
      after.release();
    } finally {
      snap.release();
      cache.closeAll();
      await store.close();
    }
  });

  it('approximate search reaches high recall and reports similarity', async () => {
    const { store } = await openWithIndex(tmp());
    await store.createSpace({ name: 'vs', dim: DIM, metric: 'cosine' });
    await populate(store, 400, 3);
    const space = store.getSpace('vs');
    const cache = new SegmentIndexCache(true);
    const snap = store.snapshot();
    const all = [...snap.scan('vs')];
    const r = rng(5);
    let hits = 0;
    for (let qi = 0; qi < 30; qi++) {
      const q = new Float32Array(DIM).map(() => r() * 2 - 1);
      const got = searchVectors(snap, space, q, { k: 10 }, cache);
      const truth = new Set(bruteForce(all, space, q, 10, () => true));
      hits += got.filter((h) => truth.has(h.id)).length;
      for (const h of got) expect(Math.abs(h.similarity - (1 - exactDistance('cosine', q, h.record.embedding)))).toBeLessThan(1e-4);
    }
    expect(hits / 300).toBeGreaterThanOrEqual(0.95);
    snap.release();
    cache.closeAll();
    await store.close();
  });

  it('reopening maps the graph files instead of rebuilding; a damaged file is rebuilt', async () => {
    const dir = tmp();
    {
      const { store } = await openWithIndex(dir);
      await store.createSpace({ name: 'vs', dim: DIM, metric: 'l2' });
      await populate(store, 200, 11);
      await store.close();
    }
    const { store, built } = await openWithIndex(dir);
    const space = store.getSpace('vs');
    const snap = store.snapshot();
    const views = snap.segments('vs');
    expect(views.length).toBeGreaterThanOrEqual(2);
    const cache = new SegmentIndexCache(true);
    const q = new Float32Array(DIM).fill(0.1);
    const first = searchVectors(snap, space, q, { k: 5, exact: true }, cache).map((h) => h.id);
    expect(cache.stats.rebuilt).toBe(0);
    expect(built).toEqual([]);
    cache.closeAll();
    // Damage one graph file: the next open rebuilds it from the segment and answers the same.
    const file = hnswPathFor(views[0]!.reader);
    expect(existsSync(file)).toBe(true);
    const bytes = readFileSync(file);
    const mid = bytes.length >> 1;
    bytes[mid] = bytes[mid]! ^ 0xff;
    writeFileSync(file, bytes);
    const cache2 = new SegmentIndexCache(true);
    expect(searchVectors(snap, space, q, { k: 5, exact: true }, cache2).map((h) => h.id)).toEqual(first);
    expect(cache2.stats.rebuilt).toBe(1);
    snap.release();
    cache2.closeAll();
    await store.close();
  });

  it('rejects a query of the wrong dimension', async () => {
    const { store } = await openWithIndex(tmp());
    await store.createSpace({ name: 'vs', dim: DIM, metric: 'dot' });
    const snap = store.snapshot();
    expect(() => searchVectors(snap, store.getSpace('vs'), new Float32Array(3), { k: 1 }, new SegmentIndexCache(true))).toThrow(
      /dimension 24, the query vector has 3/,
    );
    snap.release();
    await store.close();
  });

  it('rejects a query with a NaN or infinite component, also when only the memtable holds rows', async () => {
    const { store } = await openWithIndex(tmp());
    await store.createSpace({ name: 'vs', dim: DIM, metric: 'cosine' });
    await store.write([remember('vs', 'm1', new Float32Array(DIM).fill(0.5), 'episodic', T0)]);
    const snap = store.snapshot();
    for (const bad of [NaN, Infinity]) {
      const q = new Float32Array(DIM).fill(0.25);
      q[7] = bad;
      expect(() => searchVectors(snap, store.getSpace('vs'), q, { k: 1 }, new SegmentIndexCache(true))).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
    snap.release();
    await store.close();
  });

  it('an old and a new snapshot searched in turn share the open indexes (no reopen per search)', async () => {
    const { store } = await openWithIndex(tmp());
    await store.createSpace({ name: 'vs', dim: DIM, metric: 'l2' });
    await populate(store, 150, 21);
    const space = store.getSpace('vs');
    const old = store.snapshot();
    await store.compact('vs');
    const fresh = store.snapshot();
    const oldIds = new Set(old.segments('vs').map((v) => v.segmentId));
    expect(fresh.segments('vs').some((v) => !oldIds.has(v.segmentId))).toBe(true);
    const cache = new SegmentIndexCache(true);
    const q = new Float32Array(DIM).fill(0.2);
    const want = [searchVectors(old, space, q, { k: 5 }, cache), searchVectors(fresh, space, q, { k: 5 }, cache)].map((l) => l.map((h) => h.id));
    const opened = cache.stats.opened;
    for (let i = 0; i < 5; i++) {
      expect(searchVectors(old, space, q, { k: 5 }, cache).map((h) => h.id)).toEqual(want[0]);
      expect(searchVectors(fresh, space, q, { k: 5 }, cache).map((h) => h.id)).toEqual(want[1]);
    }
    expect(cache.stats.opened).toBe(opened);
    // once the old snapshot is gone its retired segments' indexes are closed at the next search
    old.release();
    searchVectors(fresh, space, q, { k: 5 }, cache);
    expect(cache.stats.open).toBe(fresh.segments('vs').length);
    fresh.release();
    cache.closeAll();
    expect(cache.stats.open).toBe(0);
    await store.close();
  });
});
