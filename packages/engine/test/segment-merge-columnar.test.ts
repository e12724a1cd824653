/**
 * The columnar compaction merge (planMerge + writeSegment copying columns from the mapped
 * inputs, docs/segment_format.md §1 "Compaction") against the row path (mergeSegments +
 * writeSegment): for seeded random stacks — overlapping ids, tombstones, decay updates (folded
 * and carried), associations and association tombstones, non-ASCII ids, varied meta — both
 * paths must write byte-identical files, for every run, bottom or not, version 1 inputs too; and a
 * lone input re-merged must come back byte for byte (the copy writer = the object writer).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecayState } from '../src/model.js';
import { nodeEnv, type Env, type EnvFile } from '../src/storage/env/index.js';
import { isPlanned, mergeSegments, openSegment, planMerge, writeSegment } from '../src/storage/segment/index.js';
import type { SegmentContent, SegmentReader, SegmentRow } from '../src/storage/segment/index.js';
import { decayState, emptyContent, makeAssoc, makeRow, rng, tempDir, toVersion1 } from './segment-fixtures.js';

const POOL = ['a', 'b', 'é', 'ｚ', '\u{1F600}x', 'm1', 'm10', 'm100', 'm2', 'zz', 'Ω'];
const KINDS = ['k1', 'k2', 'assoc'];
const METAS: unknown[] = [
  null, 'text', 42, -0.5, [1, 'two', { three: 3 }], { a: { b: [true, false, null] } }, { big: 2 ** 40, neg: -7 },
  { when: new Date(1_700_000_000_000) }, { bytes: Buffer.from([1, 2, 3]) }, { f: new Float32Array([1.5, -2]) },
  { set: new Set([1, 'x']) }, { u: undefined, v: 1 },
];

/** nodeEnv without fsyncs: these files only need to be compared, not to survive a power cut. */
const bind = <T extends object>(o: T, k: string | symbol): unknown => { const v = Reflect.get(o, k); return typeof v === 'function' ? v.bind(o) : v; };
const noSync: Env = new Proxy(nodeEnv, {
  get(env, k) {
    if (k === 'fsyncDir') return async () => undefined;
    if (k !== 'open') return bind(env, k);
    return async (file: string, mode: Parameters<Env['open']>[1]): Promise<EnvFile> => {
      const f = await env.open(file, mode);
      return new Proxy(f, { get: (ff, fk) => (fk === 'sync' ? async () => undefined : bind(ff, fk)) });
    };
  },
});

/** Seeded pick of a subset of `items`. */
function subset<T>(r: () => number, items: readonly T[], p: number): T[] {
  return items.filter(() => r() < p);
}

/** A random segment; `wide` ids beyond the small pool make long disjoint and interleaved runs. */
function randomSegment(r: () => number, s: number, dim: number, wide: number): SegmentContent {
  const many = Array.from({ length: wide }, (_, i) => `m${Math.floor(r() * wide * 4)}`);
  const rowIds = [...new Set([...subset(r, POOL, 0.5), ...many])];
  const tombs = subset(r, POOL, 0.2);
  const taken = new Set([...rowIds, ...tombs]);
  const dus = subset(r, POOL, 0.25).filter((id) => !taken.has(id));
  const rows: SegmentRow[] = rowIds.map((id) => makeRow(r, dim, id, { meta: METAS[Math.floor(r() * METAS.length)] }));
  if (rows[0] !== undefined && r() < 0.5) {
    // An embedding holding a NaN with a payload: both paths must keep its bits.
    new Uint32Array(rows[0].embedding.buffer)[0] = 0x7fc0beef;
  }
  const pairs = POOL.flatMap((f) => POOL.map((t) => [f, t] as const));
  return emptyContent({
    dim, segmentId: 100 + s, minLsn: 1000 - 10 * s, maxLsn: 1005 - 10 * s, created: 5000 - s,
    rows, tombstones: tombs,
    decayUpdates: dus.map((id): { id: string; decay: DecayState } => ({ id, decay: decayState(r, Math.floor(r() * 9)) })),
    associations: subset(r, pairs, 0.05).flatMap(([f, t]) => subset(r, KINDS, 0.5).map((k) => makeAssoc(r, f, t, k))),
    assocTombstones: subset(r, pairs, 0.03).map(([from, to]) => ({ from, to, kind: r() < 0.5 ? null : (KINDS[Math.floor(r() * KINDS.length)] as string) })),
  });
}

