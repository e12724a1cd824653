/**
 * Cognitive suite, presentation history: fast-check properties of recordPresentation (count,
 * sorted bounded window, first/last, retention in [0, 1] and non-increasing without presentations,
 * order independence), and the compact history against an exact from-scratch oracle.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DECAY_RATE_MAX,
  activation,
  defaultDecayModel,
  initialDecayState,
  recordPresentation,
  retention,
} from '../src/cognitive/index.js';
import { RECENT_PRESENTATIONS } from '../src/model.js';
import type { DecayModel, DecayState } from '../src/model.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);
const model = defaultDecayModel();
const SEED = 20260101;

/** Offsets (ms) of presentations after T0, any order, repeats allowed, up to 60 days. */
const offsets = fc.array(fc.integer({ min: 0, max: 60 * DAY }), { minLength: 1, maxLength: 40 });
const timesArb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 40 });

function build(ts: number[], m: DecayModel = model, times?: number[]): DecayState {
  let s = initialDecayState(T0 + (ts[0] as number), m);
  ts.slice(1).forEach((t, i) => (s = recordPresentation(s, T0 + t, m, times?.[i] ?? 1)));
  return s;
}

/** Exact ACT-R + Pavlik–Anderson from the full, sorted history (no window, no summary). */
function oracleActivation(sorted: number[], now: number): number {
  const c = 0.217;
  const alpha = 0.177;
  const age = (a: number, b: number): number => Math.max(a - b, 1000) / 1000;
  const ds: number[] = [];
  sorted.forEach((t, j) => {
    if (j === 0) return void ds.push(0.177);
    const m = Math.log(sorted.slice(0, j).reduce((acc, tk, k) => acc + age(t, tk) ** -(ds[k] as number), 0));
    ds.push(Math.min(c * Math.exp(m) + alpha, DECAY_RATE_MAX));
  });
  return Math.log(sorted.reduce((acc, t, j) => acc + age(now, t) ** -(ds[j] as number), 0));
}

