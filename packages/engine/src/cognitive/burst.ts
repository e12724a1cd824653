/**
 * The tail of a long burst (`REINFORCE x TIMES n` beyond BURST_STEPS presentations) in closed form,
 * without one fold step per presentation: as in exact ACT-R, the j-th presentation of a burst at
 * `at` sees the earlier ones at age 1 s, so its decay rate is rate(ln(h + j)) where h = Σ t^{-d}
 * of everything before it. O(window + rates until they stop changing), not O(n).
 * Implements docs/decay.md §"Bursts".
 */
import { RECENT_PRESENTATIONS } from '../model.js';
import type { DecayState } from '../model.js';
import { decayMeanUpdate, logSumPresentations } from './base-level.js';
import type { OlderSummary } from './base-level.js';

/** Presentations of one burst fixed one at a time (exactly like single presentations) before the closed form. */
export const BURST_STEPS = 64;

export interface BurstRule {
  /** d from the activation m just before a presentation (−∞: none). */
  rate(m: number): number;
  /** The summarised part of a state. */
  older(s: DecayState): OlderSummary;
}

/**
 * Adds `k` presentations at `at` to `s`; `h` is Σ t^{-d} (at `at`) seen by the first of them. In
 * the exact window they go in time order (the oldest entries leave for the summary, the rates of
 * later entries are recomputed once); older than the full window, they join the summary.
 */
export function addBurstTail(s: DecayState, at: number, k: number, h: number, rule: BurstRule): DecayState {
  const rate = (j: number): number => rule.rate(Math.log(h + j));
  const times = s.recentTimes;
  const olderCount = s.count - times.length;
  let idx = times.length;
  while (idx > 0 && (times[idx - 1] as number) > at) idx--;
  const base = { count: s.count + k, first: Math.min(s.first, at), last: Math.max(s.last, at) };
  if (idx === 0 && (times.length >= RECENT_PRESENTATIONS || olderCount > 0)) {
    const olderDecay = addRates(s.olderDecay, olderCount, rate, 0, k);
    return { ...base, recentTimes: times.slice(), recentDecays: s.recentDecays.slice(), olderDecay };
  }
  const later = times.length - idx;
  const drop = Math.max(0, idx + k + later - RECENT_PRESENTATIONS);
  const dropFront = Math.min(idx, drop);
  const dropBurst = drop - dropFront;
  let olderDecay = s.olderDecay;
  for (let q = 0; q < dropFront; q++) olderDecay = decayMeanUpdate(olderDecay, olderCount + q, s.recentDecays[q] as number, 1);
  olderDecay = addRates(olderDecay, olderCount + dropFront, rate, 0, dropBurst);
  const kept = k - dropBurst;
  const recentTimes = [...times.slice(dropFront, idx), ...new Array<number>(kept).fill(at), ...times.slice(idx)];
  const recentDecays = [...s.recentDecays.slice(dropFront, idx), ...Array.from({ length: kept }, (_, j) => rate(dropBurst + j)), ...s.recentDecays.slice(idx)];
  const out: DecayState = { ...base, recentTimes, recentDecays, olderDecay };
  const summary = rule.older(out);
  for (let q = recentTimes.length - later; q < recentTimes.length; q++) {
    recentDecays[q] = rule.rate(logSumPresentations(recentTimes, recentDecays, q, summary, recentTimes[q] as number));
  }
  return out;
}

/**
 * f-mean of `count` rates with mean `mean` plus the n rates rate(j0) … rate(j0 + n − 1). The rates
 * never decrease with j; once two in a row are equal (the cap, or a fixed-rate model) the rest
 * are added in one step.
 */
function addRates(mean: number, count: number, rate: (j: number) => number, j0: number, n: number): number {
  let m = mean;
  for (let i = 0; i < n; i++) {
    const r = rate(j0 + i);
    if (i + 1 < n && rate(j0 + i + 1) === r) return decayMeanUpdate(m, count + i, r, 1, n - i);
    m = decayMeanUpdate(m, count + i, r, 1);
  }
  return m;
}
