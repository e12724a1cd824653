/**
 * The orders candidates are put in by a read plan: Rank's comparator (ops/rank.ts; the score
 * columns have a comparator of their own) and ContextSpread's seed pick (ops/context-spread.ts, a
 * one-pass top-3), and the top-k selection of a Rank with a pushed-down LIMIT (ops/top-k.ts). They
 * are checked against plain reference sorts on seeded candidates with many ties, NaN and null
 * similarities.
 */
import { seededRandom, type MemoryRecord } from '@mnemo/engine';
import { describe, expect, it } from 'vitest';
import { candidate, type Candidate } from '../src/ops/candidate.js';
import { CONTEXT_SEEDS, contextSeeds } from '../src/ops/context-spread.js';
import { compareBy } from '../src/ops/rank.js';
import { topK, worthSelecting } from '../src/ops/top-k.js';

function record(id: string, created: number): MemoryRecord {
  return {
    id, space: 's', content: id, embedding: new Float32Array(2), kind: 'episodic', created, recorded: created,
    confidence: { lo: 0.5, hi: 1 }, meta: null,
    decay: { count: 1, first: created, last: created, recentTimes: [created], recentDecays: [0.5], olderDecay: 0 },
  };
}

/** Seeded candidates whose values repeat often (ties) and include NaN; similarity may be null. */
function candidates(seed: number, n: number): Candidate[] {
  const rnd = seededRandom(seed);
  const pick = (): number => {
    const r = rnd();
    return r < 0.05 ? Number.NaN : Math.floor(rnd() * 6) / 5;
  };
  const ids = Array.from({ length: n }, (_, i) => `m${i}`).sort(() => rnd() - 0.5);
  return ids.map((id, i) => {
    const c = candidate(record(id, 1000 + Math.floor(rnd() * 4)), rnd() < 0.1 ? null : pick());
    c.score = pick();
    c.activation = pick();
    c.retention = i % 7 === 0 ? 0 : pick();
    return c;
  });
}

/** The generic ranking order: the column's value (NaN ties), direction, then id ascending. */
function referenceCompare(column: 'score' | 'activation' | 'retention', desc: boolean) {
  return (a: Candidate, b: Candidate): number => {
    const x = a[column];
    const y = b[column];
    const c = x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return desc ? -c : c;
    return a.rec.id < b.rec.id ? -1 : a.rec.id > b.rec.id ? 1 : 0;
  };
}

const ids = (cs: readonly Candidate[]): string[] => cs.map((c) => c.rec.id);

describe('Rank order', () => {
  it('the score columns sort as the generic comparator does, in both directions', () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const column of ['score', 'activation', 'retention'] as const) {
        for (const desc of [true, false]) {
          const cs = candidates(seed, 60);
          const got = [...cs].sort(compareBy(column, desc));
          // the reference is an insertion sort: correct even where NaN makes sort orders ambiguous
          const ref: Candidate[] = [];
          const cmp = referenceCompare(column, desc);
          for (const c of cs) {
            let i = ref.length;
            while (i > 0 && cmp(c, ref[i - 1] as Candidate) < 0) i--;
            ref.splice(i, 0, c);
          }
          if (!cs.some((c) => Number.isNaN(c[column]))) expect(ids(got)).toEqual(ids(ref));
          // with or without NaN: every adjacent pair is in order under the reference comparator
          const bad = got.findIndex((c, i) => i > 0 && Number.isFinite(c[column]) && Number.isFinite((got[i - 1] as Candidate)[column]) && cmp(got[i - 1] as Candidate, c) > 0);
          expect(bad).toBe(-1);
        }
      }
    }
  });

  it('ties on the column are broken by id ascending, whatever the direction', () => {
    const cs = ['b', 'c', 'a'].map((id) => candidate(record(id, 0), 0.5));
    for (const c of cs) c.score = 0.25;
    expect(ids([...cs].sort(compareBy('score', true)))).toEqual(['a', 'b', 'c']);
    expect(ids([...cs].sort(compareBy('score', false)))).toEqual(['a', 'b', 'c']);
  });

  it('another column (created) sorts through the stored field', () => {
    const cs = candidates(7, 40);
    const got = ids([...cs].sort(compareBy('created', false)));
    const ref = ids([...cs].sort((a, b) => a.rec.created - b.rec.created || (a.rec.id < b.rec.id ? -1 : 1)));
    expect(got).toEqual(ref);
  });
});

describe('Rank top-k (LIMIT pushed into Rank)', () => {
  const columns = ['score', 'activation', 'retention', 'created', 'id', 'similarity', 'access_count'];

  it('keeps exactly the first k of a full sort, in order, for every column, direction and k', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const n = 1 + ((seed * 7) % 90);
      // NaN makes a sort order ambiguous (it compares as neither smaller nor larger): left out here
      const cs = candidates(seed, n).filter((c) => !Number.isNaN(c.score) && !Number.isNaN(c.activation) && !Number.isNaN(c.retention) && !Number.isNaN(c.similarity));
      for (const column of columns) {
        for (const desc of [true, false]) {
          const cmp = compareBy(column, desc);
          const full = ids([...cs].sort(cmp));
          for (const k of [0, 1, 2, 3, 5, cs.length >> 2, cs.length >> 1, cs.length - 1, cs.length, cs.length + 3]) {
            if (k < 0) continue;
            const before = ids(cs);
            expect(ids(topK(cs, k, cmp)), `seed ${seed} ${column} ${desc ? 'desc' : 'asc'} k ${k}`).toEqual(full.slice(0, k));
            expect(ids(cs)).toEqual(before); // the input is left as it was
          }
        }
      }
    }
  });

  it('is used only when k is at most half of the candidates', () => {
    expect(worthSelecting(10, 36)).toBe(true);
    expect(worthSelecting(18, 36)).toBe(true);
    expect(worthSelecting(19, 36)).toBe(false);
    expect(worthSelecting(0, 0)).toBe(true);
  });
});

describe('ContextSpread seeds', () => {
  it('are the most similar candidates, ties by id, null as 0: the first of a full sort', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const n = 1 + (seed % 40);
      const cs = candidates(seed, n).filter((c) => !Number.isNaN(c.similarity));
      const ref = [...cs]
        .sort((a, b) => (b.similarity ?? 0) - (a.similarity ?? 0) || (a.rec.id < b.rec.id ? -1 : 1))
        .slice(0, CONTEXT_SEEDS);
      expect(contextSeeds(cs)).toEqual(ids(ref));
    }
  });

  it('fewer candidates than seeds gives them all, in order', () => {
    const cs = [candidate(record('b', 0), 0.2), candidate(record('a', 0), 0.9)];
    expect(contextSeeds(cs)).toEqual(['a', 'b']);
    expect(contextSeeds([])).toEqual([]);
  });
});
