/**
 * Cognitive suite, consolidation: three seeded noisy topics plus noise episodes cluster into
 * exactly the three topics (brute force and through a neighbour function), summaries have a
 * centroid, representative and a confidence interval that narrows with size, and semantic ids
 * are stable across re-runs, input order and membership changes.
 */
import { describe, expect, it } from 'vitest';
import { clusterEpisodes, intervalWidth, semanticId, summarizeCluster, embeddingCosine } from '../src/cognitive/index.js';
import type { ClusterItem, SummaryMember } from '../src/cognitive/index.js';
import { seededRandom as rng } from '../src/index.js';

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
function unitRandom(r: () => number, dim: number): Float32Array {
  const v = Float32Array.from({ length: dim }, () => gauss(r));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}
function noisy(r: () => number, c: Float32Array, sigma: number): Float32Array {
  return c.map((x) => x + sigma * gauss(r));
}

const DIM = 64;
const T0 = Date.UTC(2026, 0, 1);

/** `topics` × `per` episodes (noise σ per component, default 3 × 10 at 0.04) + 15 random noise episodes, shuffled. */
function dataset(seed: number, sigma = 0.04, topics = 3, per = 10): { items: Array<ClusterItem & { created: number }>; topic: Map<string, number> } {
  const r = rng(seed);
  const centers = Array.from({ length: topics }, () => unitRandom(r, DIM));
  const raw: Array<{ embedding: Float32Array; topic: number }> = [];
  centers.forEach((c, t) => {
    for (let i = 0; i < per; i++) raw.push({ embedding: noisy(r, c, sigma), topic: t });
  });
  for (let i = 0; i < 15; i++) raw.push({ embedding: unitRandom(r, DIM), topic: -1 });
  for (let i = raw.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [raw[i], raw[j]] = [raw[j] as (typeof raw)[number], raw[i] as (typeof raw)[number]];
  }
  const topic = new Map<string, number>();
  const items = raw.map((x, i) => {
    const id = `ep${String(i).padStart(3, '0')}`;
    topic.set(id, x.topic);
    return { id, embedding: x.embedding, created: T0 + i * 60_000 };
  });
  return { items, topic };
}

function byTopic(topic: Map<string, number>, t: number): string[] {
  return [...topic].filter(([, x]) => x === t).map(([id]) => id).sort();
}