describe('columnar merge = row merge, byte for byte', () => {
  let tmp: ReturnType<typeof tempDir>;
  let n = 0;
  beforeAll(() => { tmp = tempDir(); });
  afterAll(() => tmp.cleanup());

  async function writeOpen(c: SegmentContent, blockShift: number): Promise<SegmentReader> {
    const info = await writeSegment(join(tmp.dir, `in${++n}`, 'seg-1'), c, { blockShift, env: noSync });
    return openSegment(info.path);
  }

  async function both(readers: SegmentReader[], bottom: boolean): Promise<[Buffer, Buffer, boolean]> {
    const opts = { bottom, segmentId: 999, space: 'notes', dim: readers[0]?.dim ?? 1 };
    const oldInfo = await writeSegment(join(tmp.dir, `old${++n}`, 'seg-1'), mergeSegments(readers, opts), { env: noSync });
    const planned = planMerge(readers, opts);
    const newInfo = await writeSegment(join(tmp.dir, `new${++n}`, 'seg-1'), planned, { env: noSync });
    expect(newInfo.rows).toBe(oldInfo.rows);
    return [readFileSync(oldInfo.path), readFileSync(newInfo.path), isPlanned(planned)];
  }

  it('random stacks: every run merged both ways gives the same file (60 stacks)', async () => {
    let runs = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed);
      const dim = 1 + Math.floor(r() * 9);
      const depth = 1 + Math.floor(r() * 5);
      const wide = seed % 3 === 0 ? 300 : 0;
      const readers: SegmentReader[] = [];
      for (let s = 0; s < depth; s++) readers.push(await writeOpen(randomSegment(r, s, dim, wide), 6 + Math.floor(r() * 11)));
      const i = Math.floor(r() * depth);
      const j = i + 1 + Math.floor(r() * (depth - i));
      const [a, b, planned] = await both(readers.slice(i, j), j === depth);
      expect(planned).toBe(true);
      expect(b.equals(a), `seed ${seed} run ${i}..${j} of ${depth}`).toBe(true);
      readers.forEach((x) => x.close());
      runs++;
    }
    expect(runs).toBe(60);
  });

  it('a lone input re-merged (not bottom) is rewritten byte for byte: the object writer and the copy writer agree (40 segments)', async () => {
    for (let seed = 100; seed < 140; seed++) {
      const r = rng(seed);
      const dim = 1 + Math.floor(r() * 6);
      const c = randomSegment(r, 0, dim, seed % 4 === 0 ? 200 : 0);
      const rd = await writeOpen(c, 16);
      const merged = planMerge([rd], { bottom: false, segmentId: c.segmentId, space: 'notes', dim, created: c.created });
      const info = await writeSegment(join(tmp.dir, `re${++n}`, 'seg-1'), merged, { env: noSync });
      expect(readFileSync(info.path).equals(readFileSync(rd.path)), `seed ${seed}`).toBe(true);
      rd.close();
    }
  });

  it('version 1 inputs (older stores) merge the same both ways', async () => {
    for (let seed = 200; seed < 210; seed++) {
      const r = rng(seed);
      const readers: SegmentReader[] = [];
      for (let s = 0; s < 3; s++) {
        const v2 = await writeOpen(randomSegment(r, s, 3, 50), 16);
        const path = join(tmp.dir, `v1-${++n}.seg`);
        writeFileSync(path, toVersion1(readFileSync(v2.path)));
        v2.close();
        readers.push(openSegment(path));
      }
      expect(readers.map((x) => x.version)).toEqual([1, 1, 1]);
      const [a, b, planned] = await both(readers, seed % 2 === 0);
      expect(planned).toBe(true);
      expect(b.equals(a), `seed ${seed}`).toBe(true);
      readers.forEach((x) => x.close());
    }
  });

  it('disjoint interleaved inputs (the ingest shape) copy every row, runs included', async () => {
    const r = rng(7);
    const dim = 16;
    const readers: SegmentReader[] = [];
    // Four flushes of consecutive numeric ids: in byte order their ids interleave ("m1" < "m10" < "m100" …).
    for (let s = 3; s >= 0; s--) {
      const rows = Array.from({ length: 2000 }, (_, k) => makeRow(r, dim, `m${s * 2000 + k}`, { meta: null }));
      readers.push(await writeOpen(emptyContent({ dim, segmentId: s, rows }), 16));
    }
    const [a, b] = await both(readers, true);
    expect(b.equals(a)).toBe(true);
    const merged = planMerge(readers, { bottom: true, segmentId: 1, space: 'notes', dim });
    expect(isPlanned(merged) && merged.rowPlan.count).toBe(8000);
    readers.forEach((x) => x.close());
  });

  it('a merge whose rows are all shadowed writes no rows; an empty run keeps only its tombstones', async () => {
    const r = rng(3);
    const old = await writeOpen(emptyContent({ dim: 2, rows: [makeRow(r, 2, 'a'), makeRow(r, 2, 'b')] }), 16);
    const gone = await writeOpen(emptyContent({ dim: 2, tombstones: ['a', 'b'] }), 16);
    for (const bottom of [false, true]) {
      const [x, y] = await both([gone, old], bottom);
      expect(y.equals(x)).toBe(true);
      const m = planMerge([gone, old], { bottom, segmentId: 5, space: 'notes', dim: 2 });
      expect([isPlanned(m) ? m.rowPlan.count : -1, m.tombstones]).toEqual([0, bottom ? [] : ['a', 'b']]);
    }
    old.close();
    gone.close();
  });
});
