/**
 * AS OF for a presentation history: the state with every presentation after t removed.
 * Exact inside the recent window; the summarised part is rebuilt from its uniform model
 * (presentations at first + i·Δ). Implements docs/decay.md §"AS OF".
 */
import { RECENT_PRESENTATIONS } from '../model.js';
import type { DecayModel, DecayState } from '../model.js';
import { DECAY_MEAN_LOG_AGE } from './base-level.js';
import { DECAY_RATE_MAX, defaultDecayModel, initialDecayState, olderCountUpTo, olderSummaryOf, recordPresentation } from './decay.js';

/**
 * The history as it stood at time t (ms), or `null` when the memory had no presentation yet
 * (t < first: it did not exist). t ≥ last returns `state` itself (future t = forecast later).
 * `model` (default: the default model) names the first presentation's decay rate.
 */
export function stateAsOf(state: DecayState, t: number, model?: DecayModel): DecayState | null {
  if (Number.isNaN(t) || t < state.first) return null;
  if (t >= state.last) return state;
  const older = olderSummaryOf(state, model);
  let k = 0;
  while (k < state.recentTimes.length && (state.recentTimes[k] as number) <= t) k++;
  if (k > 0) {
    return {
      count: older.count + k,
      first: state.first,
      last: state.recentTimes[k - 1] as number,
      recentTimes: state.recentTimes.slice(0, k),
      recentDecays: state.recentDecays.slice(0, k),
      olderDecay: state.olderDecay,
    };
  }
  return rebuildFromSummary(state, t, model);
}

/** Up to this many synthesised presentations are re-simulated (decay rates recomputed in order). */
export const AS_OF_RESIMULATE_MAX = 1024;

/**
 * t lies inside the summarised span: the j presentations ≤ t of the uniform model are replayed
 * through recordPresentation (so their decay rates grow with activation as the real ones did).
 * Beyond AS_OF_RESIMULATE_MAX (+ the window) only the first AS_OF_RESIMULATE_MAX are replayed;
 * the others get the rate that the summary's f-mean implies for the presentations after those
 * (the summary's total minus the replayed head), not the mean of the whole summary, which the
 * later, faster-decaying presentations drag up.
 */
function rebuildFromSummary(state: DecayState, t: number, model?: DecayModel): DecayState {
  const older = olderSummaryOf(state, model);
  const j = Math.max(1, olderCountUpTo(older, t));
  const step = (older.boundary - older.first) / older.count;
  const at = (i: number): number => Math.min(t, older.first + i * step);
  const m = model ?? defaultDecayModel();
  const replayed = j <= AS_OF_RESIMULATE_MAX + RECENT_PRESENTATIONS ? j : AS_OF_RESIMULATE_MAX;
  let s = initialDecayState(older.first, m);
  for (let i = 1; i < replayed; i++) s = recordPresentation(s, at(i), m);
  if (replayed === j) return s;
  const f = (d: number): number => Math.exp(-d * DECAY_MEAN_LOG_AGE);
  const head = (s.count - s.recentTimes.length) * f(s.olderDecay) + s.recentDecays.reduce((a, d) => a + f(d), 0);
  const restCount = older.count - replayed;
  const fRest = (older.count * f(state.olderDecay) - head) / restCount;
  const capped = Math.max(DECAY_RATE_MAX, ...s.recentDecays);
  const rest = fRest > f(capped) ? Math.min(capped, Math.max(0, -Math.log(fRest) / DECAY_MEAN_LOG_AGE)) : capped;
  const recentTimes: number[] = [];
  for (let i = j - RECENT_PRESENTATIONS; i < j; i++) recentTimes.push(at(i));
  const summarised = j - RECENT_PRESENTATIONS;
  const sum = head + (summarised - replayed) * f(rest);
  return {
    count: j,
    first: state.first,
    last: recentTimes[recentTimes.length - 1] as number,
    recentTimes,
    recentDecays: recentTimes.map(() => rest),
    olderDecay: Math.max(0, -Math.log(sum / summarised) / DECAY_MEAN_LOG_AGE),
  };
}