describe('clusterEpisodes', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: exactly the 3 topics, each exactly its 10 members, noise ignored`, () => {
      const { items, topic } = dataset(seed);
      const clusters = clusterEpisodes(items, { similarity: 0.8, minSize: 3 }, 'cosine');
      expect(clusters.length).toBe(3);
      const got = clusters.map((c) => c.ids).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
      const want = [0, 1, 2].map((t) => byTopic(topic, t)).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
      expect(got).toEqual(want);
    });
  }

  it('harder: 5 topics × 12 at σ = 0.055 (7 % of within-topic pairs below 0.8) are still recovered exactly (10 seeds)', () => {
    let below = 0;
    let pairs = 0;
    for (let seed = 101; seed <= 110; seed++) {
      const { items, topic } = dataset(seed, 0.055, 5, 12);
      for (const a of items) {
        for (const b of items) {
          if (a.id < b.id && topic.get(a.id) === topic.get(b.id) && (topic.get(a.id) as number) >= 0) {
            pairs++;
            if (embeddingCosine(a.embedding, b.embedding) < 0.8) below++;
          }
        }
      }
      const got = clusterEpisodes(items, {}, 'cosine').map((c) => c.ids);
      expect(got.length).toBe(5);
      for (let t = 0; t < 5; t++) expect(got).toContainEqual(byTopic(topic, t));
    }
    console.log(`within-topic pairs below 0.8: ${below} of ${pairs}`);
    expect(below).toBeGreaterThan(0);
  });

  it('a neighbour function (top-12 candidates, as from the vector index) gives the same clusters', () => {
    const { items } = dataset(11);
    const knn = (i: number): number[] =>
      items
        .map((it, j) => ({ j, s: embeddingCosine((items[i] as ClusterItem).embedding, it.embedding) }))
        .filter((x) => x.j !== i)
        .sort((a, b) => b.s - a.s)
        .slice(0, 12)
        .map((x) => x.j);
    expect(clusterEpisodes(items, { neighbors: knn }, 'cosine')).toEqual(clusterEpisodes(items, {}, 'cosine'));
  });

  it('is deterministic: same input → identical output; input order does not matter', () => {
    const { items } = dataset(6);
    const a = clusterEpisodes(items, {}, 'cosine');
    expect(clusterEpisodes(items, {}, 'cosine')).toEqual(a);
    const rev = [...items].reverse();
    expect(clusterEpisodes(rev, {}, 'cosine').map((c) => c.ids)).toEqual(a.map((c) => c.ids));
  });

  it('edge cases: empty input, identical vectors (also at SIMILARITY 1), zero and non-finite vectors', () => {
    expect(clusterEpisodes([], {}, 'cosine')).toEqual([]);
    const same = Array.from({ length: 4 }, (_, i) => ({ id: `s${i}`, embedding: Float32Array.from([0.6, 0.8, 0]) }));
    for (const metric of ['cosine', 'l2', 'dot'] as const) {
      expect(embeddingCosine(same[0]!.embedding, same[1]!.embedding)).toBeCloseTo(1, 15);
      expect(clusterEpisodes(same, { similarity: 1 }, metric === 'dot' ? 'cosine' : metric).map((c) => c.ids)).toEqual([['s0', 's1', 's2', 's3']]);
    }
    const zeros = Array.from({ length: 4 }, (_, i) => ({ id: `z${i}`, embedding: new Float32Array(3) }));
    expect(clusterEpisodes(zeros, {}, 'cosine')).toEqual([]);
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map((x, i) => ({ id: `b${i}`, embedding: Float32Array.from([x, 0.8, 0]) }));
    expect(Number.isNaN(embeddingCosine(bad[1]!.embedding, bad[1]!.embedding))).toBe(false);
    // non-finite embeddings are noise even at the loosest SIMILARITY: they never poison a centroid
    const loose = clusterEpisodes([...same, ...bad], { similarity: -1 }, 'cosine');
    expect(loose.map((c) => c.ids)).toEqual([['s0', 's1', 's2', 's3']]);
  });

  it('dense similarity graphs cost O(n) memory: 5000 identical episodes form one cluster quickly', () => {
    const n = 5000;
    const v = Float32Array.from([0.6, 0.8]);
    const items = Array.from({ length: n }, (_, i) => ({ id: `e${String(i).padStart(5, '0')}`, embedding: v }));
    const before = process.memoryUsage().heapUsed;
    const out = clusterEpisodes(items, {}, 'cosine');
    const grown = process.memoryUsage().heapUsed - before;
    expect(out.length).toBe(1);
    expect(out[0]?.ids.length).toBe(n);
    // 12.5 M similar pairs: an adjacency map would need > 1 GB; a pair bitset needs 1.6 MB
    expect(grown).toBeLessThan(200e6);
  });

  it('MIN_SIZE drops small groups; bad options are INVALID_ARGUMENT', () => {
    const { items } = dataset(7);
    expect(clusterEpisodes(items, { minSize: 11 }, 'cosine')).toEqual([]);
    expect(() => clusterEpisodes(items, { minSize: 1 }, 'cosine')).toThrow(/MIN_SIZE/);
    expect(() => clusterEpisodes(items, { similarity: 2 }, 'cosine')).toThrow(/SIMILARITY/);
  });
});

describe('summarizeCluster and semantic ids', () => {
  const { items, topic } = dataset(8);
  const members = (t: number): SummaryMember[] => items.filter((x) => topic.get(x.id) === t);

  it('centroid, representative closest to it, sorted members, cohesion', () => {
    const m = members(0);
    const s = summarizeCluster(m, 'cosine');
    expect(s.members).toEqual(m.map((x) => x.id).sort());
    const sims = m.map((x) => embeddingCosine(x.embedding, s.centroid));
    const best = m[sims.indexOf(Math.max(...sims))]?.id;
    expect(s.representative).toBe(best);
    expect(s.cohesion).toBeGreaterThan(0.8);
    expect(s.confidence.lo).toBeGreaterThan(0);
    expect(s.confidence.hi).toBeLessThanOrEqual(1);
  });

  it('the confidence interval narrows as the cluster grows', () => {
    const r = rng(21);
    const c = unitRandom(r, DIM);
    const mk = (n: number): SummaryMember[] => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, embedding: noisy(r, c, 0.04) }));
    const widths = [3, 10, 30].map((n) => intervalWidth(summarizeCluster(mk(n), 'cosine').confidence));
    expect(widths[1]).toBeLessThan(widths[0] as number);
    expect(widths[2]).toBeLessThan(widths[1] as number);
    const withConf = summarizeCluster(mk(10).map((x) => ({ ...x, confidence: { lo: 0.5, hi: 0.6 } })), 'cosine');
    expect(withConf.confidence.hi).toBeLessThanOrEqual(0.6);
  });

  it('same members → same id on every run and in any order; id from the earliest member', () => {
    const m = members(1);
    const a = summarizeCluster(m, 'cosine').id;
    expect(summarizeCluster([...m].reverse(), 'cosine').id).toBe(a);
    const earliest = [...m].sort((x, y) => (x.created as number) - (y.created as number))[0] as SummaryMember;
    expect(semanticId([earliest]).id).toBe(a);
    expect(a).toMatch(/^sem_[0-9a-f]{16}$/);
  });

  it('changed membership keeps the id: growth keeps the earliest member; an overlapping existing summary is reused', () => {
    const m = members(2);
    const first = summarizeCluster(m, 'cosine');
    const grown = summarizeCluster([...m, { id: 'late', embedding: m[0]?.embedding as Float32Array, created: T0 + 1e9 }], 'cosine');
    expect(grown.id).toBe(first.id);
    const earliest = [...m].sort((x, y) => (x.created as number) - (y.created as number))[0] as SummaryMember;
    const shrunk = m.filter((x) => x.id !== earliest.id);
    const existing = [{ id: first.id, members: first.members }];
    const again = summarizeCluster(shrunk, 'cosine', { existing });
    expect(again).toMatchObject({ id: first.id, reused: true });
    const unrelated = summarizeCluster(members(0), 'cosine', { existing });
    expect(unrelated.id).not.toBe(first.id);
    expect(unrelated.reused).toBe(false);
  });

  it('reuse is by set overlap: repeated member ids in an existing summary do not inflate the Jaccard overlap', () => {
    const mk = (ids: string[]): SummaryMember[] => ids.map((id) => ({ id, embedding: Float32Array.from([1, 0]) }));
    // {a,b,c,d} vs {a,x,y,z}: Jaccard 1/7 — not the same cluster, however often 'a' is listed
    const existing = [{ id: 'sem_old', members: ['a', 'a', 'a', 'a', 'x', 'y', 'z'] }];
    expect(semanticId(mk(['a', 'b', 'c', 'd']), { existing }).reused).toBe(false);
    expect(semanticId(mk(['a', 'x', 'y', 'z']), { existing })).toEqual({ id: 'sem_old', reused: true });
    // a non-finite valid time counts as 0 instead of making the order depend on the sort algorithm
    const nan = [{ id: 'm2', embedding: Float32Array.from([1]), created: Number.NaN }, { id: 'm1', embedding: Float32Array.from([1]), created: 5 }];
    expect(semanticId(nan).id).toBe(semanticId([...nan].reverse()).id);
  });

  it('a member with a non-finite embedding never puts NaN into the summary', () => {
    const m: SummaryMember[] = [
      { id: 'a', embedding: Float32Array.from([1, 0]) },
      { id: 'b', embedding: Float32Array.from([0.9, 0.1]) },
      { id: 'c', embedding: Float32Array.from([Number.NaN, 1]) },
    ];
    for (const metric of ['cosine', 'l2', 'dot'] as const) {
      const s = summarizeCluster(m, metric);
      expect(s.centroid.every((x) => Number.isFinite(x))).toBe(true);
      expect(Number.isFinite(s.cohesion)).toBe(true);
      expect(0 <= s.confidence.lo && s.confidence.lo <= s.confidence.hi && s.confidence.hi <= 1).toBe(true);
      expect(s.representative).not.toBe('c');
    }
  });

  it('two clusters of one run never share an id', () => {
    const taken = new Set<string>();
    const a = summarizeCluster(members(0), 'cosine', { taken });
    const b = summarizeCluster(members(0), 'cosine', { taken });
    expect(b.id).not.toBe(a.id);
  });
});
