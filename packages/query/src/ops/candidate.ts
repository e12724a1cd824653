/**
 * A candidate memory flowing through a read plan: the stored record plus everything computed
 * about it (pattern similarity, lexical boost, spread, decay parts, score, carried confidence)
 * and, under PROFILE, why it was suppressed. docs/mql_reference.md §"Scores".
 */
import { decayParts, type DecayModel, type DecayParts, type Interval, type MemoryRecord, type RecallScoreParts } from '@mnemo/engine';
import { plainConstructor } from '../exec/plain-object.js';

export interface Candidate {
  rec: MemoryRecord;
  /** Similarity to the pattern (null for `*` and id patterns, which score as similarity 1). */
  similarity: number | null;
  /** Lexical boost added to the similarity of a text pattern (0 otherwise). */
  lexical: number;
  /** Spreading activation from the query context (0 when none reached the memory). */
  spread: number;
  decay: DecayParts | null;
  /** The time decay was evaluated at (AS OF, default NOW). */
  evaluatedAt: number;
  parts: RecallScoreParts | null;
  score: number;
  activation: number;
  retention: number;
  /** Confidence carried to the result (the stored interval, narrowed by operators). */
  confidence: Interval;
  hops?: number;
  path?: string[];
  /** Extra result columns added by an operator (e.g. PREDICT's `via`, CONSOLIDATE's `members`). */
  extra?: Record<string, unknown>;
  /** Why an operator cut this candidate (PROFILE only). */
  suppressed?: string;
}

/** Made by a constructor, not a literal (a literal site can be pretenured: exec/result-objects.ts). */
const CandidateObject = plainConstructor(function (this: Candidate, rec: MemoryRecord, similarity: number | null) {
  this.rec = rec;
  this.similarity = similarity;
  this.lexical = 0;
  this.spread = 0;
  this.decay = null;
  this.evaluatedAt = 0;
  this.parts = null;
  this.score = 0;
  this.activation = 0;
  this.retention = 0;
  this.confidence = rec.confidence;
});

export function candidate(rec: MemoryRecord, similarity: number | null = null): Candidate {
  return new CandidateObject(rec, similarity);
}

/**
 * A candidate scored by an operator of its own (PREDICT, IMAGINE): its decay at `now` gives
 * retention and the base level as activation; the operator sets score and confidence.
 */
export function decayedCandidate(rec: MemoryRecord, similarity: number | null, now: number, model: DecayModel): Candidate {
  const c = candidate(rec, similarity);
  c.decay = decayParts(rec.decay, now, model);
  c.evaluatedAt = now;
  c.retention = c.decay.retention;
  c.activation = c.decay.baseLevel;
  return c;
}
