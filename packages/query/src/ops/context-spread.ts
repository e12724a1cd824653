/**
 * ContextSpread: spreading activation from the query context into the candidates' scores. The
 * context of a pattern RECALL is its 3 most similar candidates; activation spreads from them over
 * associations (engine `spread`, 2 hops, fan effect) and each other candidate it reaches gets it
 * as its `spread` part (docs/mql_reference.md §"Scores").
 */
import { spread } from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from './candidate.js';
import { SnapshotGraph } from './graph.js';
import { pullThrough, type MaybePromise, type Op } from './op.js';
import { runValue, type RunValue } from './run-value.js';

export const CONTEXT_SEEDS = 3;
export const CONTEXT_HOPS = 2;

export class ContextSpreadOp implements Op<Candidate> {
  readonly name = 'ContextSpread';
  constructor(readonly children: readonly Op[], readonly space: RunValue<string>) {}

  describe(): string {
    return `seeds=${CONTEXT_SEEDS} hops=${CONTEXT_HOPS}`;
  }

  run(ctx: ExecContext): MaybePromise<Candidate[]> {
    return pullThrough(ctx, this);
  }

  apply(ctx: ExecContext, rows: Candidate[]): Candidate[] {
    if (rows.length < 2) return rows;
    const seeds = [...rows]
      .sort((a, b) => (b.similarity ?? 0) - (a.similarity ?? 0) || (a.rec.id < b.rec.id ? -1 : 1))
      .slice(0, CONTEXT_SEEDS)
      .map((c) => c.rec.id);
    const graph = new SnapshotGraph(ctx.snap, runValue(ctx, this.space));
    const reached = spread(graph, seeds, {
      maxHops: CONTEXT_HOPS,
      budget: { maxNodes: ctx.limits.nodesVisited },
    });
    const byId = new Map(reached.map((r) => [r.id, r.activation]));
    for (const c of rows) c.spread = byId.get(c.rec.id) ?? 0;
    return rows;
  }
}
