/**
 * AS OF for a presentation history: the state with every presentation after t removed.
 * Exact inside the recent window; the summarised part is rebuilt from its uniform model
 * (presentations at first + i·Δ). Implements docs/decay.md §"AS OF".
 */
import { RECENT_PRESENTATIONS } from '../model.js';
import type { DecayModel, DecayState } from '../model.js';
import { decayMeanUpdate } from './base-level.js';
import { defaultDecayModel, initialDecayState, olderCountUpTo, olderSummaryOf, recordPresentation } from './decay.js';

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
 * through recordPresentation (so their decay rates grow with activation as the real ones did);
 * beyond AS_OF_RESIMULATE_MAX they keep the summary's mean rate instead.
 */
function rebuildFromSummary(state: DecayState, t: number, model?: DecayModel): DecayState {
  const older = olderSummaryOf(state, model);
  const j = Math.max(1, olderCountUpTo(older, t));
  const step = (older.boundary - older.first) / older.count;
  const at = (i: number): number => Math.min(t, older.first + i * step);
  if (j <= AS_OF_RESIMULATE_MAX) {
    const m = model ?? defaultDecayModel();
    let s = initialDecayState(older.first, m);
    for (let i = 1; i < j; i++) s = recordPresentation(s, at(i), m);
    return s;
  }
  const exact = RECENT_PRESENTATIONS;
  const recentTimes: number[] = [];
  const recentDecays: number[] = [];
  for (let i = j - exact; i < j; i++) {
    recentTimes.push(at(i));
    recentDecays.push(older.decay);
  }
  return {
    count: j,
    first: state.first,
    last: recentTimes[recentTimes.length - 1] as number,
    recentTimes,
    recentDecays,
    olderDecay: decayMeanUpdate(older.decay, j - exact - 1, older.firstDecay, 1),
  };
}
