/**
 * ACT-R base-level kernel: B = ln(Σ t_j^{-d_j}) over a compact presentation history, with
 * Petrov's (2006) approximation for the presentations summarised out of the exact window.
 * Works in log space (log-sum-exp), so no term underflows and NaN never escapes.
 * Implements docs/decay.md §"Base level" and §"Compact history".
 */

/** Ages below this are clamped to it (a presentation "right now" has age 1 s, not 0). */
export const MIN_AGE_MS = 1000;
/** The ACT-R time unit: ages enter the equations in seconds. */
export const TIME_UNIT_MS = 1000;

/** Age of a presentation at `t` seen from `now`, in seconds, clamped to MIN_AGE_MS. */
export function ageSeconds(now: number, t: number): number {
  const age = now - t;
  return (age > MIN_AGE_MS ? age : MIN_AGE_MS) / TIME_UNIT_MS;
}

/** The summarised (older) part of a history: `count` presentations, the oldest exactly at `first`. */
export interface OlderSummary {
  count: number;
  first: number;
  /** Upper end of the summarised span (the oldest exact time, or `first` when there is none). */
  boundary: number;
  /** Decay rate of the first presentation (the model's d: it had no prior activation). */
  firstDecay: number;
  /** Mean decay rate of the other count − 1 summarised presentations. */
  decay: number;
}

/**
 * ln Σ over the summary: the first presentation exactly, the other count−1 spread uniformly over
 * [first, boundary] — their mean t^{-d} is the integral mean (Petrov 2006, eq. for t_k..t_n).
 * Returns -Infinity when the summary is empty. Ages are seen from `now` (≥ boundary expected).
 */
export function logSumOlder(s: OlderSummary, now: number): number {
  if (s.count <= 0) return -Infinity;
  const d = s.decay;
  const aFirst = ageSeconds(now, s.first);
  const firstTerm = -s.firstDecay * Math.log(aFirst);
  if (s.count === 1) return firstTerm;
  const aB = ageSeconds(now, s.boundary);
  let logMean: number;
  if (aFirst - aB < 1e-9) {
    logMean = -d * Math.log(aB);
  } else if (Math.abs(1 - d) < 1e-9) {
    logMean = Math.log(Math.log(aFirst / aB) / (aFirst - aB));
  } else {
    const num = (Math.pow(aFirst, 1 - d) - Math.pow(aB, 1 - d)) / ((1 - d) * (aFirst - aB));
    logMean = num > 0 ? Math.log(num) : -d * Math.log(aFirst);
  }
  return logAddExp(firstTerm, Math.log(s.count - 1) + logMean);
}

/** ln(e^a + e^b) without overflow; -Infinity is the neutral element. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = a > b ? a : b;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/**
 * ln Σ t_j^{-d_j} for the exact presentations times[0..end) (all expected ≤ now) plus the summary.
 * Hot kernel: called per candidate row on RECALL; allocation-free.
 */
export function logSumPresentations(
  times: readonly number[],
  decays: readonly number[],
  end: number,
  older: OlderSummary,
  now: number,
): number {
  let acc = logSumOlder(older, now);
  for (let j = 0; j < end; j++) {
    const t = times[j] as number;
    const d = decays[j] as number;
    acc = logAddExp(acc, -d * Math.log(ageSeconds(now, t)));
  }
  return acc;
}

/**
 * Decay rates of summarised presentations are averaged as a Kolmogorov (f-)mean with
 * f(d) = e^{−d·L}, L = ln(30 days in s): the rate a group of presentations of age 30 d would
 * share. Unlike the arithmetic mean it is not dragged up by a few fast-decaying (massed)
 * presentations, which matters at long delays (Jensen). See docs/decay.md §"Compact history".
 */
export const DECAY_MEAN_LOG_AGE = Math.log((30 * 86_400_000) / TIME_UNIT_MS);

/** f-mean of `count` rates with f-mean `mean`, plus (sign +1) or minus (sign −1) `times` copies of rate `d`. */
export function decayMeanUpdate(mean: number, count: number, d: number, sign: 1 | -1, times = 1): number {
  const n = count + sign * times;
  if (n <= 0) return 0;
  const sum = count * Math.exp(-mean * DECAY_MEAN_LOG_AGE) + sign * times * Math.exp(-d * DECAY_MEAN_LOG_AGE);
  if (!(sum > 0)) return mean;
  const m = -Math.log(sum / n) / DECAY_MEAN_LOG_AGE;
  return m > 0 ? m : 0;
}
