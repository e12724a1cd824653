/**
 * Oracle test of spreadAssociations (docs/graph.md §5) against the cognitive `spread` on random
 * dense graphs full of cycles and exact activation ties (weights from a small set), with random
 * MAX_HOPS, DECAY, THRESHOLD, LIMIT, strength; node budgets and an injected clock must produce the
 * same LIMIT_EXCEEDED errors after the same number of clock reads; bad options the same errors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spread, type SpreadGraph, type SpreadOptions } from '../src/cognitive/index.js';
import { associationGraph, spreadAssociations } from '../src/graph/index.js';
import { openStore, type Snapshot, type Store } from '../src/storage/index.js';
import type { WriteOp } from '../src/model.js';
import { cleanupDirs, remember, tempDir } from './helpers/store-fixtures.js';
import { seededRandom as rng } from '../src/index.js';

afterAll(cleanupDirs);

const S = 'sp';

function naive(snap: Snapshot): SpreadGraph {
  return {
    neighbors: (id) => snap.associationsFrom(S, id).map((a) => ({ to: a.to, weight: a.weight })),
    fan: (id) => snap.associationsFrom(S, id).length,
    baseLevel: (id) => id.length,
  };
}

/** Runs `f`, returning its value or the error's code and message. */
function outcome<T>(f: () => T): T | { code: string; message: string } {
  try {
    return f();
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { code: err.code ?? 'none', message: err.message };
  }
}

/** A counting fake clock advancing `step` ms per read. */
function fakeClock(step: number): { fn: () => number; reads: () => number } {
  let t = 0;
  let n = 0;
  return { fn: () => ((n += 1), (t += step)), reads: () => n };
}

async function denseStore(r: () => number, nodes: number, edges: number): Promise<Store> {
  const store = await openStore(tempDir('mnemo-spread-'), { durability: 'off', compaction: { auto: false } });
  await store.createSpace({ name: S, dim: 1 });
  const ids = Array.from({ length: nodes }, (_, i) => `n${(i * 7919) % nodes}`);
  await store.write(ids.map((id) => remember(S, id, id, [1])));
  const weights = [1, 0.5, 0.25, 0.8, 2, -1];
  const ops: WriteOp[] = [];
  for (let e = 0; e < edges; e++) {
    const from = ids[Math.floor(r() * nodes)] as string;
    const to = ids[Math.floor(r() * nodes)] as string;
    const weight = weights[Math.floor(r() * weights.length)] as number;
    ops.push({ op: 'associate', space: S, assoc: { from, to, kind: r() < 0.8 ? 'assoc' : 'next', weight, confidence: { lo: 1, hi: 1 }, created: 1 } });
  }
  // Some edges in an older segment, some in a newer one, the rest in the memtable.
  const third = Math.floor(ops.length / 3);
  await store.write(ops.slice(0, third));
  await store.flush();
  await store.write(ops.slice(third, 2 * third));
  await store.flush();
  await store.write(ops.slice(2 * third));
  return store;
}

function randomOpts(r: () => number): SpreadOptions {
  return {
    maxHops: Math.floor(r() * 6),
    decay: [1, 0.5, 0.9][Math.floor(r() * 3)] as number,
    threshold: [0, 0.001, 0.05, 0.3][Math.floor(r() * 4)] as number,
    strength: [5, 2, 1][Math.floor(r() * 3)] as number,
    ...(r() < 0.3 ? { limit: Math.floor(r() * 6) } : {}),
  };
}

