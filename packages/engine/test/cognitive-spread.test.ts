/**
 * Cognitive suite, SPREAD: fan effect, per-hop decay, sources summing, cycles not inflating,
 * threshold pruning, MAX_HOPS, the node/time budget errors, determinism, and an oracle: on random
 * seeded graphs the result equals the brute-force maximum over simple paths.
 */
import { describe, expect, it } from 'vitest';
import { fanFactor, spread } from '../src/cognitive/index.js';
import type { SpreadGraph } from '../src/cognitive/index.js';
import { seededRandom as rng } from '../src/index.js';

type Edges = Record<string, Array<{ to: string; weight: number }>>;

function graphOf(edges: Edges): SpreadGraph {
  return {
    neighbors: (id) => edges[id] ?? [],
    fan: (id) => (edges[id] ?? []).length,
  };
}

function randomGraph(seed: number, n: number, p: number): Edges {
  const r = rng(seed);
  const edges: Edges = {};
  for (let i = 0; i < n; i++) {
    const list: Array<{ to: string; weight: number }> = [];
    for (let j = 0; j < n; j++) if (i !== j && r() < p) list.push({ to: `n${j}`, weight: Math.round(r() * 100) / 100 + 0.01 });
    edges[`n${i}`] = list;
  }
  return edges;
}

/** Brute force: per source, max over simple paths of ≤ maxHops hops; sources sum; sources excluded. */
function oracle(edges: Edges, sources: string[], maxHops: number, r: number): Map<string, number> {
  const g = graphOf(edges);
  const total = new Map<string, number>();
  for (const s of new Set(sources)) {
    const best = new Map<string, number>();
    const walk = (u: string, act: number, hops: number, seen: Set<string>): void => {
      if (hops === maxHops) return;
      const out = act * r * fanFactor(g.fan(u));
      for (const e of g.neighbors(u)) {
        if (seen.has(e.to)) continue;
        const a = out * Math.min(1, e.weight);
        if (a > (best.get(e.to) ?? 0)) best.set(e.to, a);
        seen.add(e.to);
        walk(e.to, a, hops + 1, seen);
        seen.delete(e.to);
      }
    };
    walk(s, 1, 0, new Set([s]));
    for (const [id, a] of best) total.set(id, (total.get(id) ?? 0) + a);
  }
  for (const s of sources) total.delete(s);
  return total;
}

