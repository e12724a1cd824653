/**
 * DecayScore: lazy decay at read time. For each candidate, the engine's decayParts at the
 * evaluation time (AS OF, default NOW) give base level and retention; recallScore combines
 * similarity (+ lexical boost), base level and context spread into activation and score.
 * Candidates with no pattern (`*`, id) score with similarity 1, so score = retention. Under
 * KNOWN AS OF t only the presentations up to t count (docs/mql_reference.md §"Time travel").
 */
import { decayParts, recallScore, stateAsOf, type DecayModel, type DecayParts, type DecayState, type RecallScoreParts } from '@mnemo/engine';
import { isoTime } from '../analyze/time.js';
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from './candidate.js';
import { pullThrough, type MaybePromise, type Op } from './op.js';
import { runValue, type RunValue } from './run-value.js';

/**
 * The decay parts and score parts of a memory read without a pattern (similarity 1, no spread):
 * what scoreCandidate gives a `RECALL *` candidate, from its decay state alone (ScanTop ranks rows
 * by it before reading their records).
 */
export function plainScore(state: DecayState, at: number, model: DecayModel, knownAsOf: number | null): { decay: DecayParts; parts: RecallScoreParts } {
  const decay = decayParts(knownHistory(state, knownAsOf, model), at, model);
  return { decay, parts: recallScore({ similarity: 1, baseLevel: decay.baseLevel, spread: 0, model }) };
}

export function scoreCandidate(c: Candidate, at: number, model: DecayModel, knownAsOf: number | null = null): void {
  c.decay = decayParts(knownHistory(c.rec.decay, knownAsOf, model), at, model);
  c.evaluatedAt = at;
  const sim = Math.min(1, (c.similarity ?? 1) + c.lexical);
  c.parts = recallScore({ similarity: sim, baseLevel: c.decay.baseLevel, spread: c.spread, model });
  c.score = c.parts.score;
  c.activation = c.parts.activation;
  c.retention = c.decay.retention;
}

/**
 * KNOWN AS OF t: the presentations up to t (each taken as recorded when it happened), never fewer
 * than the creation (a memory recorded by t with a later valid time still has that one).
 */
export function knownHistory(state: DecayState, knownAsOf: number | null, model: DecayModel): DecayState {
  if (knownAsOf === null || knownAsOf >= state.last) return state;
  return stateAsOf(state, Math.max(knownAsOf, state.first), model) ?? state;
}

export class DecayScoreOp implements Op<Candidate> {
  readonly name = 'DecayScore';
  constructor(
    readonly children: readonly Op[],
    readonly model: RunValue<DecayModel>,
    readonly at: RunValue<number>,
    readonly asOf: boolean,
    readonly knownAsOf: RunValue<number | null> = null,
  ) {}

  describe(ctx: ExecContext): string {
    const m = runValue(ctx, this.model);
    const knownAsOf = runValue(ctx, this.knownAsOf);
    const model = m.model === 'actr' ? `actr(d=${m.d}, tau=${m.tau}, s=${m.s})` : m.model;
    const known = knownAsOf === null ? '' : ` presentations<=${isoTime(knownAsOf)}`;
    return `model=${model} at=${this.asOf ? isoTime(runValue(ctx, this.at)) : 'NOW'}${known}`;
  }

  run(ctx: ExecContext): MaybePromise<Candidate[]> {
    return pullThrough(ctx, this);
  }

  apply(ctx: ExecContext, rows: Candidate[]): Candidate[] {
    const at = runValue(ctx, this.at);
    const model = runValue(ctx, this.model);
    const knownAsOf = runValue(ctx, this.knownAsOf);
    for (const c of rows) scoreCandidate(c, at, model, knownAsOf);
    return rows;
  }
}
