/**
 * Cognitive suite, decay: the forgetting curve against Ebbinghaus (1885), power law vs exponential,
 * the fitted defaults being the least-squares optimum, spacing and testing effects, the other
 * models, degenerate inputs and the PROFILE breakdown. Deterministic: every time is injected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTR_S,
  ACTR_TAU,
  activation,
  decayParts,
  defaultDecayModel,
  initialDecayState,
  recordPresentation,
  retention,
  validateDecayModel,
} from '../src/cognitive/index.js';
import type { DecayModel, DecayState } from '../src/model.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);
const model = defaultDecayModel();

/** Ebbinghaus (1885) savings after one learning, delay → proportion saved. */
const EBBINGHAUS: ReadonlyArray<[number, number]> = [
  [20 * MIN, 0.582],
  [1 * HOUR, 0.442],
  [9 * HOUR, 0.358],
  [1 * DAY, 0.337],
  [2 * DAY, 0.278],
  [6 * DAY, 0.254],
  [31 * DAY, 0.211],
];

function history(times: number[], m: DecayModel = model): DecayState {
  let s = initialDecayState(times[0] as number, m);
  for (const t of times.slice(1)) s = recordPresentation(s, t, m);
  return s;
}

/** Least squares of y ≈ a·f_b(x) over a grid of b (a in closed form). */
function bestFit(xs: number[], ys: number[], f: (x: number, b: number) => number, bs: number[]): number {
  let best = Infinity;
  for (const b of bs) {
    const fx = xs.map((x) => f(x, b));
    const a = fx.reduce((s, v, i) => s + v * (ys[i] as number), 0) / fx.reduce((s, v) => s + v * v, 0);
    const sse = fx.reduce((s, v, i) => s + (a * v - (ys[i] as number)) ** 2, 0);
    best = Math.min(best, sse);
  }
  return best;
}

function sseAgainstEbbinghaus(tau: number, s: number): number {
  const m: DecayModel = { ...model, model: 'actr', tau, s } as DecayModel;
  const st = initialDecayState(T0, m);
  return EBBINGHAUS.reduce((acc, [dt, r]) => acc + (retention(st, T0 + dt, m) - r) ** 2, 0);
}

describe('forgetting curve of a once-seen memory', () => {
  const once = initialDecayState(T0, model);
  const curve = EBBINGHAUS.map(([dt]) => retention(once, T0 + dt, model));

  it('is strictly decreasing over 20 min … 31 d and stays in (0, 1)', () => {
    for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThan(curve[i - 1] as number);
    for (const r of curve) expect(r > 0 && r < 1).toBe(true);
  });

  it('matches Ebbinghaus savings within 0.05 at every delay (max |Δ| reported)', () => {
    const diffs = curve.map((r, i) => Math.abs(r - (EBBINGHAUS[i] as [number, number])[1]));
    console.log('Ebbinghaus max |Δ| =', Math.max(...diffs).toFixed(3), curve.map((r) => r.toFixed(3)).join(' '));
    for (const d of diffs) expect(d).toBeLessThan(0.05);
  });

  it('is fitted better by a power law than by an exponential', () => {
    const hours = EBBINGHAUS.map(([dt]) => dt / HOUR);
    const grid = Array.from({ length: 4000 }, (_, i) => 10 ** (-5 + (i * 7) / 4000));
    const power = bestFit(hours, curve, (x, b) => x ** -b, grid);
    const expo = bestFit(hours, curve, (x, b) => Math.exp(-b * x), grid);
    console.log('SSE power', power.toExponential(2), 'exponential', expo.toExponential(2));
    expect(power * 10).toBeLessThan(expo);
  });

  it('never falls off a cliff: a year and ten years still give distinguishable, non-zero retention', () => {
    const y1 = retention(once, T0 + 365 * DAY, model);
    const y10 = retention(once, T0 + 3650 * DAY, model);
    expect(y1).toBeLessThan(curve[6] as number);
    expect(y10).toBeLessThan(y1);
    expect(y10).toBeGreaterThan(0.05);
  });

  it('the frozen τ and s are the least-squares optimum: globally on the documented box, and locally at ±0.001', () => {
    const at = sseAgainstEbbinghaus(ACTR_TAU, ACTR_S);
    let coarseBest = Infinity;
    for (let i = 0; i <= 100; i++) {
      for (let j = 0; j <= 90; j++) coarseBest = Math.min(coarseBest, sseAgainstEbbinghaus(-4 + i * 0.05, 0.2 + j * 0.02));
    }
    expect(coarseBest).toBeGreaterThanOrEqual(at - 1e-9);
    for (const dt of [-0.001, 0, 0.001]) {
      for (const ds of [-0.001, 0, 0.001]) expect(sseAgainstEbbinghaus(ACTR_TAU + dt, ACTR_S + ds)).toBeGreaterThanOrEqual(at - 1e-9);
    }
    console.log('Ebbinghaus SSE at the frozen (τ, s):', at.toFixed(5), 'best on the 0.05 × 0.02 grid:', coarseBest.toFixed(5));
  });

  it('the target itself has the power-law shape: Ebbinghaus\' savings fit a power law far better than an exponential', () => {
    const hours = EBBINGHAUS.map(([dt]) => dt / HOUR);
    const data = EBBINGHAUS.map(([, r]) => r);
    const grid = Array.from({ length: 4000 }, (_, i) => 10 ** (-5 + (i * 7) / 4000));
    const power = bestFit(hours, data, (x, b) => x ** -b, grid);
    const expo = bestFit(hours, data, (x, b) => Math.exp(-b * x), grid);
    console.log('Ebbinghaus data: SSE power', power.toExponential(2), 'exponential', expo.toExponential(2));
    expect(power * 10).toBeLessThan(expo);
  });
});

