/**
 * Imagine: pattern completion with the engine's `imagine` — seeds are the BASED ON memories or
 * the nearest memories to the pattern (vector search, 10 seeds); candidates are the seeds and
 * what their associations reach; NOVELTY trades closeness for distance. Score, closeness,
 * support and a confidence interval per row; the completed pattern vector goes to stats.completion.
 */
import { embeddingSimilarity, imagine, searchVectors, type SpaceConfig } from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import { decayedCandidate, type Candidate } from './candidate.js';
import { SnapshotGraph } from './graph.js';
import type { Op } from './op.js';

export const IMAGINE_SEEDS = 10;

export class ImagineOp implements Op<Candidate> {
  readonly name = 'Imagine';
  readonly children: readonly Op[] = [];
  constructor(
    readonly space: SpaceConfig,
    readonly pattern: Float32Array | null,
    readonly basedOn: string[] | null,
    readonly novelty: number | undefined,
  ) {}

  describe(): string {
    const seeds = this.basedOn !== null ? `based_on=${this.basedOn.join(',')}` : `seeds=nearest ${IMAGINE_SEEDS}`;
    return `${seeds} novelty=${this.novelty ?? 'default(0.3)'} pattern=${this.pattern === null ? 'centroid of seeds' : 'vector'}`;
  }

  private seeds(ctx: ExecContext): Array<{ id: string; similarity: number }> {
    const space = this.space;
    if (this.basedOn !== null) {
      return this.basedOn.flatMap((id) => {
        const r = ctx.snap.get(space.name, id);
        if (r === undefined) return [];
        return [{ id, similarity: this.pattern === null ? 1 : embeddingSimilarity(this.pattern, r.embedding, space.metric) }];
      });
    }
    if (this.pattern === null) return [];
    return searchVectors(ctx.snap, space, this.pattern, { k: IMAGINE_SEEDS }, ctx.core.cache).map((h) => ({ id: h.id, similarity: h.similarity }));
  }

  async run(ctx: ExecContext): Promise<Candidate[]> {
    const space = this.space;
    const graph = new SnapshotGraph(ctx.snap, space.name);
    const rec = (id: string) => ctx.snap.get(space.name, id);
    const res = imagine({
      embedding: (id) => rec(id)?.embedding,
      neighbors: (id) => graph.neighbors(id),
      confidence: (id) => rec(id)?.confidence ?? { lo: 0, hi: 1 },
    }, this.pattern, this.seeds(ctx), { metric: space.metric, ...(this.novelty !== undefined ? { novelty: this.novelty } : {}) });
    ctx.completion = res.completion;
    const out: Candidate[] = [];
    for (const row of res.rows) {
      const r = rec(row.id);
      if (r === undefined) continue;
      const c = decayedCandidate(r, row.closeness, ctx.now, space.decay);
      c.score = row.score;
      c.confidence = row.confidence;
      c.extra = { closeness: row.closeness, support: row.support };
      out.push(c);
    }
    return out;
  }
}