describe('SPREAD', () => {
  it('fan effect: the associate of a fan-1 cue gets more than one of a fan-3 cue', () => {
    const g = graphOf({
      A: [{ to: 'x', weight: 1 }],
      B: [
        { to: 'y1', weight: 1 },
        { to: 'y2', weight: 1 },
        { to: 'y3', weight: 1 },
      ],
    });
    const x = spread(g, ['A'])[0];
    const y = spread(g, ['B']);
    expect(x?.activation).toBeCloseTo(0.5, 12);
    expect(y.map((r) => r.id)).toEqual(['y1', 'y2', 'y3']);
    expect((x?.activation as number) > (y[0]?.activation as number)).toBe(true);
    expect(y[0]?.activation).toBeCloseTo(0.5 * (1 - Math.log(3) / 5), 12);
  });

  it('one decay step per hop, edge weight, path and hops; several sources sum', () => {
    const g = graphOf({ a: [{ to: 'b', weight: 0.8 }], b: [{ to: 'c', weight: 1 }], d: [{ to: 'c', weight: 1 }] });
    const rows = spread(g, ['a', 'd'], { threshold: 0 });
    const c = rows.find((r) => r.id === 'c');
    expect(rows.find((r) => r.id === 'b')).toMatchObject({ activation: 0.4, hops: 1, path: ['a', 'b'] });
    expect(c?.activation).toBeCloseTo(0.2 + 0.5, 12);
    expect(c).toMatchObject({ hops: 1, path: ['d', 'c'] });
  });

  it('cycles never inflate activation', () => {
    const g = graphOf({ a: [{ to: 'b', weight: 1 }], b: [{ to: 'c', weight: 1 }], c: [{ to: 'a', weight: 1 }, { to: 'b', weight: 5 }] });
    const rows = spread(g, ['a'], { maxHops: 50, threshold: 0, decay: 1 });
    expect(rows.find((r) => r.id === 'b')).toMatchObject({ activation: 1, hops: 1, path: ['a', 'b'] });
    const c = rows.find((r) => r.id === 'c');
    expect(c?.hops).toBe(2);
    expect(rows.every((r) => r.activation <= 1)).toBe(true);
  });

  it('THRESHOLD prunes propagation and MAX_HOPS bounds it', () => {
    const g = graphOf({ a: [{ to: 'b', weight: 1 }], b: [{ to: 'c', weight: 1 }], c: [{ to: 'd', weight: 1 }], d: [{ to: 'e', weight: 1 }] });
    expect(spread(g, ['a'], { threshold: 0.2 }).map((r) => r.id)).toEqual(['b', 'c']);
    expect(spread(g, ['a'], { threshold: 0.3 }).map((r) => r.id)).toEqual(['b']);
    expect(spread(g, ['a'], { threshold: 0, maxHops: 2 }).map((r) => r.id)).toEqual(['b', 'c']);
    expect(spread(g, ['a'], { threshold: 0, maxHops: 0 })).toEqual([]);
    const deep = spread(g, ['a'], { threshold: 0, maxHops: 10 });
    expect(deep.map((r) => [r.id, r.hops])).toEqual([['b', 1], ['c', 2], ['d', 3], ['e', 4]]);
    expect(deep[3]?.path).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('deterministic: same rows for any neighbour order; ties broken by id; LIMIT', () => {
    const edges = randomGraph(7, 40, 0.15);
    const shuffled: Edges = {};
    const r = rng(99);
    for (const [k, v] of Object.entries(edges).reverse()) shuffled[k] = [...v].sort(() => r() - 0.5);
    const a = spread(graphOf(edges), ['n0', 'n5'], { threshold: 0.001 });
    const b = spread(graphOf(shuffled), ['n5', 'n0', 'n0'], { threshold: 0.001 });
    expect(b).toEqual(a);
    for (let i = 1; i < a.length; i++) {
      const p = a[i - 1];
      const q = a[i];
      expect((p?.activation as number) > (q?.activation as number) || (p?.activation === q?.activation && (p?.id as string) < (q?.id as string))).toBe(true);
    }
    expect(spread(graphOf(edges), ['n0', 'n5'], { threshold: 0.001, limit: 5 })).toEqual(a.slice(0, 5));
    const tie = graphOf({ s: [{ to: 'z', weight: 1 }, { to: 'm', weight: 1 }, { to: 'a', weight: 1 }] });
    expect(spread(tie, ['s']).map((x) => x.id)).toEqual(['a', 'm', 'z']);
  });

  it('oracle: equals the brute-force max over simple paths on 50 random seeded graphs', () => {
    let compared = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const edges = randomGraph(seed, 12, 0.25);
      const sources = seed % 3 === 0 ? ['n0', 'n1'] : ['n0'];
      const want = oracle(edges, sources, 4, 0.6);
      const got = spread(graphOf(edges), sources, { maxHops: 4, decay: 0.6, threshold: 0 });
      expect(new Set(got.map((x) => x.id))).toEqual(new Set([...want].filter(([, a]) => a > 0).map(([id]) => id)));
      for (const row of got) {
        expect(row.activation).toBeCloseTo(want.get(row.id) as number, 12);
        compared++;
      }
    }
    console.log('SPREAD oracle: 50 graphs,', compared, 'activations compared, 0 mismatches');
  });

  it('budget: node visits and time, with an error naming the limit and how to raise it', () => {
    const edges = randomGraph(3, 200, 0.5);
    const g = graphOf(edges);
    expect(() => spread(g, ['n0'], { threshold: 0, budget: { maxNodes: 1000 } })).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/1000 nodes \(budget maxNodes\); raise the node budget/) }),
    );
    let now = 0;
    const clock = (): number => (now += 1);
    expect(() => spread(g, ['n0'], { threshold: 0, budget: { maxMs: 5, clock } })).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/longer than 5 ms \(budget maxMs\)/) }),
    );
    expect(spread(g, ['n0'], { threshold: 0.05, maxHops: 1, budget: { maxNodes: 1000, clock: () => 0 } }).length).toBeGreaterThan(0);
  });

  it('rejects bad options with INVALID_ARGUMENT; baseLevel reported when the graph has it', () => {
    const g = graphOf({ a: [{ to: 'b', weight: 1 }] });
    expect(() => spread(g, ['a'], { maxHops: -1 })).toThrow(/MAX_HOPS/);
    expect(() => spread(g, ['a'], { decay: 0 })).toThrow(/DECAY/);
    expect(() => spread(g, ['a'], { threshold: Number.NaN })).toThrow(/THRESHOLD/);
    expect(() => spread(g, ['a'], { limit: 1.5 })).toThrow(/LIMIT/);
    const withB: SpreadGraph = { ...g, baseLevel: (id) => (id === 'b' ? -1.5 : 0) };
    expect(spread(withB, ['a'])[0]).toMatchObject({ id: 'b', baseLevel: -1.5 });
    const zero = graphOf({ a: [{ to: 'b', weight: 0 }, { to: 'c', weight: -1 }] });
    expect(spread(zero, ['a'], { threshold: 0 })).toEqual([]);
    expect(fanFactor(0)).toBe(1);
    expect(fanFactor(1e9)).toBe(0);
  });
});