describe('recordPresentation invariants (fast-check, seeded)', () => {
  it('count, bounded sorted window, first/last, finite decay rates', () => {
    fc.assert(
      fc.property(offsets, timesArb, (ts, times) => {
        const s = build(ts, model, times);
        const total = 1 + ts.slice(1).reduce((a, _, i) => a + (times[i] ?? 1), 0);
        expect(s.count).toBe(total);
        expect(s.recentTimes.length).toBe(Math.min(total, RECENT_PRESENTATIONS));
        expect(s.recentDecays.length).toBe(s.recentTimes.length);
        for (let i = 1; i < s.recentTimes.length; i++) expect(s.recentTimes[i]).toBeGreaterThanOrEqual(s.recentTimes[i - 1] as number);
        for (const d of [...s.recentDecays, s.olderDecay]) expect(d >= 0 && d <= DECAY_RATE_MAX).toBe(true);
        expect(s.first).toBe(T0 + Math.min(...ts));
        expect(s.last).toBe(T0 + Math.max(...ts));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('retention ∈ [0, 1] and non-increasing in time once no presentation follows', () => {
    fc.assert(
      fc.property(offsets, fc.array(fc.integer({ min: 0, max: 400 * DAY }), { minLength: 2, maxLength: 10 }), (ts, probes) => {
        const s = build(ts);
        const at = [...probes].sort((a, b) => a - b).map((p) => s.last + p);
        const rs = at.map((t) => retention(s, t, model));
        for (const r of rs) expect(r >= 0 && r <= 1).toBe(true);
        for (let i = 1; i < rs.length; i++) expect(rs[i]).toBeLessThanOrEqual((rs[i - 1] as number) + 1e-12);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('within the exact window, arrival order does not matter (late AT is inserted in order)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 * DAY }), { minLength: 1, maxLength: RECENT_PRESENTATIONS }), (ts) => {
        const a = build(ts);
        const b = build([...ts].sort((x, y) => x - y));
        expect(a.recentTimes).toEqual(b.recentTimes);
        a.recentDecays.forEach((d, i) => expect(d).toBeCloseTo(b.recentDecays[i] as number, 12));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('equals the exact from-scratch oracle while the history fits the window', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 * DAY }), { minLength: 1, maxLength: RECENT_PRESENTATIONS }), (ts) => {
        const sorted = [...ts].sort((x, y) => x - y).map((t) => T0 + t);
        const now = (sorted[sorted.length - 1] as number) + 7 * DAY;
        expect(activation(build(ts), now, model)).toBeCloseTo(oracleActivation(sorted, now), 10);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('appending presentations in time order never lowers retention later (exact window)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 * DAY }), { minLength: 1, maxLength: RECENT_PRESENTATIONS - 1 }), fc.integer({ min: 0, max: 30 * DAY }), fc.integer({ min: 0, max: 365 * DAY }), (ts, gap, probe) => {
        const s = build([...ts].sort((a, b) => a - b));
        const at = s.last + gap;
        const s2 = recordPresentation(s, at, model);
        expect(retention(s2, at + probe, model)).toBeGreaterThanOrEqual(retention(s, at + probe, model));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('bursts (TIMES n)', () => {
  it('TIMES n equals n single presentations (the saturated closed form included), and 1e6 is fast', () => {
    for (const [base, n] of [[[0], 50], [[0, DAY, 2 * DAY], 200], [[0], 3]] as Array<[number[], number]>) {
      const s = build(base);
      let one = s;
      for (let i = 0; i < n; i++) one = recordPresentation(one, T0 + 3 * DAY, model);
      const burst = recordPresentation(s, T0 + 3 * DAY, model, n);
      expect(burst.count).toBe(one.count);
      expect(burst.recentTimes).toEqual(one.recentTimes);
      expect(burst.recentDecays).toEqual(one.recentDecays);
      expect(burst.olderDecay).toBeCloseTo(one.olderDecay, 10);
    }
    const big = recordPresentation(build([0]), T0 + DAY, model, 1_000_000);
    expect(big.count).toBe(1_000_001);
    expect(() => recordPresentation(big, T0, model, 1_000_001)).toThrow(/TIMES/);
  });
});

describe('bursts at any time (TIMES n with AT in the past)', () => {
  const base = Array.from({ length: 10 }, (_, i) => i * DAY);
  const where: Array<[string, number]> = [['older than the window', DAY / 2], ['inside the window', 8.5 * DAY], ['before the first', -DAY], ['after the last', 10 * DAY]];

  it('up to 64 presentations equal as many single presentations, wherever they fall', () => {
    for (const [, at] of where) {
      const s = build(base);
      let one = s;
      for (let i = 0; i < 64; i++) one = recordPresentation(one, T0 + at, model);
      const burst = recordPresentation(s, T0 + at, model, 64);
      expect({ ...burst, olderDecay: 0 }).toEqual({ ...one, olderDecay: 0 });
      expect(burst.olderDecay).toBeCloseTo(one.olderDecay, 10);
    }
  });

  it('TIMES 10⁶ anywhere is closed-form (was one step per presentation: ~4 s) and keeps every invariant', () => {
    const slow: DecayModel = { model: 'actr', d: 0.3, tau: -1, s: 0.5, c: 1e-4, alpha: 0.3 };
    for (const m of [model, slow]) {
      for (const [, at] of where) {
        const s = recordPresentation(build(base, m), T0 + at, m, 1_000_000);
        expect(s.count).toBe(1_000_010);
        expect(s.first).toBe(T0 + Math.min(0, at));
        expect(s.last).toBe(T0 + Math.max(9 * DAY, at));
        expect(s.recentTimes.length).toBe(RECENT_PRESENTATIONS);
        for (let i = 1; i < s.recentTimes.length; i++) expect(s.recentTimes[i]).toBeGreaterThanOrEqual(s.recentTimes[i - 1] as number);
        for (const d of [...s.recentDecays, s.olderDecay]) expect(d >= 0 && d <= DECAY_RATE_MAX).toBe(true);
        for (const p of [HOUR, DAY, 365 * DAY]) {
          const r = retention(s, s.last + p, m);
          expect(r >= 0 && r <= 1).toBe(true);
        }
      }
    }
  });

  it('the closed-form tail of a 1000-burst is never further (±0.001) from the exact oracle than 1000 single steps (figures reported)', () => {
    const rows: string[] = [];
    for (const [label, at] of where) {
      const s = build(base);
      const burst = recordPresentation(s, T0 + at, model, 1000);
      let one = s;
      for (let i = 0; i < 1000; i++) one = recordPresentation(one, T0 + at, model);
      const all = [...base, ...new Array<number>(1000).fill(at)].sort((a, b) => a - b).map((t) => T0 + t);
      const errs: string[] = [];
      for (const p of [HOUR, DAY, 30 * DAY, 365 * DAY]) {
        const now = T0 + Math.max(9 * DAY, at) + p;
        const exact = oracleActivation(all, now);
        const eb = activation(burst, now, model) - exact;
        const es = activation(one, now, model) - exact;
        expect(Math.abs(eb)).toBeLessThanOrEqual(Math.abs(es) + 1e-3);
        errs.push(eb.toFixed(2));
      }
      rows.push(`${label}: ${errs.join(' ')}`);
    }
    console.log('ΔB of REINFORCE TIMES 1000 vs exact at +1 h, +1 d, +30 d, +1 y —', rows.join('; '));
  });
});

describe('compact history (Petrov 2006 approximation)', () => {
  /** Activation error of the compact history against the exact oracle over random histories. */
  function errors(arb: fc.Arbitrary<number>, runs: number): number[] {
    const out: number[] = [];
    fc.assert(
      fc.property(fc.array(arb, { minLength: 9, maxLength: 60 }), fc.noBias(fc.integer({ min: HOUR, max: 180 * DAY })), (ts, delay) => {
        const sorted = [...ts].sort((x, y) => x - y);
        const now = T0 + (sorted[sorted.length - 1] as number) + delay;
        out.push(activation(build(sorted), now, model) - oracleActivation(sorted.map((t) => T0 + t), now));
      }),
      { seed: SEED, numRuns: runs, endOnFailure: true },
    );
    return out.sort((a, b) => a - b);
  }

  it('stays within 0.05 of the exact base level for histories spread over time (figures reported)', () => {
    const e = errors(fc.noBias(fc.integer({ min: 0, max: 90 * DAY })), 200);
    console.log('Petrov, uniform histories: ΔB min', e[0]?.toFixed(4), 'median', e[100]?.toFixed(4), 'max', e[199]?.toFixed(4));
    for (const x of e) expect(Math.abs(x)).toBeLessThan(0.05);
  });

  it('stays within 0.1 when presentations are clustered (fast-check bias: repeats and extremes)', () => {
    const e = errors(fc.integer({ min: 0, max: 90 * DAY }), 200);
    console.log('Petrov, clustered histories: ΔB min', e[0]?.toFixed(4), 'median', e[100]?.toFixed(4), 'max', e[199]?.toFixed(4));
    for (const x of e) expect(Math.abs(x)).toBeLessThan(0.1);
  });

  it('appending keeps the summary sane: retention drops by at most 0.01 when a presentation leaves the window', () => {
    let worst = 0;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 * DAY }), { minLength: RECENT_PRESENTATIONS, maxLength: 40 }), fc.integer({ min: 0, max: 30 * DAY }), fc.integer({ min: 0, max: 365 * DAY }), (ts, gap, probe) => {
        const s = build([...ts].sort((a, b) => a - b));
        const at = s.last + gap;
        const drop = retention(s, at + probe, model) - retention(recordPresentation(s, at, model), at + probe, model);
        worst = Math.max(worst, drop);
        expect(drop).toBeLessThan(0.01);
      }),
      { seed: SEED, numRuns: 300, endOnFailure: true },
    );
    console.log('worst retention drop after appending (summary approximation):', worst.toExponential(2));
  });

  it('long regular practice (daily for a year, 365 presentations) stays within 0.1 of the exact base level', () => {
    const ts = Array.from({ length: 365 }, (_, i) => i * DAY);
    const s = build(ts);
    const errs = [HOUR, DAY, 30 * DAY, 365 * DAY].map((p) => {
      const now = T0 + 364 * DAY + p;
      return activation(s, now, model) - oracleActivation(ts.map((t) => T0 + t), now);
    });
    console.log('ΔB daily × 365 at +1 h, +1 d, +30 d, +1 y:', errs.map((e) => e.toFixed(3)).join(' '));
    for (const e of errs) expect(Math.abs(e)).toBeLessThan(0.1);
  });

  it('a presentation older than the full window is folded into the summary', () => {
    const ts = Array.from({ length: 12 }, (_, i) => (i + 10) * DAY);
    const s = build(ts);
    const late = recordPresentation(s, T0 + DAY, model);
    expect(late.count).toBe(13);
    expect(late.first).toBe(T0 + DAY);
    expect(late.recentTimes).toEqual(s.recentTimes);
    expect(late.olderDecay).toBeGreaterThan(0);
    expect(retention(late, T0 + 40 * DAY, model)).toBeGreaterThan(retention(s, T0 + 40 * DAY, model));
  });
});
