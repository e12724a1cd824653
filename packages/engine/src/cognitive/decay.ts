/**
 * Presentation history of a memory: the ACT-R defaults, the creation presentation, and folding a
 * new presentation (REINFORCE / RECALL hit) into the compact DecayState, with Pavlik & Anderson
 * (2005) decay rates d_j = c·e^{m_{j-1}} + α fixed at presentation time. Pure; times in ms.
 * Implements docs/decay.md §"Presentations" and §"Defaults".
 */
import { MnemoError } from '@mnemo/native';
import { RECENT_PRESENTATIONS } from '../model.js';
import type { DecayModel, DecayState } from '../model.js';
import { decayMeanUpdate, logSumOlder, logSumPresentations } from './base-level.js';
import type { OlderSummary } from './base-level.js';
import { BURST_STEPS, addBurstTail } from './burst.js';

/** Decay rate of a presentation made with no prior activation (the first one). Equals α (P&A 2005). */
export const ACTR_D = 0.177;
/** Pavlik & Anderson (2005) decay scale c (seconds time unit). */
export const ACTR_C = 0.217;
/** Pavlik & Anderson (2005) decay intercept α. */
export const ACTR_ALPHA = 0.177;
/** Retrieval threshold τ, least-squares fit to Ebbinghaus (1885) savings — see docs/decay.md. */
export const ACTR_TAU = -1.391;
/** Activation noise s, least-squares fit to Ebbinghaus (1885) savings — see docs/decay.md. */
export const ACTR_S = 0.853;
/**
 * Upper bound on an activation-dependent d_j = c·e^m + α: a burst like `REINFORCE x TIMES 1000`
 * saturates at a fast (but ordinary) decay instead of exploding, which also keeps the summarised
 * decay rates homogeneous enough for their mean to be a fair summary.
 */
export const DECAY_RATE_MAX = 1;
/** Upper bound on the model parameters d, c, α accepted by validateDecayModel. */
export const MODEL_PARAM_MAX = 5;
/** Largest `times` accepted by recordPresentation. */
export const MAX_PRESENTATIONS_PER_EVENT = 1_000_000;

/** The default forgetting model of a space: ACT-R with activation-dependent decay. */
export function defaultDecayModel(): DecayModel {
  return { model: 'actr', d: ACTR_D, tau: ACTR_TAU, s: ACTR_S, c: ACTR_C, alpha: ACTR_ALPHA };
}

/** The (d, c, α) rule used to fix decay rates; non-ACT-R models record with the default rule. */
interface DecayRule {
  d: number;
  c: number;
  alpha: number;
  model: DecayModel;
}

function ruleOf(model: DecayModel): DecayRule {
  if (model.model === 'actr') return { d: model.d, c: model.c ?? 0, alpha: model.alpha ?? model.d, model };
  return { d: ACTR_D, c: ACTR_C, alpha: ACTR_ALPHA, model };
}

/** d_j from the activation m just before the presentation (−∞ when there was none). */
function rateFor(rule: DecayRule, m: number): number {
  if (m === -Infinity) return rule.d;
  if (rule.c === 0) return rule.alpha;
  const d = rule.c * Math.exp(m) + rule.alpha;
  const cap = rule.alpha > DECAY_RATE_MAX ? rule.alpha : DECAY_RATE_MAX;
  return d < cap ? d : cap;
}

/** The creation presentation at `at` (ms). */
export function initialDecayState(at: number, model: DecayModel): DecayState {
  checkTime(at, 'initialDecayState');
  // rateFor(ruleOf(model), −∞), without building the rule: this runs once per new memory.
  const d = model.model === 'actr' ? model.d : ACTR_D;
  return { count: 1, first: at, last: at, recentTimes: [at], recentDecays: [d], olderDecay: 0 };
}

/**
 * `times` new presentations at `at` (ms). Pure: returns a new state. Out-of-order `at` is inserted
 * in time order inside the exact window (later decay rates in the window are recomputed); one older
 * than the full window is folded into the summary (count, first, olderDecay).
 */
