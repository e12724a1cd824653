/**
 * Cognitive suite, PREDICT and IMAGINE: temporal succession beats association, HORIZON bounds
 * chains, several contexts combine, confidence narrows with evidence; IMAGINE's NOVELTY moves
 * the ranking from close memories to distant associated ones. Plus the RECALL score.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultDecayModel, imagine, initialDecayState, predict, recallScore, retention } from '../src/cognitive/index.js';
import type { ImagineGraph, PredictEdge, PredictGraph } from '../src/cognitive/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

function predictGraph(edges: Record<string, PredictEdge[]>, times: Record<string, number>, extra: Partial<PredictGraph> = {}): PredictGraph {
  return { edges: (id) => edges[id] ?? [], validTime: (id) => times[id], ...extra };
}

describe('PREDICT', () => {
  const times = { coffee: 0, email: 10 * MIN, standup: 30 * MIN, lunch: 4 * HOUR, music: -HOUR, other: 0 };
  const edges: Record<string, PredictEdge[]> = {
    coffee: [
      { to: 'email', kind: 'next', weight: 0.9 },
      { to: 'music', kind: 'assoc', weight: 0.9 },
      { to: 'other', kind: 'derived_from', weight: 1 },
    ],
    email: [{ to: 'standup', kind: 'next', weight: 0.8 }],
    standup: [{ to: 'lunch', kind: 'next', weight: 1 }],
  };

  it('ranks direct successors first, then chains, then associations; ignores unknown kinds', () => {
    const rows = predict(predictGraph(edges, times), ['coffee']);
    expect(rows.map((r) => r.id)).toEqual(['email', 'standup', 'music', 'lunch']);
    expect(rows[0]).toMatchObject({ via: 'coffee', steps: 1 });
    expect(rows[0]?.score).toBeCloseTo(0.9, 12);
    expect(rows[1]?.score).toBeCloseTo(0.9 * 0.8 * 0.7, 12);
    expect(rows[2]?.score).toBeCloseTo(0.45, 12);
  });

  it('HORIZON bounds the valid-time distance of successors', () => {
    const rows = predict(predictGraph(edges, times), ['coffee'], { horizonMs: HOUR });
    expect(rows.map((r) => r.id)).toEqual(['email', 'standup', 'music']);
    expect(predict(predictGraph(edges, times), ['coffee'], { horizonMs: 5 * MIN }).map((r) => r.id)).toEqual(['music']);
  });

  it('a successor that happened before its predecessor is not a successor', () => {
    const bad = predictGraph({ a: [{ to: 'b', kind: 'next', weight: 1 }] }, { a: 10, b: 5 });
    expect(predict(bad, ['a'])).toEqual([]);
  });

  it('several contexts combine (noisy-OR), evidence narrows the interval, retention and match weigh in', () => {
    const g = predictGraph(
      { a: [{ to: 'x', kind: 'next', weight: 0.5 }, { to: 'y', kind: 'next', weight: 0.5 }], b: [{ to: 'x', kind: 'next', weight: 0.5 }] },
      { a: 0, b: 0, x: 1, y: 1 },
    );
    const rows = predict(g, ['a', 'b']);
    expect(rows.map((r) => r.id)).toEqual(['x', 'y']);
    expect(rows[0]?.score).toBeCloseTo(0.75, 12);
    expect(rows[0]?.evidence).toBe(2);
    for (const r of rows) expect(0 <= r.confidence.lo && r.confidence.lo <= r.confidence.hi && r.confidence.hi <= 1).toBe(true);
    const faded = predict({ ...g, retention: (id) => (id === 'x' ? 0.1 : 1) }, ['a', 'b']);
    expect(faded.map((r) => r.id)).toEqual(['y', 'x']);
    const matched = predict({ ...g, match: (id) => (id === 'y' ? 0 : 1) }, ['a']);
    expect(matched.map((r) => r.id)).toEqual(['x']);
    expect(() => predict(g, ['a'], { horizonMs: -1 })).toThrow(/HORIZON/);
  });

  it('a stronger non-next link to a successor neither hides its `next` chain nor depends on edge order', () => {
    const t = { c: 0, v: 10, w: 20 };
    const toV: PredictEdge[] = [
      { to: 'v', kind: 'assoc', weight: 1 },
      { to: 'v', kind: 'next', weight: 0.4 },
    ];
    const rest = { v: [{ to: 'w', kind: 'next', weight: 1 }] };
    const a = predict(predictGraph({ c: toV, ...rest }, t), ['c']);
    const b = predict(predictGraph({ c: [...toV].reverse(), ...rest }, t), ['c']);
    expect(b).toEqual(a);
    expect(a.map((r) => r.id)).toEqual(['v', 'w']);
    expect(a[0]?.score).toBeCloseTo(0.5, 12);
    expect(a[1]).toMatchObject({ steps: 2 });
    expect(a[1]?.score).toBeCloseTo(0.4 * 0.7, 12);
  });

  it('edge confidence is carried into the result interval', () => {
    const g = predictGraph({ a: [{ to: 'x', kind: 'next', weight: 1, confidence: { lo: 0.2, hi: 0.3 } }] }, { a: 0, x: 1 });
    expect(predict(g, ['a'])[0]?.confidence.hi).toBeLessThanOrEqual(0.3);
  });
});

describe('IMAGINE', () => {
  const e = (...v: number[]): Float32Array => Float32Array.from(v);
  const emb: Record<string, Float32Array> = {
    near: e(1, 0.1, 0),
    near2: e(0.9, 0.3, 0),
    far: e(0, 0, 1),
    unrelated: e(-1, 0, 0.05),
  };
  const g: ImagineGraph = {
    embedding: (id) => emb[id],
    neighbors: (id) => (id === 'near' ? [{ to: 'far', weight: 1 }] : []),
  };
  const seeds = [
    { id: 'near', similarity: 0.99 },
    { id: 'near2', similarity: 0.95 },
  ];

  it('NOVELTY 0 completes with the closest memories', () => {
    const r = imagine(g, e(1, 0, 0), seeds, { metric: 'cosine', novelty: 0 });
    expect(r.rows[0]?.id).toBe('near');
    expect(r.rows.map((x) => x.id)).not.toContain('unrelated');
  });

  it('NOVELTY 1 prefers distant but associated memories', () => {
    const r = imagine(g, e(1, 0, 0), seeds, { metric: 'cosine', novelty: 1 });
    expect(r.rows[0]?.id).toBe('far');
    expect(r.rows[0]?.support).toBeCloseTo(0.99 * 0.5, 12);
    for (const x of r.rows) expect(0 <= x.confidence.lo && x.confidence.lo <= x.confidence.hi && x.confidence.hi <= 1).toBe(true);
  });

  it('the completion moves from the pattern towards the imagined memories as NOVELTY grows', () => {
    const p = e(1, 0, 0);
    const c0 = imagine(g, p, seeds, { metric: 'cosine', novelty: 0 }).completion;
    const c1 = imagine(g, p, seeds, { metric: 'cosine', novelty: 1 }).completion;
    expect(c0[0]).toBeCloseTo(1, 6);
    expect(c1[2] as number).toBeGreaterThan(c0[2] as number);
    expect(() => imagine(g, p, seeds, { metric: 'cosine', novelty: 2 })).toThrow(/NOVELTY/);
    expect(imagine(g, null, seeds, { metric: 'cosine' }).rows.length).toBeGreaterThan(0);
  });
});

describe('PREDICT and IMAGINE on arbitrary inputs (fast-check, seeded)', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const wild = fc.oneof(fc.double({ min: -2, max: 3, noNaN: true }), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY));
  const edgeArb = fc.record({ from: fc.constantFrom(...ids), to: fc.constantFrom(...ids), kind: fc.constantFrom('next', 'assoc', 'derived_from'), weight: wild, lo: wild, hi: wild });
  const valid = (x: { lo: number; hi: number }): boolean => 0 <= x.lo && x.lo <= x.hi && x.hi <= 1;
  const unitScore = (x: number): boolean => x > 0 && x <= 1;

  it('scores in (0, 1], intervals 0 ≤ lo ≤ hi ≤ 1, no NaN, independent of edge order', () => {
    fc.assert(
      fc.property(fc.array(edgeArb, { maxLength: 20 }), fc.array(wild, { minLength: 6, maxLength: 6 }), fc.subarray(ids, { minLength: 1 }), (es, vals, given) => {
        const list = (order: typeof es): Record<string, PredictEdge[]> => {
          const out: Record<string, PredictEdge[]> = {};
          for (const e of order) (out[e.from] ??= []).push({ to: e.to, kind: e.kind, weight: e.weight, confidence: { lo: Math.min(e.lo, e.hi), hi: Math.max(e.lo, e.hi) } });
          return out;
        };
        const times = Object.fromEntries(ids.map((id, i) => [id, i * 1000]));
        const extra = { retention: (id: string) => vals[ids.indexOf(id)] as number, match: (id: string) => vals[5 - ids.indexOf(id)] as number };
        const rows = predict(predictGraph(list(es), times, extra), given);
        for (const r of rows) expect(unitScore(r.score) && valid(r.confidence)).toBe(true);
        expect(predict(predictGraph(list([...es].reverse()), times, extra), given)).toEqual(rows);
        const emb: Record<string, Float32Array> = Object.fromEntries(ids.map((id, i) => [id, Float32Array.from([vals[i] as number, 1, i])]));
        const g: ImagineGraph = {
          embedding: (id) => emb[id],
          neighbors: (id) => es.filter((e) => e.from === id).map((e) => ({ to: e.to, weight: e.weight })),
          confidence: (id) => ({ lo: 0, hi: Math.abs(vals[ids.indexOf(id)] as number) > 1 ? 1 : 0.5 }),
        };
        const seeds = given.map((id, i) => ({ id, similarity: vals[i] as number }));
        for (const novelty of [0, 0.5, 1]) {
          const y = Number.isFinite(vals[0]) ? (vals[0] as number) : 0.5;
          const r = imagine(g, Float32Array.from([1, y, 0]), seeds, { metric: novelty === 0.5 ? 'l2' : 'cosine', novelty });
          for (const row of r.rows) expect(unitScore(row.score) && valid(row.confidence)).toBe(true);
          expect(r.completion.every((x) => Number.isFinite(x))).toBe(true);
        }
      }),
      { seed: 77, numRuns: 300 },
    );
  });

  it('out-of-range options are INVALID_ARGUMENT (a DECAY above 1 would push scores above 1)', () => {
    const g: ImagineGraph = { embedding: () => Float32Array.from([1, 0]), neighbors: () => [] };
    const seeds = [{ id: 'a', similarity: 1 }];
    for (const bad of [{ decay: 3 }, { decay: 0 }, { hops: -1 }, { hops: 1.5 }, { limit: -1 }]) {
      expect(() => imagine(g, null, seeds, { metric: 'cosine', ...bad })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => imagine(g, Float32Array.from([1, Number.NaN]), seeds, { metric: 'cosine' })).toThrow(/pattern/);
    const pg = predictGraph({}, { a: 0 });
    for (const bad of [{ stepDecay: 1.5 }, { maxSteps: 0 }, { limit: -2 }, { horizonMs: Number.NaN }]) {
      expect(() => predict(pg, ['a'], bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});

describe('RECALL score', () => {
  const model = defaultDecayModel();

  it('with similarity 1 and no spread it equals retention; parts add up', () => {
    const s = initialDecayState(0, model);
    const now = 3 * 86_400_000;
    const b = Math.log((now / 1000) ** -0.177);
    const p = recallScore({ similarity: 1, baseLevel: b, model });
    expect(p.score).toBeCloseTo(retention(s, now, model), 12);
    const q = recallScore({ similarity: 0.9, baseLevel: b, spread: 0.3, model });
    expect(q.match).toBeCloseTo(-1, 12);
    expect(q.activation).toBeCloseTo(b + 0.3 - 1, 12);
  });

  it('non-ACT-R spaces: ACT-R default τ and s on the model activation — monotone in retention, not equal to it', () => {
    const none = recallScore({ similarity: 1, baseLevel: 0, model: { model: 'none' } }).score;
    expect(none).toBeCloseTo(0.836, 3);
    const expo = { model: 'exponential', halfLifeMs: 86_400_000 } as const;
    const s = initialDecayState(0, expo);
    const scores = [0, 1, 2, 5].map((d) => {
      const now = d * 86_400_000;
      return recallScore({ similarity: 1, baseLevel: Math.log(retention(s, now, expo)), model: expo }).score;
    });
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThan(scores[i - 1] as number);
  });

  it('similarity dominates a month of decay; base level breaks near-ties', () => {
    const fresh = 0;
    const month = Math.log((30 * 86_400) ** -0.177);
    const relevantOld = recallScore({ similarity: 0.8, baseLevel: month, model }).score;
    const irrelevantFresh = recallScore({ similarity: 0.4, baseLevel: fresh, model }).score;
    expect(relevantOld).toBeGreaterThan(irrelevantFresh);
    expect(recallScore({ similarity: 0.8, baseLevel: fresh, model }).score).toBeGreaterThan(relevantOld);
    expect(recallScore({ similarity: Number.NaN, baseLevel: -Infinity, model }).score).toBe(0);
  });
});
