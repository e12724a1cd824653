/**
 * The RECALL score: ACT-R total activation A = B + W·spread + P·(similarity − 1) (partial
 * matching: similarity enters as a mismatch penalty), mapped to a probability of retrieval
 * by the model's logistic. Returns the parts for PROFILE. Implements docs/cognition.md §"RECALL score".
 */
import type { DecayModel } from '../model.js';
import { logistic, thresholdOf } from './activation.js';

export const RECALL_DEFAULTS = Object.freeze({
  /** P: activation lost per unit of similarity below 1 (cosine 0.9 → −1.0). */
  mismatchPenalty: 10,
  /** W: weight of spreading activation from the query context. */
  spreadWeight: 1,
});

export interface RecallScoreInput {
  /** Similarity of the memory to the pattern in [−1, 1] (cosine; see docs for l2/dot). NaN → −1. */
  similarity: number;
  /** Base-level activation B from `activation(...)`; −Infinity (did not exist) gives score 0. */
  baseLevel: number;
  /** Spreading activation reaching the memory from the query context (0 when none). */
  spread?: number;
  model: DecayModel;
  mismatchPenalty?: number;
  spreadWeight?: number;
}

export interface RecallScoreParts {
  similarity: number;
  /** P·(similarity − 1) ≤ 0. */
  match: number;
  baseLevel: number;
  /** W·spread. */
  spread: number;
  /** A = baseLevel + spread + match. */
  activation: number;
  tau: number;
  s: number;
  /** logistic((A − τ)/s) ∈ [0, 1]. */
  score: number;
}

/** Score and parts; with similarity 1 and no spread the score equals the memory's retention. */
export function recallScore(input: RecallScoreInput): RecallScoreParts {
  const p = input.mismatchPenalty ?? RECALL_DEFAULTS.mismatchPenalty;
  const w = input.spreadWeight ?? RECALL_DEFAULTS.spreadWeight;
  const raw = input.similarity;
  const similarity = Number.isNaN(raw) ? -1 : raw < -1 ? -1 : raw > 1 ? 1 : raw;
  const match = p * (similarity - 1);
  const sp = input.spread !== undefined && input.spread > 0 ? w * input.spread : 0;
  const baseLevel = Number.isNaN(input.baseLevel) ? -Infinity : input.baseLevel;
  const a = baseLevel + sp + match;
  const { tau, s } = thresholdOf(input.model);
  const score = a === -Infinity ? 0 : logistic(a, tau, s);
  return { similarity, match, baseLevel, spread: sp, activation: a, tau, s, score };
}

/** Maps a metric's raw value to a similarity in [−1, 1]: cosine as is, dot clamped, l2 distance → 1/(1+d)·2−1. */
export function similarityFromMetric(metric: 'cosine' | 'l2' | 'dot', value: number): number {
  if (Number.isNaN(value)) return -1;
  if (metric === 'l2') return 2 / (1 + Math.max(0, value)) - 1;
  return value < -1 ? -1 : value > 1 ? 1 : value;
}
