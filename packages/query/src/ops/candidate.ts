/**
 * A candidate memory flowing through a read plan: the stored record plus everything computed
 * about it (pattern similarity, lexical boost, spread, decay parts, score, carried confidence)
 * and, under PROFILE, why it was suppressed. docs/mql_reference.md §"Scores".
 */
import { decayParts, type DecayModel, type DecayParts, type Interval, type MemoryRecord, type RecallScoreParts } from '@mnemo/engine';

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

/**
 * Made by `new`, not a literal (a literal site can be pretenured: exec/result-objects.ts). Its
 * confidence is the record's until an operator narrows it, and is read from the record only when
 * first asked: a RECALL's hit records (ops/hit-record.ts) read it from the segment, and of 36
 * ranked neighbours only the returned rows' is needed.
 */
class CandidateObject implements Candidate {
  similarity: number | null;
  lexical = 0;
  spread = 0;
  decay: DecayParts | null = null;
  evaluatedAt = 0;
  parts: RecallScoreParts | null = null;
  score = 0;
  activation = 0;
  retention = 0;
  declare hops?: number;
  declare path?: string[];
  declare extra?: Record<string, unknown>;
  declare suppressed?: string;
  private narrowed: Interval | null = null;

  constructor(readonly rec: MemoryRecord, similarity: number | null) {
    this.similarity = similarity;
  }

  get confidence(): Interval {
    return (this.narrowed ??= this.rec.confidence);
  }

  set confidence(v: Interval) {
    this.narrowed = v;
  }
}

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
