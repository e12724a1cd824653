/**
 * Cognitive suite, AS OF: stateAsOf removes presentations after t — exactly inside the recent
 * window, by the uniform model inside the summary — signals "did not exist yet" with null, and
 * a future t forecasts. Activation/retention at a past `now` use it implicitly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AS_OF_RESIMULATE_MAX, DECAY_RATE_MAX, activation, defaultDecayModel, initialDecayState, recordPresentation, retention, stateAsOf } from '../src/cognitive/index.js';
import { RECENT_PRESENTATIONS } from '../src/model.js';
import type { DecayState } from '../src/model.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);
const model = defaultDecayModel();
const SEED = 424242;

function build(ts: number[]): DecayState {
  let s = initialDecayState(ts[0] as number, model);
  for (const t of ts.slice(1)) s = recordPresentation(s, t, model);
  return s;
}

describe('stateAsOf', () => {
  const ts = Array.from({ length: 20 }, (_, i) => T0 + i * DAY);
  const s = build(ts);

  it('before the first presentation: null (the memory did not exist yet)', () => {
    expect(stateAsOf(s, T0 - 1)).toBeNull();
    expect(stateAsOf(s, Number.NaN)).toBeNull();
  });

  it('at or after the last presentation: the state itself (a future t forecasts)', () => {
    expect(stateAsOf(s, s.last)).toBe(s);
    expect(stateAsOf(s, s.last + 365 * DAY)).toBe(s);
  });

  it('inside the exact window: exact count, times and decay rates', () => {
    const t = T0 + 15 * DAY + HOUR;
    const a = stateAsOf(s, t) as DecayState;
    expect(a.count).toBe(16);
    expect(a.last).toBe(T0 + 15 * DAY);
    expect(a.recentTimes).toEqual(s.recentTimes.filter((x) => x <= t));
    expect(a.recentDecays).toEqual(s.recentDecays.slice(0, a.recentTimes.length));
    expect(a.olderDecay).toBe(s.olderDecay);
  });

  it('inside the summary: count and times from the uniform model, invariants kept', () => {
    const t = T0 + 5 * DAY + HOUR;
    const a = stateAsOf(s, t) as DecayState;
    expect(a.count).toBe(6);
    expect(a.first).toBe(T0);
    expect(a.recentTimes.length).toBe(6);
    expect(a.recentTimes[0]).toBe(T0);
    expect(a.last).toBeLessThanOrEqual(t);
    const exact = build(ts.slice(0, 6));
    expect(Math.abs(activation(a, t + 10 * DAY, model) - activation(exact, t + 10 * DAY, model))).toBeLessThan(0.05);
  });

  it('property: counts presentations ≤ t exactly in the window; never more than exist; sorted, ≤ window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 * DAY }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: -DAY, max: 70 * DAY }),
        (offs, q) => {
          const sorted = [...offs].sort((x, y) => x - y).map((x) => T0 + x);
          const st = build(sorted);
          const t = T0 + q;
          const a = stateAsOf(st, t);
          const truth = sorted.filter((x) => x <= t).length;
          if (truth === 0) return void expect(a).toBeNull();
          const got = a as DecayState;
          if (t >= (st.recentTimes[0] as number)) expect(got.count).toBe(truth);
          expect(got.count).toBeGreaterThanOrEqual(1);
          expect(got.count).toBeLessThanOrEqual(st.count);
          expect(got.recentTimes.length).toBeLessThanOrEqual(Math.min(got.count, RECENT_PRESENTATIONS));
          for (let i = 1; i < got.recentTimes.length; i++) expect(got.recentTimes[i]).toBeGreaterThanOrEqual(got.recentTimes[i - 1] as number);
          expect(got.last).toBeLessThanOrEqual(t);
          expect(Number.isFinite(retention(got, t + DAY, model))).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('deep inside a long summary (beyond the replay limit) B stays within 0.15 of the exact value (figures reported)', () => {
    /** Exact Pavlik–Anderson B at each of `nows` for presentations `ts` (sorted), rates computed once. */
    const exactB = (ts: number[], nows: number[]): number[] => {
      const age = (a: number, b: number): number => Math.max(a - b, 1000) / 1000;
      const ds: number[] = [];
      ts.forEach((t, j) => {
        let acc = 0;
        for (let k = 0; k < j; k++) acc += age(t, ts[k] as number) ** -(ds[k] as number);
        ds.push(j === 0 ? 0.177 : Math.min(0.217 * acc + 0.177, DECAY_RATE_MAX));
      });
      return nows.map((now) => Math.log(ts.reduce((a, t, j) => a + age(now, t) ** -(ds[j] as number), 0)));
    };
    const report: string[] = [];
    for (const spacing of [HOUR, DAY]) {
      const all = Array.from({ length: 2000 }, (_, i) => T0 + i * spacing);
      const s = build(all);
      for (const j of [AS_OF_RESIMULATE_MAX + 100, 1800]) {
        const t = T0 + (j - 1) * spacing + spacing / 2;
        const probes = [t + HOUR, t + 30 * DAY];
        const want = exactB(all.slice(0, j), probes);
        const then = stateAsOf(s, t, model) as DecayState;
        expect(then.count).toBe(j);
        probes.forEach((now, i) => {
          const err = activation(then, now, model) - (want[i] as number);
          report.push(err.toFixed(3));
          expect(Math.abs(err)).toBeLessThan(0.15);
        });
      }
    }
    console.log('AS OF beyond the replay limit, ΔB (hourly j=1124 +1h +30d, j=1800 …; daily …):', report.join(' '));
  });

  it('retention at a past time equals the retention of the history as it stood then (exact window)', () => {
    const h = build([T0, T0 + DAY, T0 + 2 * DAY, T0 + 9 * DAY]);
    const then = build([T0, T0 + DAY, T0 + 2 * DAY]);
    expect(retention(h, T0 + 5 * DAY, model)).toBeCloseTo(retention(then, T0 + 5 * DAY, model), 12);
    expect(retention(h, T0 - HOUR, model)).toBe(0);
  });
});
