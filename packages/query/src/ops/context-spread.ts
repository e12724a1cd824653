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
    const seeds = contextSeeds(rows);
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

/** Whether `a` is a better context seed than `b`: more similar, ties by id ascending. */
function seedBefore(a: Candidate, b: Candidate): boolean {
  const x = a.similarity ?? 0;
  const y = b.similarity ?? 0;
  return x !== y ? x > y : a.rec.id < b.rec.id;
}

/**
 * The ids of the CONTEXT_SEEDS most similar candidates, most similar first (ties by id): one pass
 * keeping the best few in order, instead of copying and sorting every candidate.
 */
export function contextSeeds(rows: readonly Candidate[]): string[] {
  const best: Candidate[] = [];
  for (const c of rows) {
    let i = best.length;
    while (i > 0 && seedBefore(c, best[i - 1] as Candidate)) i--;
    if (i >= CONTEXT_SEEDS) continue;
    best.splice(i, 0, c);
    if (best.length > CONTEXT_SEEDS) best.pop();
  }
  return best.map((c) => c.rec.id);
}
