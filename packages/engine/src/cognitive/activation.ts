/**
 * Lazy decay at read time: activation, retention and the PROFILE breakdown of a memory's
 * presentation history at `now` (ms), for the models none / exponential / power / actr.
 * Pure (now is injected). Implements docs/decay.md §"Models" and §"Retention".
 */
import type { DecayModel, DecayState } from '../model.js';
import { TIME_UNIT_MS, logSumPresentations } from './base-level.js';
import { stateAsOf } from './as-of.js';
import { ACTR_S, ACTR_TAU, olderSummaryOf } from './decay.js';

/** Breakdown shown by PROFILE: why a memory has the activation/retention it has at `now`. */
export interface DecayParts {
  model: DecayModel['model'];
  /** False when the memory had no presentation at or before `now` (activation −∞, retention 0). */
  exists: boolean;
  /** Base-level activation B (log units); −Infinity when !exists. */
  baseLevel: number;
  retention: number;
  /** Presentations counted at `now`. */
  presentations: number;
  /** now − first presentation (ms), 0 when !exists. */
  ageMs: number;
  /** now − latest presentation at or before now (ms), 0 when !exists. */
  sinceLastMs: number;
  /** Mean decay rate d over the counted presentations (actr, power), else 0. */
  meanDecay: number;
  /** Retrieval threshold τ and noise s used for retention (actr), else null. */
  tau: number | null;
  s: number | null;
}

/**
 * The largest time decay is evaluated at: the end of the ECMAScript Date range (year 275760).
 * `now = +Infinity` means this time, so it gives the limit of forgetting instead of ∞ − ∞ = NaN.
 */
export const MAX_TIME_MS = 8.64e15;

/** Base-level activation B at `now`; −Infinity when the memory did not exist yet. */
export function activation(state: DecayState, time: number, model: DecayModel): number {
  const now = time > MAX_TIME_MS ? MAX_TIME_MS : time;
  const st = now >= state.last ? state : stateAsOf(state, now, model);
  if (st === null) return -Infinity;
  return activationOf(st, now, model);
}

/** Probability of retrieval in [0, 1] at `now`; 0 when the memory did not exist yet. */
export function retention(state: DecayState, time: number, model: DecayModel): number {
  const now = time > MAX_TIME_MS ? MAX_TIME_MS : time;
  const st = now >= state.last ? state : stateAsOf(state, now, model);
  if (st === null) return 0;
  return retentionFromActivation(activationOf(st, now, model), model);
}

/** Full breakdown for PROFILE. */
export function decayParts(state: DecayState, time: number, model: DecayModel): DecayParts {
  const now = time > MAX_TIME_MS ? MAX_TIME_MS : time;
  const st = now >= state.last ? state : stateAsOf(state, now, model);
  const actr = model.model === 'actr';
  const tau = actr ? model.tau : null;
  const s = actr ? model.s : null;
  if (st === null) {
    return { model: model.model, exists: false, baseLevel: -Infinity, retention: 0, presentations: 0, ageMs: 0, sinceLastMs: 0, meanDecay: 0, tau, s };
  }
  const b = activationOf(st, now, model);
  return {
    model: model.model,
    exists: true,
    baseLevel: b,
    retention: retentionFromActivation(b, model),
    presentations: st.count,
    ageMs: Math.max(0, now - st.first),
    sinceLastMs: Math.max(0, now - st.last),
    meanDecay: meanDecayOf(st, model),
    tau,
    s,
  };
}

/** The logistic map of ACT-R: 1 / (1 + e^{−(A−τ)/s}), NaN-safe. */
export function logistic(a: number, tau: number, s: number): number {
  const z = (a - tau) / s;
  if (Number.isNaN(z)) return 0;
  return 1 / (1 + Math.exp(-z));
}

/** τ and s of a model (the ACT-R defaults for models that have none). */
export function thresholdOf(model: DecayModel): { tau: number; s: number } {
  return model.model === 'actr' ? { tau: model.tau, s: model.s } : { tau: ACTR_TAU, s: ACTR_S };
}

/** B of a state whose presentations are all at or before now (−0 normalised to 0). */
function activationOf(st: DecayState, now: number, model: DecayModel): number {
  return rawActivation(st, now, model) + 0;
}

function rawActivation(st: DecayState, now: number, model: DecayModel): number {
  const since = Math.max(0, now - st.last);
  switch (model.model) {
    case 'none':
      return 0;
    case 'exponential':
      return -(since / model.halfLifeMs) * Math.LN2;
    case 'power':
      return -model.d * Math.log1p(since / TIME_UNIT_MS);
    case 'actr':
      return logSumPresentations(st.recentTimes, st.recentDecays, st.recentTimes.length, olderSummaryOf(st, model), now);
  }
}

/** Retention from activation: logistic for actr, e^B (clamped to [0,1]) for the others. */
export function retentionFromActivation(b: number, model: DecayModel): number {
  if (model.model === 'actr') return logistic(b, model.tau, model.s);
  const r = Math.exp(b);
  return r > 1 ? 1 : r >= 0 ? r : 0;
}

function meanDecayOf(st: DecayState, model: DecayModel): number {
  if (model.model === 'power') return model.d;
  if (model.model !== 'actr') return 0;
  const older = st.count - st.recentTimes.length;
  let sum = st.olderDecay * older;
  for (const d of st.recentDecays) sum += d;
  return st.count > 0 ? sum / st.count : 0;
}
