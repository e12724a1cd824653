/**
 * Cognitive suite, confidence intervals: every combinator keeps 0 ≤ lo ≤ hi ≤ 1 (fast-check,
 * including NaN and out-of-range ends), the Wilson interval narrows with evidence, and user
 * input is validated strictly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  intervalMin,
  intervalNoisyOr,
  intervalProduct,
  intervalScale,
  intervalWeighted,
  intervalWidth,
  normalizeInterval,
  toInterval,
  wilsonInterval,
} from '../src/cognitive/index.js';
import type { Interval } from '../src/model.js';

const valid = (x: Interval): boolean => 0 <= x.lo && x.lo <= x.hi && x.hi <= 1;
const anyNumber = fc.oneof(fc.double({ min: -2, max: 3 }), fc.constant(Number.NaN));
const raw = fc.tuple(anyNumber, anyNumber).map(([a, b]) => normalizeInterval(a, b));

describe('intervals', () => {
  it('every combinator keeps 0 ≤ lo ≤ hi ≤ 1', () => {
    fc.assert(
      fc.property(fc.array(raw, { maxLength: 6 }), fc.array(anyNumber, { maxLength: 6 }), anyNumber, (xs, ws, f) => {
        expect(xs.every(valid)).toBe(true);
        expect(valid(intervalProduct(...xs))).toBe(true);
        expect(valid(intervalMin(...xs))).toBe(true);
        expect(valid(intervalNoisyOr(...xs))).toBe(true);
        expect(valid(intervalWeighted(xs.map((interval, i) => ({ interval, weight: ws[i] ?? 1 }))))).toBe(true);
        for (const x of xs) expect(valid(intervalScale(x, f))).toBe(true);
        expect(valid(wilsonInterval(f, Math.abs(f) * 100))).toBe(true);
      }),
      { seed: 5, numRuns: 500 },
    );
  });

  it('combinators mean what they say', () => {
    const a = { lo: 0.5, hi: 0.8 };
    const b = { lo: 0.4, hi: 0.9 };
    expect(intervalProduct(a, b).lo).toBeCloseTo(0.2, 12);
    expect(intervalProduct(a, b).hi).toBeCloseTo(0.72, 12);
    expect(intervalMin(a, b)).toEqual({ lo: 0.4, hi: 0.8 });
    // an unknown (NaN) end is uncertainty, not certainty: it must not be skipped by min
    expect(intervalMin({ lo: Number.NaN, hi: Number.NaN }, a)).toEqual({ lo: 0, hi: 0.8 });
    expect(intervalMin(a, { lo: Number.NaN, hi: 0.9 })).toEqual({ lo: 0, hi: 0.8 });
    expect(intervalNoisyOr(a, b).lo).toBeCloseTo(0.7, 12);
    expect(intervalWeighted([{ interval: a, weight: 3 }, { interval: b, weight: 1 }]).lo).toBeCloseTo(0.475, 12);
    expect(intervalWeighted([])).toEqual({ lo: 0, hi: 1 });
    expect(intervalProduct()).toEqual({ lo: 1, hi: 1 });
  });

  it('Wilson interval contains p and narrows with n', () => {
    let last = 1;
    for (const n of [1, 3, 10, 30, 100, 1000]) {
      const w = wilsonInterval(0.9, n);
      expect(w.lo <= 0.9 && 0.9 <= w.hi).toBe(true);
      expect(intervalWidth(w)).toBeLessThan(last);
      last = intervalWidth(w);
    }
    expect(wilsonInterval(0.5, 0)).toEqual({ lo: 0, hi: 1 });
  });

  it('toInterval validates user CONFIDENCE strictly', () => {
    expect(toInterval(0.7)).toEqual({ lo: 0.7, hi: 0.7 });
    expect(toInterval([0.2, 0.9])).toEqual({ lo: 0.2, hi: 0.9 });
    for (const bad of [1.2, -0.1, Number.NaN, [0.9, 0.2] as [number, number]]) {
      expect(() => toInterval(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
