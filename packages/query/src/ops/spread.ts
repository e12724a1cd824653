/**
 * Spread: spreading activation from the source memories over the space's associations (one
 * decay step per hop, edge weight, fan effect with fan = out-degree, cycles cannot inflate,
 * THRESHOLD prunes, MAX_HOPS bounds, node/time budget → LIMIT_EXCEEDED). Runs on the engine's
 * dense association graph (`associationGraph` + `spreadAssociations`, docs/graph.md), which returns
 * exactly the rows of the cognitive `spread` rule. Emits the reached memories with their spread
 * activation, hops and path.
 */
import { associationGraph, spreadAssociations, type SpaceConfig } from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import type { Op } from './op.js';

export interface SpreadParams {
  sources: string[];
  maxHops: number | undefined;
  decay: number | undefined;
  threshold: number | undefined;
}

export class SpreadOp implements Op<Candidate> {
  readonly name = 'Spread';
  readonly children: readonly Op[] = [];
  constructor(readonly space: SpaceConfig, readonly p: SpreadParams) {}

  describe(): string {
    const p = this.p;
    return `from=${p.sources.join(',')} max_hops=${p.maxHops ?? 'default(3)'} decay=${p.decay ?? 'default(0.5)'} threshold=${p.threshold ?? 'default(0.01)'} fan=out-degree`;
  }

  async run(ctx: ExecContext): Promise<Candidate[]> {
    const graph = associationGraph(ctx.snap, this.space.name);
    const remainingMs = Math.max(1, ctx.limits.queryTimeMs);
    const rows = spreadAssociations(graph, this.p.sources, {
      ...(this.p.maxHops !== undefined ? { maxHops: this.p.maxHops } : {}),
      ...(this.p.decay !== undefined ? { decay: this.p.decay } : {}),
      ...(this.p.threshold !== undefined ? { threshold: this.p.threshold } : {}),
      budget: { maxNodes: ctx.limits.nodesVisited, maxMs: remainingMs },
    });
    const out: Candidate[] = [];
    for (const r of rows) {
      const rec = ctx.snap.get(this.space.name, r.id);
      if (rec === undefined) continue;
      const c = candidate(rec);
      c.spread = r.activation;
      c.hops = r.hops;
      c.path = r.path;
      out.push(c);
    }
    return out;
  }
}
