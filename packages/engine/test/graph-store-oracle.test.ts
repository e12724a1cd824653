/**
 * Oracle test of the association graph (docs/graph.md): random stores (seeded) with memories,
 * associations of several kinds, dissociations, forgets, re-remembers, flushes and compactions;
 * at checkpoints every node's edges, fan and in-edges must equal the snapshot's own
 * associationsFrom/associationsTo, and spreadAssociations must return exactly the rows of the
 * cognitive `spread` over a naive adapter built on the snapshot.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spread, type SpreadGraph, type SpreadOptions } from '../src/cognitive/index.js';
import { associationGraph, spreadAssociations, type AssociationGraph } from '../src/graph/index.js';
import { openStore, type Snapshot, type Store } from '../src/storage/index.js';
import type { WriteOp } from '../src/model.js';
import { cleanupDirs, remember, tempDir } from './helpers/store-fixtures.js';
import { seededRandom as rng } from '../src/index.js';

afterAll(cleanupDirs);

const S = 'g';

function naive(snap: Snapshot, asOf = Number.POSITIVE_INFINITY): SpreadGraph {
  const out = (id: string) => snap.associationsFrom(S, id).filter((a) => a.created <= asOf);
  return { neighbors: (id) => out(id).map((a) => ({ to: a.to, weight: a.weight })), fan: (id) => out(id).length };
}

/** Every observable of the graph equals the snapshot's reading. Returns the number of nodes checked. */
function checkGraph(snap: Snapshot, g: AssociationGraph, ids: readonly string[], asOf: number): number {
  for (const id of ids) {
    const want = snap.associationsFrom(S, id).filter((a) => a.created <= asOf);
    expect(g.edges(id), `edges(${id})`).toEqual(want.map((a) => ({ to: a.to, kind: a.kind, weight: a.weight, created: a.created })));
    expect(g.neighbors(id)).toEqual(want.map((a) => ({ to: a.to, weight: a.weight })));
    expect(g.fan(id)).toBe(want.length);
    const inc = snap.associationsTo(S, id).filter((a) => a.created <= asOf);
    expect(g.neighborsIn(id), `neighborsIn(${id})`).toEqual(inc.map((a) => ({ from: a.from, kind: a.kind, weight: a.weight, created: a.created })));
  }
  const all = [...snap.associations(S)].filter((a) => a.created <= asOf);
  expect(g.edgeCount()).toBe(all.length);
  return ids.length;
}

function checkSpread(snap: Snapshot, g: AssociationGraph, r: () => number, ids: readonly string[], asOf: number): number {
  let runs = 0;
  for (let k = 0; k < 6; k++) {
    const n = 1 + Math.floor(r() * 3);
    const sources = Array.from({ length: n }, () => ids[Math.floor(r() * ids.length)] as string);
    const opts: SpreadOptions = {
      maxHops: Math.floor(r() * 5),
      decay: [0.5, 0.8, 1][Math.floor(r() * 3)] as number,
      threshold: [0, 0.001, 0.01, 0.1][Math.floor(r() * 4)] as number,
      ...(r() < 0.3 ? { limit: Math.floor(r() * 5) } : {}),
    };
    const want = spread(naive(snap, asOf), sources, opts);
    expect(spreadAssociations(g, sources, opts), `spread ${JSON.stringify({ sources, opts })}`).toEqual(want);
    runs++;
  }
  return runs;
}

const KINDS = ['assoc', 'next', 'derived_from'];

function randomOp(r: () => number, ids: string[], live: Set<string>): WriteOp {
  const pick = (): string => ids[Math.floor(r() * ids.length)] as string;
  const alive = [...live];
  const pickLive = (): string => alive[Math.floor(r() * alive.length)] as string;
  const x = r();
  if (x < 0.12 || live.size < 4) {
    const id = pick();
    live.add(id);
    return remember(S, id, `c-${id}`, [r(), r()], { created: 1_600_000_000_000 + Math.floor(r() * 10) * 1000 });
  }
  if (x < 0.8) {
    const kind = KINDS[Math.floor(r() * KINDS.length)] as string;
    const weight = r() < 0.1 ? (r() < 0.5 ? -0.5 : 1.5) : r();
    const created = 1_600_000_000_000 + Math.floor(r() * 10) * 1000;
    return { op: 'associate', space: S, assoc: { from: pickLive(), to: pickLive(), kind, weight, confidence: { lo: 1, hi: 1 }, created } };
  }
  if (x < 0.9) return { op: 'dissociate', space: S, from: pick(), to: pick(), ...(r() < 0.5 ? { kind: KINDS[Math.floor(r() * 3)] as string } : {}) };
  const id = pickLive();
  live.delete(id);
  return { op: 'forget', space: S, id };
}

