/**
 * Barrel of the engine's cognitive module (its public part): decay, AS OF, spreading activation,
 * the RECALL score, consolidation clustering, PREDICT, IMAGINE and confidence intervals — all pure
 * functions with injected clocks and accessors. See docs/decay.md and docs/cognition.md.
 */
export {
  ACTR_D,
  ACTR_C,
  ACTR_ALPHA,
  ACTR_TAU,
  ACTR_S,
  DECAY_RATE_MAX,
  MODEL_PARAM_MAX,
  MAX_PRESENTATIONS_PER_EVENT,
  defaultDecayModel,
  initialDecayState,
  recordPresentation,
  validateDecayModel,
} from './decay.js';
export { MIN_AGE_MS, TIME_UNIT_MS } from './base-level.js';
export { stateAsOf, AS_OF_RESIMULATE_MAX } from './as-of.js';
export { BURST_STEPS } from './burst.js';
export { activation, retention, decayParts, logistic, retentionFromActivation, MAX_TIME_MS } from './activation.js';
export type { DecayParts } from './activation.js';
export {
  CERTAIN,
  UNKNOWN,
  normalizeInterval,
  toInterval,
  intervalProduct,
  intervalMin,
  intervalWeighted,
  intervalNoisyOr,
  intervalScale,
  intervalWidth,
  wilsonInterval,
} from './interval.js';
export { spread, fanFactor, SPREAD_DEFAULTS } from './spread.js';
export type { SpreadGraph, SpreadOptions, SpreadBudget, SpreadRow } from './spread.js';
export { recallScore, similarityFromMetric, RECALL_DEFAULTS } from './recall-score.js';
export type { RecallScoreInput, RecallScoreParts } from './recall-score.js';
export { cosine as embeddingCosine, similarity as embeddingSimilarity, centroid as embeddingCentroid } from './vector-sim.js';
export { clusterEpisodes, BRUTE_FORCE_MAX_ITEMS, SIMILARITY_TOLERANCE } from './cluster.js';
export type { ClusterItem, ClusterOptions, Cluster } from './cluster.js';
export { summarizeCluster, semanticId, hashHex, SEMANTIC_ID_PREFIX } from './cluster-summary.js';
export type { SummaryMember, ExistingSummary, ClusterSummary, SummaryOptions } from './cluster-summary.js';
export { predict, PREDICT_DEFAULTS } from './predict.js';
export type { PredictGraph, PredictEdge, PredictOptions, PredictRow } from './predict.js';
export { imagine, IMAGINE_DEFAULTS } from './imagine.js';
export type { ImagineGraph, ImagineOptions, ImagineRow, ImagineResult } from './imagine.js';
