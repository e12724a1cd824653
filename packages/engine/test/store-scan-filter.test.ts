/**
 * Filtered scans and ref scans (docs/storage.md, "LSM read rules"): `snapshot.scan(space, filter)` returns
 * exactly the memories of the unfiltered scan that the filter accepts — across memtables, segments,
 * tombstones and decay updates above older rows — and tests a segment row through a RowRef
 * before it reads the row's record, so the rows it rejects are never materialised;
 * `snapshot.refs(space)` gives the same memories' stored columns without reading any record.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { WriteOp } from '../src/model.js';
import { openStore, seededRandom, SegmentReader, type RowPredicate, type RowRef, type Store } from '../src/storage/index.js';
import { cleanupDirs, remember, tempDir } from './helpers/store-fixtures.js';

afterAll(cleanupDirs);

const S = 'f';
const T0 = Date.UTC(2026, 0, 1);

/** 600 memories over three segments and a memtable, with overwrites, forgets and presentations. */
async function layered(): Promise<Store> {
  const s = await openStore(tempDir(), { compaction: { auto: false } });
  await s.createSpace({ name: S, dim: 2 });
  const rnd = seededRandom(11);
  let n = 0;
  for (let layer = 0; layer < 4; layer++) {
    const ops: WriteOp[] = [];
    for (let i = 0; i < 200; i++) {
      const id = `m${String(Math.floor(rnd() * 600)).padStart(3, '0')}`;
      const r = rnd();
      if (r < 0.1 && layer > 0) ops.push({ op: 'forget' as const, space: S, id });
      else if (r < 0.25 && layer > 0) ops.push({ op: 'present' as const, space: S, id, at: T0 + 1000 * ++n });
      else {
        ops.push(remember(S, id, `${layer % 2 === 0 ? 'even' : 'odd'} ${id} ${i}`, [rnd(), rnd()], {
          created: T0 - Math.floor(rnd() * 50) * 60_000,
          kind: rnd() < 0.3 ? 'semantic' : 'episodic',
          meta: rnd() < 0.5 ? { n: Math.floor(rnd() * 5) } : null,
        }));
      }
    }
    // present/forget of ids never remembered are refused by the store: keep only known ones
    const known = new Set<string>();
    const snap = s.snapshot();
    for (const m of snap.scan(S)) known.add(m.id);
    snap.release();
    const valid: WriteOp[] = [];
    for (const o of ops) {
      if (o.op === 'remember') known.add(o.record.id);
      else if (o.op === 'forget' || o.op === 'present') {
        if (!known.has(o.id)) continue;
        if (o.op === 'forget') known.delete(o.id);
      }
      valid.push(o);
    }
    await s.write(valid);
    if (layer < 3) await s.flush();
  }
  return s;
}

const FILTERS: Array<[string, RowPredicate]> = [
  ['kind', (r: RowRef) => r.kind === 'semantic'],
  ['created', (r: RowRef) => r.created >= T0 - 20 * 60_000],
  ['meta', (r: RowRef) => (r.meta as { n?: number } | null)?.n === 2],
  ['content', (r: RowRef) => r.content.startsWith('odd')],
  ['id and confidence', (r: RowRef) => r.id < 'm300' && r.confidence.lo <= 1],
  ['none', () => false],
  ['all', () => true],
];

describe('filtered scan', () => {
  it('equals the unfiltered scan filtered afterwards, over memtable, segments, tombstones and decay updates', async () => {
    const s = await layered();
    try {
      const snap = s.snapshot();
      expect(snap.segments(S).length).toBe(3);
      const all = [...snap.scan(S)];
      expect(all.length).toBeGreaterThan(300);
      expect(all.some((m) => m.decay.count > 1)).toBe(true);
      for (const [what, f] of FILTERS) {
        const got = [...snap.scan(S, f)];
        expect(got, what).toEqual(all.filter(f));
      }
      snap.release();
    } finally {
      await s.close();
    }
  });

  it('reads no segment record for a row the filter rejects', async () => {
    const s = await layered();
    try {
      const snap = s.snapshot();
      const spy = vi.spyOn(SegmentReader.prototype, 'record');
      try {
        expect([...snap.scan(S, () => false)]).toEqual([]);
        expect(spy).not.toHaveBeenCalled();
        const semantic = [...snap.scan(S, (r) => r.kind === 'semantic')];
        expect(semantic.length).toBeGreaterThan(0);
        // at most one record per accepted memory (memtable winners are not segment records)
        expect(spy.mock.calls.length).toBeLessThanOrEqual(semantic.length);
        spy.mockClear();
        const all = [...snap.scan(S)];
        expect(spy.mock.calls.length).toBeGreaterThan(semantic.length);
        expect(spy.mock.calls.length).toBeLessThanOrEqual(all.length);
      } finally {
        spy.mockRestore();
        snap.release();
      }
    } finally {
      await s.close();
    }
  });

  it('refs() gives every live memory\'s stored columns, in scan order, without reading a segment record', async () => {
    const s = await layered();
    try {
      const snap = s.snapshot();
      const cols = (r: RowRef): unknown[] => [r.id, r.kind, r.created, r.recorded, r.confidence, r.content, r.meta];
      const all = [...snap.scan(S)].map(cols);
      const spy = vi.spyOn(SegmentReader.prototype, 'record');
      try {
        const refs: unknown[][] = [];
        for (const r of snap.refs(S)) refs.push(cols(r));
        expect(spy).not.toHaveBeenCalled();
        expect(refs).toEqual(all);
      } finally {
        spy.mockRestore();
        snap.release();
      }
    } finally {
      await s.close();
    }
  });
});
