/**
 * Confidence intervals carried through every operator: construction, combination (product, min,
 * weighted mean, noisy-OR) and the Wilson score interval for evidence counts. Every result keeps
 * 0 ≤ lo ≤ hi ≤ 1; NaN inputs widen to total uncertainty instead of escaping.
 * Implements docs/cognition.md §"Confidence intervals".
 */
import { MnemoError } from '@mnemo/native';
import type { Interval } from '../model.js';

/** The interval of complete certainty [1, 1] (the default CONFIDENCE of a write). */
export const CERTAIN: Interval = Object.freeze({ lo: 1, hi: 1 });
/** Total ignorance [0, 1]. */
export const UNKNOWN: Interval = Object.freeze({ lo: 0, hi: 1 });

function clamp01(x: number, ifNaN: number): number {
  if (Number.isNaN(x)) return ifNaN;
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Clamps to [0,1] and orders the ends (lo > hi is swapped); NaN ends become 0 / 1. */
export function normalizeInterval(lo: number, hi: number): Interval {
  const a = clamp01(lo, 0);
  const b = clamp01(hi, 1);
  return a <= b ? { lo: a, hi: b } : { lo: b, hi: a };
}

/** User input `CONFIDENCE c` or `[lo, hi]`: validates strictly (INVALID_ARGUMENT on anything outside [0,1]). */
export function toInterval(c: number | readonly [number, number]): Interval {
  const [lo, hi] = typeof c === 'number' ? [c, c] : c;
  const ok = (x: number): boolean => Number.isFinite(x) && x >= 0 && x <= 1;
  if (!ok(lo) || !ok(hi) || lo > hi) {
    throw new MnemoError('INVALID_ARGUMENT', `confidence must be c or [lo, hi] with 0 <= lo <= hi <= 1, got ${JSON.stringify(c)}`);
  }
  return { lo, hi };
}

/** Independent conjunction: [a.lo·b.lo, a.hi·b.hi]. */
export function intervalProduct(...xs: readonly Interval[]): Interval {
  let lo = 1;
  let hi = 1;
  for (const x of xs) {
    lo *= x.lo;
    hi *= x.hi;
  }
  return normalizeInterval(lo, hi);
}

/** Weakest link: [min lo, min hi] (the empty list is CERTAIN; a NaN lo counts as 0, a NaN hi as 1). */
export function intervalMin(...xs: readonly Interval[]): Interval {
  let lo = 1;
  let hi = 1;
  for (const x of xs) {
    if (!(x.lo >= lo)) lo = Number.isNaN(x.lo) ? 0 : x.lo;
    if (x.hi < hi) hi = x.hi;
  }
  return normalizeInterval(lo, hi);
}

/** Weighted mean of the ends; weights ≤ 0 or NaN are ignored; no positive weight → UNKNOWN. */
export function intervalWeighted(items: ReadonlyArray<{ interval: Interval; weight: number }>): Interval {
  let w = 0;
  let lo = 0;
  let hi = 0;
  for (const it of items) {
    if (!(it.weight > 0) || !Number.isFinite(it.weight)) continue;
    w += it.weight;
    lo += it.weight * it.interval.lo;
    hi += it.weight * it.interval.hi;
  }
  return w > 0 ? normalizeInterval(lo / w, hi / w) : { ...UNKNOWN };
}

/** Independent disjunction (any of the pieces of evidence suffices): 1 − Π(1 − x). */
export function intervalNoisyOr(...xs: readonly Interval[]): Interval {
  let notLo = 1;
  let notHi = 1;
  for (const x of xs) {
    notLo *= 1 - x.lo;
    notHi *= 1 - x.hi;
  }
  return normalizeInterval(1 - notLo, 1 - notHi);
}

/** Scales both ends by a factor in [0, 1] (e.g. a score attenuating a confidence). */
export function intervalScale(x: Interval, f: number): Interval {
  const k = clamp01(f, 0);
  return normalizeInterval(x.lo * k, x.hi * k);
}

/**
 * Wilson score interval for a proportion p observed over n trials (fractional allowed), z = 1.96
 * by default (95 %). n ≤ 0 gives UNKNOWN. It narrows as n grows — how evidence shows in results.
 */
export function wilsonInterval(p: number, n: number, z = 1.96): Interval {
  if (!(n > 0) || !Number.isFinite(n)) return { ...UNKNOWN };
  const ph = clamp01(p, 0.5);
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (ph + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((ph * (1 - ph)) / n + z2 / (4 * n * n))) / denom;
  return normalizeInterval(centre - half, centre + half);
}

/** Width hi − lo. */
export function intervalWidth(x: Interval): number {
  return x.hi - x.lo;
}
