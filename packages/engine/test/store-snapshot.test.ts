/**
 * Snapshots and LSM read rules (docs/storage.md): a snapshot keeps a stable view across later
 * writes, flushes and compactions (and keeps retired segments alive until released); newest wins
 * across memtable and segments; tombstones shadow older rows; decay updates fold over rows in older
 * segments; live-row bitmaps mark exactly the visible rows; released snapshots throw RELEASED.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { bit } from '../src/hnsw/filter.js';
import { openStore, type Snapshot, type Store } from '../src/storage/index.js';
import { SegmentHandle } from '../src/storage/store/segment-handle.js';
import { associate, cleanupDirs, errorCodeOf, remember, tempDir } from './helpers/store-fixtures.js';

afterAll(cleanupDirs);

const S = 'l';
const ids = (snap: Snapshot): string[] => [...snap.scan(S)].map((m) => `${m.id}:${m.content}`);

async function fresh(): Promise<Store> {
  const s = await openStore(tempDir(), { compaction: { auto: false } });
  await s.createSpace({ name: S, dim: 2 });
  return s;
}

describe('snapshots', () => {
  it('see a stable view across later writes, flush and compaction', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'a', 'a1', [1, 0]), remember(S, 'b', 'b1', [0, 1]), associate(S, 'a', 'b')]);
      await s.flush();
      await s.write([remember(S, 'c', 'c1', [1, 1])]);
      const snap = s.snapshot();
      const before = ids(snap);
      expect(before).toEqual(['a:a1', 'b:b1', 'c:c1']);
      await s.write([remember(S, 'a', 'a2', [1, 0]), { op: 'forget', space: S, id: 'b' }, remember(S, 'd', 'd1', [0, 0])]);
      expect(ids(snap)).toEqual(before);
      await s.flush();
      expect(ids(snap)).toEqual(before);
      const retired = snap.segments(S).map((v) => v.reader.path);
      await s.compact(S);
      expect(ids(snap)).toEqual(before);
      expect(snap.associationsFrom(S, 'a').map((x) => x.to)).toEqual(['b']);
      expect(snap.get(S, 'a')?.content).toBe('a1');
      // the retired segment stays mapped (and on disk) while the snapshot holds it
      for (const p of retired) expect(existsSync(p)).toBe(true);
      expect(ids(s.snapshot())).toEqual(['a:a2', 'c:c1', 'd:d1']);
      snap.release();
      snap.release();
      await new Promise((r) => setTimeout(r, 50));
      for (const p of retired) expect(existsSync(path.dirname(p))).toBe(false);
      expect(errorCodeOf(() => snap.get(S, 'a'))).toBe('RELEASED');
    } finally {
      await s.close();
    }
  });
});

describe('memtable records', () => {
  it('are built once per store state: snapshots at the same seq share them, a write or a flush makes new ones', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'b', 'b1', [1, 0]), remember(S, 'a', 'a1', [0, 1])]);
      const one = s.snapshot();
      const two = s.snapshot();
      const list = one.memtableRecords(S);
      expect(list.map((r) => `${r.id}:${r.content}`)).toEqual(['a:a1', 'b:b1']);
      expect(two.memtableRecords(S)).toBe(list);
      await s.write([remember(S, 'c', 'c1', [1, 1]), remember(S, 'a', 'a2', [0, 1])]);
      const three = s.snapshot();
      expect(three.memtableRecords(S).map((r) => `${r.id}:${r.content}`)).toEqual(['a:a2', 'b:b1', 'c:c1']);
      // the older snapshots still see their state
      expect(one.memtableRecords(S).map((r) => `${r.id}:${r.content}`)).toEqual(['a:a1', 'b:b1']);
      const four = s.snapshot();
      expect(four.memtableRecords(S)).toBe(three.memtableRecords(S));
      await s.flush();
      const five = s.snapshot();
      expect(five.memtableRecords(S)).toEqual([]);
      for (const x of [one, two, three, four, five]) x.release();
    } finally {
      await s.close();
    }
  });
});

describe('LSM read rules', () => {
  it('newest wins; tombstones shadow older segments; re-remembered ids do not get old edges back', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'x', 'old', [1, 0]), remember(S, 'y', 'y', [0, 1]), associate(S, 'x', 'y'), associate(S, 'y', 'x')]);
      await s.flush();
      await s.write([{ op: 'forget', space: S, id: 'x' }]);
      await s.flush();
      expect(s.get(S, 'x')).toBeUndefined();
      await s.write([remember(S, 'x', 'new', [0.5, 0.5])]);
      expect(s.get(S, 'x')?.content).toBe('new');
      const snap = s.snapshot();
      expect(snap.associationsFrom(S, 'x')).toEqual([]);
      expect(snap.associationsTo(S, 'x')).toEqual([]);
      expect(snap.associationsFrom(S, 'y')).toEqual([]);
      const segs = snap.segments(S);
      expect(segs.length).toBe(2);
      // newest segment holds only the tombstone; the oldest one's row x is shadowed, y is live
      expect(segs.map((v) => v.liveCount)).toEqual([0, 1]);
      expect(snap.memtableRecords(S).map((m) => m.id)).toEqual(['x']);
      snap.release();
      await s.compact(S);
      const after = s.snapshot();
      expect(ids(after)).toEqual(['x:new', 'y:y']);
      expect(after.segments(S).map((v) => [v.reader.rows, v.liveCount])).toEqual([[1, 1]]);
      after.release();
    } finally {
      await s.close();
    }
  });

  it('presentations of a memory in a segment become decay updates and fold correctly', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'm', 'm', [1, 0], { created: 1_000_000 })]);
      await s.flush();
      await s.write([{ op: 'present', space: S, id: 'm', at: 2_000_000 }]);
      expect(s.get(S, 'm')?.decay.count).toBe(2);
      await s.flush();
      await s.write([{ op: 'present', space: S, id: 'm', at: 3_000_000, times: 2 }]);
      await s.flush();
      const snap = s.snapshot();
      expect(snap.segments(S).map((v) => v.reader.rows)).toEqual([0, 0, 1]);
      expect(snap.get(S, 'm')?.decay.count).toBe(4);
      expect(snap.get(S, 'm')?.decay.recentTimes).toEqual([1_000_000, 2_000_000, 3_000_000, 3_000_000]);
      snap.release();
      await s.compact(S);
      expect(s.get(S, 'm')?.decay.count).toBe(4);
      expect(s.stats().spaces.find((x) => x.name === S)?.segments).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('dissociate without a kind removes every kind; associations() lists all live edges in order', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'a', 'a', [1, 0]), remember(S, 'b', 'b', [0, 1]), associate(S, 'a', 'b', 'assoc'), associate(S, 'a', 'b', 'next'), associate(S, 'b', 'a', 'assoc')]);
      await s.flush();
      await s.write([{ op: 'dissociate', space: S, from: 'a', to: 'b' }]);
      const snap = s.snapshot();
      expect([...snap.associations(S)].map((x) => `${x.from}>${x.to}:${x.kind}`)).toEqual(['b>a:assoc']);
      snap.release();
    } finally {
      await s.close();
    }
  });
});

describe('iterators of a released snapshot', () => {
  it('scan() and associations() iterators throw RELEASED after release instead of yielding a wrong view', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'a', 'a1', [1, 0]), remember(S, 'b', 'b1', [0, 1]), remember(S, 'c', 'c1', [1, 1]), associate(S, 'a', 'b'), associate(S, 'b', 'c')]);
      const snap = s.snapshot();
      const it1 = snap.scan(S);
      const it2 = snap.associations(S);
      expect(it1.next().value?.content).toBe('a1');
      expect(it2.next().value?.to).toBe('b');
      snap.release();
      // the memtable no longer keeps the versions the released snapshot saw
      await s.write([remember(S, 'c', 'c2', [1, 1]), { op: 'forget', space: S, id: 'c' }]);
      for (const it of [it1, it2] as Iterator<unknown>[]) expect(errorCodeOf(() => it.next())).toBe('RELEASED');
    } finally {
      await s.close();
    }
  });
});

describe('spaces of a snapshot', () => {
  it('a read of a space the snapshot does not have is UNKNOWN_SPACE, like store.get, not an empty result', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'a', 'a1', [1, 0])]);
      await s.createSpace({ name: 'gone', dim: 2 });
      const before = s.snapshot();
      await s.dropSpace('gone');
      const snap = s.snapshot();
      const reads: Array<[string, (space: string) => unknown]> = [
        ['get', (sp) => snap.get(sp, 'a')], ['scan', (sp) => snap.scan(sp)], ['count', (sp) => snap.count(sp)],
        ['associationsFrom', (sp) => snap.associationsFrom(sp, 'a')], ['associationsTo', (sp) => snap.associationsTo(sp, 'a')],
        ['associations', (sp) => snap.associations(sp)], ['segments', (sp) => snap.segments(sp)], ['memtableRecords', (sp) => snap.memtableRecords(sp)],
      ];
      for (const [name, read] of reads) {
        expect(errorCodeOf(() => read('nope')), name).toBe('UNKNOWN_SPACE');
        expect(errorCodeOf(() => read('gone')), name).toBe('UNKNOWN_SPACE');
        expect(errorCodeOf(() => read(S)), name).toBe('ok');
      }
      expect(errorCodeOf(() => s.get('nope', 'a'))).toBe('UNKNOWN_SPACE');
      // A snapshot taken before the drop still has the space (and reads it as it was).
      expect(before.count('gone')).toBe(0);
      before.release();
      snap.release();
    } finally {
      await s.close();
    }
  });
});

describe('read arguments', () => {
  it('a non-string id is INVALID_ARGUMENT on every read (not a TypeError from the segment reader)', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'a', 'a', [1, 0]), remember(S, 'b', 'b', [0, 1]), associate(S, 'a', 'b')]);
      await s.flush();
      const snap = s.snapshot();
      for (const bad of [null, undefined, 7, {}] as unknown as string[]) {
        for (const read of [() => snap.get(S, bad), () => s.get(S, bad), () => snap.associationsFrom(S, bad), () => snap.associationsTo(S, bad)]) {
          expect(errorCodeOf(read), String(bad)).toBe('INVALID_ARGUMENT');
        }
      }
      expect(snap.get(S, 'a')?.content).toBe('a');
      snap.release();
    } finally {
      await s.close();
    }
  });
});

describe('segment lifetime across a space drop', () => {
  it('a dropped space stays readable (and its files on disk) for an older snapshot, and is closed and deleted on release', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'a', 'old', [1, 0])]);
      await s.flush();
      const snap = s.snapshot();
      const files = snap.segments(S).map((v) => v.reader);
      expect(files.length).toBe(1);
      await s.dropSpace(S);
      await s.createSpace({ name: S, dim: 3 });
      await s.write([remember(S, 'a', 'new', [1, 0, 0])]);
      await s.flush();
      expect(snap.get(S, 'a')?.content).toBe('old');
      expect(s.get(S, 'a')?.content).toBe('new');
      for (const r of files) expect(existsSync(r.path) && !r.released).toBe(true);
      snap.release();
      await new Promise((r) => setTimeout(r, 50));
      for (const r of files) expect([existsSync(path.dirname(r.path)), r.released]).toEqual([false, true]);
      expect(s.get(S, 'a')?.content).toBe('new');
    } finally {
      await s.close();
    }
  });
});

describe('live-row bitmap cost', () => {
  it('after a flush, only the new segment is checked against the older ones (their bitmaps are reused)', async () => {
    const s = await fresh();
    const spy = vi.spyOn(SegmentHandle.prototype, 'findRow');
    try {
      const ROWS = 50;
      let expected: number[] = [];
      for (let k = 0; k < 5; k++) {
        // each flush shadows the first 10 ids of every older segment
        const ops = Array.from({ length: ROWS }, (_, i) => remember(S, i < 10 ? `shared${i}` : `s${k}-${i}`, `v${k}`, [1, 0]));
        await s.write(ops);
        await s.flush();
        const snap = s.snapshot();
        spy.mockClear();
        const views = snap.segments(S);
        // the new top segment's rows are looked up in each older segment once; nothing else
        expect(spy.mock.calls.length).toBe(k * ROWS);
        expected = [ROWS, ...expected.map((n) => (n === ROWS ? ROWS - 10 : n))];
        expect(views.map((v) => v.liveCount)).toEqual(expected);
        snap.release();
      }
    } finally {
      spy.mockRestore();
      await s.close();
    }
  });

  it('a new snapshot checks only the memtable ids added since the last one against the segments', async () => {
    const s = await fresh();
    const spy = vi.spyOn(SegmentHandle.prototype, 'findRow');
    try {
      for (let k = 0; k < 2; k++) {
        await s.write(Array.from({ length: 20 }, (_, i) => remember(S, `seg${k}-${i}`, 'x', [1, 0])));
        await s.flush();
      }
      // 30 memtable ids, 5 of them replacing rows of the older segment
      await s.write(Array.from({ length: 30 }, (_, i) => remember(S, i < 5 ? `seg0-${i}` : `mem-${i}`, 'new', [0, 1])));
      const first = s.snapshot();
      expect(first.segments(S).map((v) => v.liveCount)).toEqual([20, 15]);
      first.release();
      await s.write([remember(S, 'seg1-0', 'newer', [1, 1]), { op: 'forget', space: S, id: 'mem-7' }]);
      const next = s.snapshot();
      spy.mockClear();
      expect(next.segments(S).map((v) => v.liveCount)).toEqual([19, 15]);
      // one new memtable id ('seg1-0') looked up in each of the two segments
      expect(spy.mock.calls.length).toBe(2);
      next.release();
    } finally {
      spy.mockRestore();
      await s.close();
    }
  });

  it('snapshots share an unshadowed live bitmap and copy it only to clear memtable-shadowed rows', async () => {
    const s = await fresh();
    try {
      await s.write(Array.from({ length: 20 }, (_, i) => remember(S, `m${i}`, 'x', [1, 0])));
      await s.flush();
      const a = s.snapshot();
      const b = s.snapshot();
      const [va] = a.segments(S);
      const [vb] = b.segments(S);
      // nothing shadows the segment: one bitmap, no copy per snapshot
      expect(vb!.live).toBe(va!.live);
      const before = Array.from(va!.live);
      // a memtable record and a tombstone shadow rows 3 and 7 for snapshots taken from now on
      await s.write([remember(S, 'm3', 'newer', [0, 1]), { op: 'forget', space: S, id: 'm7' }]);
      const c = s.snapshot();
      const [vc] = c.segments(S);
      expect(vc!.live).not.toBe(va!.live);
      expect(vc!.liveCount).toBe(18);
      const liveRows = (v: typeof vc) => Array.from({ length: v!.reader.rows }, (_, r) => r).filter((r) => bit(v!.live, r));
      expect(liveRows(vc).map((r) => vc!.reader.id(r))).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`).filter((id) => id !== 'm3' && id !== 'm7').sort());
      // the older snapshots' bitmap is untouched by the copy's clears
      expect(Array.from(va!.live)).toEqual(before);
      expect(va!.liveCount).toBe(20);
      expect(liveRows(va)).toHaveLength(20);
      for (const snap of [a, b, c]) snap.release();
    } finally {
      await s.close();
    }
  });
});
