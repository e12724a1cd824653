/**
 * AS OF for a presentation history: the state with every presentation after t removed.
 * Exact inside the recent window; the summarised part is rebuilt from its uniform model
 * (presentations at first + i·Δ). Implements docs/decay.md §"AS OF".
 */
import { RECENT_PRESENTATIONS } from '../model.js';
import type { DecayModel, DecayState } from '../model.js';
import { decayMeanUpdate } from './base-level.js';
import { olderCountUpTo, olderSummaryOf } from './decay.js';

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

/** t lies inside the summarised span: synthesise the last (≤ window) of the j presentations ≤ t. */
function rebuildFromSummary(state: DecayState, t: number, model?: DecayModel): DecayState {
  const older = olderSummaryOf(state, model);
  const j = Math.max(1, olderCountUpTo(older, t));
  const step = (older.boundary - older.first) / older.count;
  const exact = Math.min(j, RECENT_PRESENTATIONS);
  const recentTimes: number[] = [];
  const recentDecays: number[] = [];
  for (let i = j - exact; i < j; i++) {
    recentTimes.push(Math.min(t, older.first + i * step));
    recentDecays.push(i === 0 ? older.firstDecay : older.decay);
  }
  return {
    count: j,
    first: state.first,
    last: recentTimes[recentTimes.length - 1] as number,
    recentTimes,
    recentDecays,
    olderDecay: j > exact ? summaryMean(older.firstDecay, older.decay, j - exact) : 0,
  };
}

/** f-mean (see base-level.ts) of the first rate and n − 1 copies of the others' rate. */
function summaryMean(firstDecay: number, rest: number, n: number): number {
  return n <= 1 ? firstDecay : decayMeanUpdate(rest, n - 1, firstDecay, 1);
}