export function recordPresentation(state: DecayState, at: number, model: DecayModel, times = 1): DecayState {
  checkTime(at, 'recordPresentation');
  if (!Number.isInteger(times) || times < 1 || times > MAX_PRESENTATIONS_PER_EVENT) {
    throw new MnemoError(
      'INVALID_ARGUMENT',
      `presentation count (TIMES) must be an integer from 1 to ${MAX_PRESENTATIONS_PER_EVENT}, got ${times}`,
    );
  }
  const rule = ruleOf(model);
  const steps = times < BURST_STEPS ? times : BURST_STEPS;
  const h = times > steps ? Math.exp(activationAt(state, at, rule)) + steps : 0;
  let s = state;
  for (let i = 0; i < steps; i++) {
    s = addOne(s, at, rule);
    if (i + 1 < times && saturatedAt(s, at, rule)) return addSaturated(s, times - i - 1);
  }
  if (times === steps) return s;
  return addBurstTail(s, at, times - steps, h, { rate: (m) => rateFor(rule, m), older: (x) => olderSummaryOf(x, model) });
}

/** m at `at` from the presentations at or before `at` — what a new presentation at `at` sees. */
function activationAt(state: DecayState, at: number, rule: DecayRule): number {
  const older = olderSummaryOf(state, rule.model);
  const times = state.recentTimes;
  let idx = times.length;
  while (idx > 0 && (times[idx - 1] as number) > at) idx--;
  const summarised = times.length >= RECENT_PRESENTATIONS || state.count > times.length;
  if (idx === 0 && summarised) return foldActivation(older, at);
  return logSumPresentations(times, state.recentDecays, idx, older, at);
}

/** m at `at` under the summary's uniform model, for a presentation older than the full window. */
function foldActivation(older: OlderSummary, at: number): number {
  const before = olderCountUpTo(older, at);
  return before === 0 ? -Infinity : logSumOlder({ ...older, count: before, boundary: at }, at);
}

/**
 * True when the window holds only presentations at `at` with one rate that further presentations
 * at `at` would repeat (the cap, or a fixed-rate model): the rest of a burst is then closed-form.
 */
function saturatedAt(s: DecayState, at: number, rule: DecayRule): boolean {
  if (s.recentTimes.length < RECENT_PRESENTATIONS || s.recentTimes[0] !== at || s.last !== at) return false;
  const d = s.recentDecays[0] as number;
  const cap = rule.alpha > DECAY_RATE_MAX ? rule.alpha : DECAY_RATE_MAX;
  if (rule.c !== 0 && d !== cap) return false;
  return s.recentDecays.every((x) => x === d);
}

/** k more identical presentations: each pushes an identical one out into the summary. */
function addSaturated(s: DecayState, k: number): DecayState {
  const older = s.count - s.recentTimes.length;
  const d = s.recentDecays[0] as number;
  return { ...s, count: s.count + k, recentTimes: s.recentTimes.slice(), recentDecays: s.recentDecays.slice(), olderDecay: decayMeanUpdate(s.olderDecay, older, d, 1, k) };
}

/**
 * The summarised part of a state (presentations that fell out of the exact window). The first
 * presentation's rate is the model's d by definition, so the mean of the others is recovered from
 * olderDecay (the mean over all of them) — a fast first rate no longer drags the others down.
 */
export function olderSummaryOf(state: DecayState, model?: DecayModel): OlderSummary {
  const count = state.count - state.recentTimes.length;
  const boundary = state.recentTimes[0] ?? state.first;
  const firstDecay = ruleOf(model ?? defaultDecayModel()).d;
  const decay = count >= 2 ? decayMeanUpdate(state.olderDecay, count, firstDecay, -1) : state.olderDecay;
  return { count, first: state.first, boundary, firstDecay: count === 1 ? state.olderDecay : firstDecay, decay };
}

/**
 * Under the uniform model of the summary (presentations at first + i·Δ, Δ = (boundary−first)/count,
 * i = 0..count−1), how many happened at or before t. Used by AS OF and by late presentations.
 */
export function olderCountUpTo(older: OlderSummary, t: number): number {
  if (older.count <= 0 || t < older.first) return 0;
  const span = older.boundary - older.first;
  if (span <= 0) return older.count;
  const k = Math.floor(((t - older.first) * older.count) / span) + 1;
  return k < older.count ? k : older.count;
}