describe('named effects', () => {
  it('spacing: same count, spaced beats massed at long delays (and massed leads right after)', () => {
    const massed = history([T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
    const spaced = history([T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY]);
    for (const delay of [7 * DAY, 30 * DAY, 365 * DAY]) {
      expect(retention(spaced, spaced.last + delay, model)).toBeGreaterThan(retention(massed, massed.last + delay, model) + 0.05);
    }
    expect(retention(massed, massed.last + MIN, model)).toBeGreaterThan(retention(spaced, spaced.last + MIN, model));
    // mechanism: presentations at high activation get higher decay rates (Pavlik & Anderson)
    expect(Math.max(...massed.recentDecays)).toBeGreaterThan(Math.max(...spaced.recentDecays));
  });

  it('spacing, Cepeda et al. (2008): the optimal gap grows with the retention interval, its ratio to it shrinks', () => {
    const gaps: number[] = [];
    for (let g = MIN; g <= 400 * DAY; g *= 1.05) gaps.push(g);
    const optimum = (ri: number): number => {
      let best = gaps[0] as number;
      let bestR = -1;
      for (const g of gaps) {
        const r = retention(history([T0, T0 + g]), T0 + g + ri, model);
        if (r > bestR) [best, bestR] = [g, r];
      }
      return best;
    };
    const ris = [7, 35, 70, 350].map((d) => d * DAY);
    const opt = ris.map(optimum);
    const ratio = opt.map((g, i) => g / (ris[i] as number));
    console.log('optimal gap (d) for RI 7/35/70/350 d:', opt.map((g) => (g / DAY).toFixed(1)).join(' '), '— ratio', ratio.map((x) => x.toFixed(2)).join(' '));
    for (let i = 1; i < opt.length; i++) {
      expect(opt[i]).toBeGreaterThan(opt[i - 1] as number);
      expect(ratio[i]).toBeLessThan(ratio[i - 1] as number);
    }
    // Cepeda et al.: the optimal gap is about 20–40 % of a one-week retention interval
    expect(ratio[0]).toBeGreaterThan(0.2);
    expect(ratio[0]).toBeLessThan(0.4);
  });

  it('retrieval practice: each RECALL hit is a presentation, so practised memories are retained better than unpractised ones', () => {
    const studied = history([T0]);
    const tested = recordPresentation(recordPresentation(studied, T0 + HOUR, model), T0 + DAY, model);
    for (const delay of [2 * DAY, 7 * DAY, 60 * DAY]) {
      expect(retention(tested, T0 + delay, model)).toBeGreaterThan(retention(studied, T0 + delay, model));
    }
  });

  it('a burst (TIMES 1000) helps but saturates instead of exploding or erasing the memory', () => {
    const once = history([T0]);
    const burst = recordPresentation(once, T0, model, 1000);
    expect(burst.count).toBe(1001);
    const r1 = retention(burst, T0 + DAY, model);
    expect(r1).toBeGreaterThanOrEqual(retention(once, T0 + DAY, model));
    expect(r1).toBeLessThan(0.9);
  });
});

describe('other models', () => {
  const s = history([T0, T0 + HOUR]);
  it('none: retention 1, activation 0', () => {
    const m: DecayModel = { model: 'none' };
    expect(retention(s, T0 + 365 * DAY, m)).toBe(1);
    expect(activation(s, T0 + 365 * DAY, m)).toBe(0);
  });
  it('exponential: halves every half-life after the last presentation', () => {
    const m: DecayModel = { model: 'exponential', halfLifeMs: DAY };
    expect(retention(s, T0 + HOUR + DAY, m)).toBeCloseTo(0.5, 12);
    expect(retention(s, T0 + HOUR + 3 * DAY, m)).toBeCloseTo(0.125, 12);
  });
  it('power: (1 + Δ/1 s)^−d after the last presentation', () => {
    const m: DecayModel = { model: 'power', d: 0.2 };
    expect(retention(s, T0 + HOUR + 99_000, m)).toBeCloseTo(100 ** -0.2, 12);
  });
  it('classic ACT-R (no c, α): every presentation decays at d', () => {
    const m: DecayModel = { model: 'actr', d: 0.5, tau: -1, s: 0.4 };
    const h = history([T0, T0 + HOUR], m);
    expect(h.recentDecays).toEqual([0.5, 0.5]);
    const b = Math.log((2 * HOUR / 1000) ** -0.5 + (HOUR / 1000) ** -0.5);
    expect(activation(h, T0 + 2 * HOUR, m)).toBeCloseTo(b, 12);
  });
  it('validateDecayModel rejects bad parameters with INVALID_ARGUMENT', () => {
    expect(() => validateDecayModel({ model: 'exponential', halfLifeMs: 0 })).toThrow(/half-life/);
    expect(() => validateDecayModel({ model: 'actr', d: 0.5, tau: 0, s: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => validateDecayModel({ model: 'power', d: Number.NaN })).toThrow(/d must be/);
    expect(validateDecayModel(model)).toBe(model);
  });
});

describe('degenerate inputs and PROFILE parts', () => {
  it('age 0 uses the 1 s minimum; no NaN escapes', () => {
    const s = initialDecayState(T0, model);
    expect(activation(s, T0, model)).toBe(0);
    expect(activation(s, T0 + 500, model)).toBe(0);
    expect(Number.isNaN(retention(s, T0, model))).toBe(false);
    expect(() => initialDecayState(Number.NaN, model)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => recordPresentation(s, T0, model, 0)).toThrow(/TIMES/);
    expect(() => recordPresentation(s, T0, model, 1.5)).toThrow(/TIMES/);
    expect(() => recordPresentation(s, Number.POSITIVE_INFINITY, model)).toThrow(/finite/);
    expect(activation(s, Number.NaN, model)).toBe(-Infinity);
    expect(retention(s, Number.NaN, model)).toBe(0);
    expect(decayParts(s, Number.NaN, model).exists).toBe(false);
  });

  it('before the first presentation the memory does not exist: activation −∞, retention 0', () => {
    const s = initialDecayState(T0, model);
    expect(activation(s, T0 - 1, model)).toBe(-Infinity);
    expect(retention(s, T0 - 1, model)).toBe(0);
    expect(decayParts(s, T0 - 1, model).exists).toBe(false);
  });

  it('decayParts explains retention: base level, presentations, age, model, τ, s', () => {
    const s = history([T0, T0 + DAY]);
    const p = decayParts(s, T0 + 3 * DAY, model);
    expect(p).toMatchObject({ model: 'actr', exists: true, presentations: 2, ageMs: 3 * DAY, sinceLastMs: 2 * DAY, tau: ACTR_TAU, s: ACTR_S });
    expect(p.baseLevel).toBeCloseTo(activation(s, T0 + 3 * DAY, model), 12);
    expect(p.retention).toBeCloseTo(1 / (1 + Math.exp(-(p.baseLevel - ACTR_TAU) / ACTR_S)), 12);
    expect(p.meanDecay).toBeCloseTo((s.recentDecays[0]! + s.recentDecays[1]!) / 2, 12);
  });

  it('NaN never escapes: any model, any history (bursts, extreme times), any now (±Infinity, NaN, extremes)', () => {
    const models: DecayModel[] = [
      model,
      { model: 'actr', d: 0, tau: 0, s: 1 },
      { model: 'actr', d: 0, tau: 0, s: 1, c: 5, alpha: 0 },
      { model: 'actr', d: 5, tau: 1e300, s: 1e-300, c: 5, alpha: 5 },
      { model: 'actr', d: 1, tau: -1, s: 0.5, c: 0, alpha: 1 },
      { model: 'power', d: 5 },
      { model: 'exponential', halfLifeMs: 1e-300 },
      { model: 'exponential', halfLifeMs: Number.MAX_VALUE },
      { model: 'none' },
    ];
    const time = fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constantFrom(0, T0, -8.64e15, 8.64e15));
    const now = fc.oneof(time, fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300, -1e300));
    fc.assert(
      fc.property(fc.constantFrom(...models), fc.array(fc.tuple(time, fc.integer({ min: 1, max: 1_000_000 })), { minLength: 1, maxLength: 12 }), fc.array(now, { minLength: 1, maxLength: 5 }), (m, hist, nows) => {
        let s = initialDecayState((hist[0] as [number, number])[0], m);
        for (const [t, n] of hist.slice(1)) s = recordPresentation(s, t, m, n);
        for (const x of [...s.recentDecays, s.olderDecay]) expect(Number.isFinite(x)).toBe(true);
        for (const t of nows) {
          const a = activation(s, t, m);
          const r = retention(s, t, m);
          const p = decayParts(s, t, m);
          expect(Number.isNaN(a)).toBe(false);
          expect(r >= 0 && r <= 1).toBe(true);
          for (const v of Object.values(p)) if (typeof v === 'number') expect(Number.isNaN(v)).toBe(false);
          expect(p.exists).toBe(t >= s.first);
        }
      }),
      { seed: 31, numRuns: 400 },
    );
  });

  it('now = +Infinity is the end of representable time (8.64e15 ms), not NaN', () => {
    const s = recordPresentation(history([T0]), T0 + DAY, model, 50);
    expect(activation(s, Number.POSITIVE_INFINITY, model)).toBe(activation(s, 8.64e15, model));
    const flat: DecayModel = { model: 'actr', d: 0, tau: 0, s: 1 };
    expect(activation(history([T0, T0 + 1], flat), Number.POSITIVE_INFINITY, flat)).toBeCloseTo(Math.log(2), 12);
  });

  it('huge counts: 10⁹ presentations (1000 × TIMES 10⁶) stay finite and fast', () => {
    let s = history([T0]);
    for (let i = 0; i < 1000; i++) s = recordPresentation(s, T0 + i * HOUR, model, 1_000_000);
    expect(s.count).toBe(1 + 1e9);
    for (const dt of [0, DAY, 3650 * DAY]) {
      const a = activation(s, s.last + dt, model);
      expect(Number.isFinite(a)).toBe(true);
      expect(retention(s, s.last + dt, model)).toBeLessThanOrEqual(1);
    }
  });

  it('a future time forecasts (lower retention, no error)', () => {
    const s = history([T0]);
    expect(retention(s, T0 + 100 * 365 * DAY, model)).toBeGreaterThan(0);
  });
});
