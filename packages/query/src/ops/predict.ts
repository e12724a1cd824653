/**
 * Predict: ranks memories likely to follow the GIVEN context with the engine's `predict` over
 * the snapshot (`next` chains forward in valid time within HORIZON, one hop of other
 * associations, retention at NOW, pattern match = similarity to a text/vector pattern, 1 for `*`).
 * Score is the prediction probability; confidence the engine's interval; `via`/`steps`/`evidence`
 * are extra columns.
 */
import { embeddingSimilarity, predict, retention, type SpaceConfig } from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import { decayedCandidate, type Candidate } from './candidate.js';
import { SnapshotGraph } from './graph.js';
import type { Op } from './op.js';

export class PredictOp implements Op<Candidate> {
  readonly name = 'Predict';
  readonly children: readonly Op[] = [];
  constructor(
    readonly space: SpaceConfig,
    readonly given: string[],
    readonly horizonMs: number | undefined,
    readonly pattern: { vector: Float32Array } | { id: string } | null,
  ) {}

  describe(): string {
    const pat = this.pattern === null ? '*' : 'id' in this.pattern ? `id=${this.pattern.id}` : 'vector';
    return `given=${this.given.join(',')} horizon=${this.horizonMs ?? 'unbounded'}ms pattern=${pat}`;
  }

  async run(ctx: ExecContext): Promise<Candidate[]> {
    const space = this.space;
    const graph = new SnapshotGraph(ctx.snap, space.name);
    const rec = (id: string) => ctx.snap.get(space.name, id);
    const p = this.pattern;
    const rows = predict({
      edges: (id) => graph.edges(id).map((a) => ({ to: a.to, kind: a.kind, weight: a.weight, confidence: a.confidence })),
      validTime: (id) => rec(id)?.created,
      retention: (id) => {
        const r = rec(id);
        return r ? retention(r.decay, ctx.now, space.decay) : 0;
      },
      match: (id) => {
        if (p === null) return 1;
        if ('id' in p) return id === p.id ? 1 : 0;
        const r = rec(id);
        return r ? embeddingSimilarity(p.vector, r.embedding, space.metric) : 0;
      },
    }, this.given, this.horizonMs !== undefined ? { horizonMs: this.horizonMs } : {});
    const out: Candidate[] = [];
    for (const row of rows) {
      const r = rec(row.id);
      if (r === undefined) continue;
      const c = decayedCandidate(r, null, ctx.now, space.decay);
      c.score = row.score;
      c.confidence = row.confidence;
      c.extra = { via: row.via, steps: row.steps, evidence: row.evidence };
      out.push(c);
    }
    return out;
  }
}