function addOne(state: DecayState, at: number, rule: DecayRule): DecayState {
  const summarised = state.recentTimes.length >= RECENT_PRESENTATIONS || state.count > state.recentTimes.length;
  const oldest = state.recentTimes[0];
  if (summarised && oldest !== undefined && at < oldest) return foldIntoOlder(state, at, rule);

  const older = olderSummaryOf(state, rule.model);
  const times = state.recentTimes.slice();
  const decays = state.recentDecays.slice();
  let idx = times.length;
  while (idx > 0 && (times[idx - 1] as number) > at) idx--;
  times.splice(idx, 0, at);
  decays.splice(idx, 0, 0);
  const summary: OlderSummary = { ...older, boundary: times[0] as number };
  for (let k = idx; k < times.length; k++) {
    const tk = times[k] as number;
    decays[k] = rateFor(rule, logSumPresentations(times, decays, k, summary, tk));
  }
  let olderCount = older.count;
  let olderDecay = state.olderDecay;
  while (times.length > RECENT_PRESENTATIONS) {
    times.shift();
    const out = decays.shift() as number;
    olderDecay = decayMeanUpdate(olderDecay, olderCount, out, 1);
    olderCount++;
  }
  return {
    count: state.count + 1,
    first: Math.min(state.first, at),
    last: Math.max(state.last, at),
    recentTimes: times,
    recentDecays: decays,
    olderDecay,
  };
}

/** A presentation older than the full exact window joins the summary. */
function foldIntoOlder(state: DecayState, at: number, rule: DecayRule): DecayState {
  const older = olderSummaryOf(state, rule.model);
  const d = rateFor(rule, foldActivation(older, at));
  return {
    count: state.count + 1,
    first: Math.min(state.first, at),
    last: state.last,
    recentTimes: state.recentTimes.slice(),
    recentDecays: state.recentDecays.slice(),
    olderDecay: decayMeanUpdate(state.olderDecay, older.count, d, 1),
  };
}

function checkTime(at: number, fn: string): void {
  if (!Number.isFinite(at)) {
    throw new MnemoError('INVALID_ARGUMENT', `${fn}: presentation time must be a finite number of ms since the epoch, got ${at}`);
  }
}

/** Checks a space's decay model (CREATE SPACE ... DECAY); throws INVALID_ARGUMENT naming the bad parameter. */
export function validateDecayModel(model: DecayModel): DecayModel {
  const bad = (what: string, v: unknown, want: string): never => {
    throw new MnemoError('INVALID_ARGUMENT', `decay model ${model.model}: ${what} must be ${want}, got ${String(v)}`);
  };
  switch (model.model) {
    case 'none':
      break;
    case 'exponential':
      if (!(model.halfLifeMs > 0 && Number.isFinite(model.halfLifeMs))) bad('half-life', model.halfLifeMs, 'a positive duration');
      break;
    case 'power':
      if (!(model.d > 0 && model.d <= MODEL_PARAM_MAX)) bad('d', model.d, `in (0, ${MODEL_PARAM_MAX}]`);
      break;
    case 'actr':
      if (!(model.d >= 0 && model.d <= MODEL_PARAM_MAX)) bad('d', model.d, `in [0, ${MODEL_PARAM_MAX}]`);
      if (!Number.isFinite(model.tau)) bad('tau', model.tau, 'a finite number');
      if (!(model.s > 0 && Number.isFinite(model.s))) bad('s', model.s, 'a positive number');
      if (model.c !== undefined && !(model.c >= 0 && model.c <= MODEL_PARAM_MAX)) bad('c', model.c, `in [0, ${MODEL_PARAM_MAX}]`);
      if (model.alpha !== undefined && !(model.alpha >= 0 && model.alpha <= MODEL_PARAM_MAX)) {
        bad('alpha', model.alpha, `in [0, ${MODEL_PARAM_MAX}]`);
      }
      break;
    default:
      bad('model', (model as { model: unknown }).model, 'one of none, exponential, power, actr');
  }
  return model;
}