async function runOne(seed: number): Promise<{ nodes: number; spreads: number; checkpoints: number }> {
  const r = rng(seed);
  const store: Store = await openStore(tempDir('mnemo-graph-'), { durability: 'off', compaction: { auto: false } });
  await store.createSpace({ name: S, dim: 2 });
  // A few ids use characters outside the BMP and the private-use area, where id order ≠ JS order.
  const ids = Array.from({ length: 40 }, (_, i) => (i % 13 === 5 ? `m\u{1F600}${i}` : i % 13 === 7 ? `m\uE000${i}` : `m${String(i).padStart(2, '0')}`));
  const live = new Set<string>();
  let nodes = 0;
  let spreads = 0;
  let checkpoints = 0;
  try {
    for (let step = 0; step < 12; step++) {
      const batch = Array.from({ length: 10 + Math.floor(r() * 30) }, () => randomOp(r, ids, live));
      await store.write(batch);
      const y = r();
      if (y < 0.45) await store.flush();
      else if (y < 0.6) await store.compact(S);
      if (step % 3 !== 2) continue;
      const snap = store.snapshot();
      try {
        const asOf = r() < 0.3 ? 1_600_000_000_000 + Math.floor(r() * 10) * 1000 : Number.POSITIVE_INFINITY;
        const g = associationGraph(snap, S, asOf === Number.POSITIVE_INFINITY ? {} : { asOf });
        nodes += checkGraph(snap, g, [...ids, 'nobody'], asOf);
        spreads += checkSpread(snap, g, r, ids, asOf);
        checkpoints++;
      } finally {
        snap.release();
      }
    }
  } finally {
    await store.close();
  }
  return { nodes, spreads, checkpoints };
}

describe('association graph oracle', () => {
  it('equals the snapshot reading and the cognitive spread on random stores (flush, compact, forget, dissociate)', async () => {
    let nodes = 0;
    let spreads = 0;
    let checkpoints = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const res = await runOne(seed);
      nodes += res.nodes;
      spreads += res.spreads;
      checkpoints += res.checkpoints;
    }
    expect(checkpoints).toBe(16 * 4);
    console.log(`graph oracle: ${checkpoints} checkpoints, ${nodes} node checks, ${spreads} spreads, 0 mismatches`);
  });

  it('keeps answering for a snapshot while later writes, flushes and compactions happen; RELEASED after release', async () => {
    const store = await openStore(tempDir('mnemo-graph-'), { durability: 'off', compaction: { auto: false } });
    await store.createSpace({ name: S, dim: 2 });
    try {
      await store.write([remember(S, 'a', 'a', [1, 0]), remember(S, 'b', 'b', [0, 1]), remember(S, 'c', 'c', [1, 1])]);
      await store.write([
        { op: 'associate', space: S, assoc: { from: 'a', to: 'b', kind: 'assoc', weight: 0.9, confidence: { lo: 1, hi: 1 }, created: 1 } },
        { op: 'associate', space: S, assoc: { from: 'b', to: 'c', kind: 'assoc', weight: 0.8, confidence: { lo: 1, hi: 1 }, created: 1 } },
      ]);
      await store.flush();
      const snap = store.snapshot();
      const g = associationGraph(snap, S);
      await store.write([{ op: 'forget', space: S, id: 'b' }]);
      await store.flush();
      await store.compact(S);
      expect(g.edges('a').map((e) => e.to)).toEqual(['b']);
      expect(spreadAssociations(g, ['a']).map((x) => x.id)).toEqual(['b', 'c']);
      const now = store.snapshot();
      expect(associationGraph(now, S).edges('a')).toEqual([]);
      expect(associationGraph(now, S).edgeCount()).toBe(0);
      now.release();
      snap.release();
      expect(() => g.edges('a')).toThrow(expect.objectContaining({ code: 'RELEASED' }));
      expect(() => spreadAssociations(g, ['a'])).toThrow(expect.objectContaining({ code: 'RELEASED' }));
    } finally {
      await store.close();
    }
  });
});
