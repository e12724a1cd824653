/** Barrel of the engine's cognitive module (its public part): decay, spread, recall scoring,
 * consolidation, prediction and imagination as pure functions. See docs/decay.md, docs/cognition.md. */
export {
  ACTR_D,
  ACTR_C,
  ACTR_ALPHA,
  ACTR_TAU,
  ACTR_S,
  DECAY_RATE_MAX,
  MAX_PRESENTATIONS_PER_EVENT,
  defaultDecayModel,
  initialDecayState,
  recordPresentation,
} from './decay.js';
export { MIN_AGE_MS, TIME_UNIT_MS } from './base-level.js';