describe('spreadAssociations equals the cognitive spread', () => {
  it('on dense cyclic graphs with ties, random parameters, from segments and the memtable', async () => {
    let runs = 0;
    let rows = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const r = rng(seed * 101);
      const nodes = 8 + Math.floor(r() * 25);
      const store = await denseStore(r, nodes, nodes * (2 + Math.floor(r() * 4)));
      const snap = store.snapshot();
      try {
        const g = associationGraph(snap, S, { baseLevel: (id) => id.length });
        const ref = naive(snap);
        for (let k = 0; k < 60; k++) {
          const sources = Array.from({ length: 1 + Math.floor(r() * 4) }, () => `n${Math.floor(r() * (nodes + 2))}`);
          const opts = randomOpts(r);
          const want = spread(ref, sources, opts);
          expect(spreadAssociations(g, sources, opts), JSON.stringify({ seed, sources, opts })).toEqual(want);
          runs++;
          rows += want.length;
        }
      } finally {
        snap.release();
        await store.close();
      }
    }
    expect(rows).toBeGreaterThan(1000);
    console.log(`spread oracle: ${runs} spreads, ${rows} rows, 0 mismatches`);
  });

  it('returns rows as plain data: the same own keys, key order and JSON as the cognitive spread, with and without baseLevel', async () => {
    const r = rng(7);
    const store = await denseStore(r, 20, 80);
    const snap = store.snapshot();
    try {
      for (const baseLevel of [undefined, (id: string) => id.length]) {
        const g = associationGraph(snap, S, baseLevel === undefined ? {} : { baseLevel });
        const ref = baseLevel === undefined ? { ...naive(snap), baseLevel: undefined } : naive(snap);
        let rows = 0;
        for (const src of ['n0', 'n1', 'n2', 'n3']) {
          const got = spreadAssociations(g, [src], { maxHops: 3, threshold: 0 });
          const want = spread(ref, [src], { maxHops: 3, threshold: 0 });
          expect(got.map((x) => Object.keys(x))).toEqual(want.map((x) => Object.keys(x)));
          expect(JSON.stringify(got)).toBe(JSON.stringify(want));
          rows += got.length;
        }
        expect(rows).toBeGreaterThan(10);
      }
    } finally {
      snap.release();
      await store.close();
    }
  });

  it('on a larger graph whose spreads touch thousands of nodes (state tables grow)', async () => {
    const r = rng(11);
    const store = await denseStore(r, 3000, 12_000);
    const snap = store.snapshot();
    try {
      const g = associationGraph(snap, S, { baseLevel: (id) => id.length });
      const ref = naive(snap);
      let big = 0;
      for (let k = 0; k < 6; k++) {
        const sources = [`n${Math.floor(r() * 3000)}`, `n${Math.floor(r() * 3000)}`];
        const opts: SpreadOptions = { maxHops: 6, decay: 1, threshold: 0.0001, strength: 20, budget: { maxNodes: 1e7, maxMs: 1e7 } };
        const want = spread(ref, sources, opts);
        expect(spreadAssociations(g, sources, opts)).toEqual(want);
        if (want.length > 500) big++;
      }
      expect(big).toBeGreaterThan(3);
    } finally {
      snap.release();
      await store.close();
    }
  });

  it('hits the node budget and the time budget at the same point, with the same errors', async () => {
    const r = rng(7);
    const store = await denseStore(r, 30, 150);
    const snap = store.snapshot();
    try {
      const g = associationGraph(snap, S, { baseLevel: (id) => id.length });
      const ref = naive(snap);
      let limited = 0;
      for (let k = 0; k < 80; k++) {
        const sources = [`n${Math.floor(r() * 30)}`, `n${Math.floor(r() * 30)}`];
        const maxNodes = 1 + Math.floor(r() * 300);
        const step = [0.01, 0.5, 3][Math.floor(r() * 3)] as number;
        const maxMs = 1 + Math.floor(r() * 4);
        const c1 = fakeClock(step);
        const c2 = fakeClock(step);
        const opts = (c: { fn: () => number }): SpreadOptions => ({ maxHops: 4, decay: 1, threshold: 0, budget: { maxNodes, maxMs, clock: c.fn } });
        const want = outcome(() => spread(ref, sources, opts(c1)));
        const got = outcome(() => spreadAssociations(g, sources, opts(c2)));
        expect(got).toEqual(want);
        expect(c2.reads()).toBe(c1.reads());
        if (!Array.isArray(want)) limited++;
      }
      expect(limited).toBeGreaterThan(20);
    } finally {
      snap.release();
      await store.close();
    }
  });

  it('with the default clock the kernel times the budget itself: a spent budget is the same LIMIT_EXCEEDED, with and without memtable edges', async () => {
    const r = rng(13);
    const store = await denseStore(r, 40, 400);
    const snap = store.snapshot();
    try {
      const ref = naive(snap);
      const opts: SpreadOptions = { maxHops: 5, decay: 1, threshold: 0, budget: { maxNodes: 1e7, maxMs: Number.MIN_VALUE } };
      const sources = ['n1', 'n2'];
      const want = outcome(() => spread(ref, sources, opts));
      expect(want).toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringContaining('budget maxMs') });
      const g = associationGraph(snap, S, { baseLevel: (id) => id.length });
      expect(outcome(() => spreadAssociations(g, sources, opts))).toEqual(want);
      const generous: SpreadOptions = { ...opts, budget: { maxNodes: 1e7, maxMs: 1e7 } };
      expect(spreadAssociations(g, sources, generous)).toEqual(spread(ref, sources, generous));
    } finally {
      snap.release();
    }
    // All edges in segments: the kernel runs once, without an overlay.
    await store.flush();
    const flushed = store.snapshot();
    try {
      const opts: SpreadOptions = { maxHops: 5, decay: 1, threshold: 0, budget: { maxNodes: 1e7, maxMs: Number.MIN_VALUE } };
      const want = outcome(() => spread(naive(flushed), ['n1', 'n2'], opts));
      expect(want).toMatchObject({ code: 'LIMIT_EXCEEDED' });
      expect(outcome(() => spreadAssociations(associationGraph(flushed, S), ['n1', 'n2'], opts))).toEqual(want);
    } finally {
      flushed.release();
      await store.close();
    }
  });

  it('rejects bad options with the same INVALID_ARGUMENT errors', async () => {
    const store = await denseStore(rng(3), 5, 10);
    const snap = store.snapshot();
    try {
      const g = associationGraph(snap, S);
      const bad: SpreadOptions[] = [
        { maxHops: -1 }, { maxHops: 1.5 }, { decay: 0 }, { decay: 1.5 }, { threshold: -1 }, { threshold: Number.NaN },
        { strength: 0 }, { limit: -1 }, { limit: 2.5 }, { budget: { maxNodes: 0 } }, { budget: { maxMs: 0 } },
      ];
      for (const opts of bad) {
        const want = outcome(() => spread(naive(snap), ['n1'], opts));
        expect(want).toMatchObject({ code: 'INVALID_ARGUMENT' });
        expect(outcome(() => spreadAssociations(g, ['n1'], opts))).toEqual(want);
      }
    } finally {
      snap.release();
      await store.close();
    }
  });
});
