/**
 * DecayScore: lazy decay at read time. For each candidate, the engine's decayParts at the
 * evaluation time (AS OF, default NOW) give base level and retention; recallScore combines
 * similarity (+ lexical boost), base level and context spread into activation and score.
 * Candidates with no pattern (`*`, id) score with similarity 1, so score = retention.
 */
import { decayParts, recallScore, type DecayModel } from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from './candidate.js';
import { pullOnly, type MaybePromise, type Op } from './op.js';

export function scoreCandidate(c: Candidate, at: number, model: DecayModel): void {
  c.decay = decayParts(c.rec.decay, at, model);
  c.evaluatedAt = at;
  const sim = Math.min(1, (c.similarity ?? 1) + c.lexical);
  c.parts = recallScore({ similarity: sim, baseLevel: c.decay.baseLevel, spread: c.spread, model });
  c.score = c.parts.score;
  c.activation = c.parts.activation;
  c.retention = c.decay.retention;
}

export class DecayScoreOp implements Op<Candidate> {
  readonly name = 'DecayScore';
  constructor(readonly children: readonly Op[], readonly model: DecayModel, readonly at: number, readonly asOf: boolean) {}

  describe(): string {
    const m = this.model;
    const model = m.model === 'actr' ? `actr(d=${m.d}, tau=${m.tau}, s=${m.s})` : m.model;
    return `model=${model} at=${this.asOf ? new Date(this.at).toISOString() : 'NOW'}`;
  }

  run(ctx: ExecContext): MaybePromise<Candidate[]> {
    return pullOnly<Candidate, Candidate>(ctx, this.children, (rows) => {
      for (const c of rows) scoreCandidate(c, this.at, this.model);
      return rows;
    });
  }
}
