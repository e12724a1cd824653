/**
 * Spread: spreading activation from the source memories over the space's associations (one
 * decay step per hop, edge weight, fan effect with fan = out-degree, cycles cannot inflate,
 * THRESHOLD prunes, MAX_HOPS bounds, node/time budget → LIMIT_EXCEEDED). Runs on the engine's
 * dense association graph (`associationGraph` + `spreadAssociations`, docs/graph.md), which returns
 * exactly the rows of the cognitive `spread` rule. Emits the reached memories with their spread
 * activation, hops and path, and a confidence narrowed by the path: the memory's own interval times
 * the confidences of the edges along its strongest path (docs/cognition.md §"SPREAD").
 */
import {
  MnemoError, associationGraph, intervalProduct, spreadAssociations, type Association, type Interval, type SpaceConfig, type Snapshot,
} from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import type { Op } from './op.js';
import { runValue, type RunValue } from './run-value.js';

export interface SpreadParams {
  sources: string[];
  maxHops: number | undefined;
  decay: number | undefined;
  threshold: number | undefined;
}

export class SpreadOp implements Op<Candidate> {
  readonly name = 'Spread';
  readonly children: readonly Op[] = [];
  constructor(readonly space: RunValue<SpaceConfig>, readonly p: RunValue<SpreadParams>) {}

  describe(ctx: ExecContext): string {
    const p = runValue(ctx, this.p);
    return `from=${p.sources.join(',')} max_hops=${p.maxHops ?? 'default(3)'} decay=${p.decay ?? 'default(0.5)'} threshold=${p.threshold ?? 'default(0.01)'} fan=out-degree`;
  }

  /** Synchronous: the kernel and the reads run on the snapshot, nothing waits. */
  run(ctx: ExecContext): Candidate[] {
    const space = runValue(ctx, this.space).name;
    const p = runValue(ctx, this.p);
    const graph = associationGraph(ctx.snap, space);
    const remainingMs = Math.max(1, ctx.limits.queryTimeMs);
    const rows = inDatabaseTerms(() => spreadAssociations(graph, p.sources, {
      ...(p.maxHops !== undefined ? { maxHops: p.maxHops } : {}),
      ...(p.decay !== undefined ? { decay: p.decay } : {}),
      ...(p.threshold !== undefined ? { threshold: p.threshold } : {}),
      budget: { maxNodes: ctx.limits.nodesVisited, maxMs: remainingMs },
    }));
    const out: Candidate[] = [];
    const chain = new PathConfidence(ctx.snap, space);
    for (const r of rows) {
      const rec = ctx.snap.get(space, r.id);
      if (rec === undefined) continue;
      const c = candidate(rec);
      c.confidence = intervalProduct(rec.confidence, chain.of(r.path));
      c.spread = r.activation;
      c.hops = r.hops;
      c.path = r.path;
      out.push(c);
    }
    return out;
  }
}

/**
 * The engine's budget errors name its own options (maxNodes, maxMs); a database user sets them as
 * `limits.nodesVisited` / `limits.queryTimeMs` of open(), so the message says that.
 */
function inDatabaseTerms<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof MnemoError) || e.code !== 'LIMIT_EXCEEDED') throw e;
    const { limit, value } = e.details as { limit?: string; value?: number };
    const narrow = 'or narrow the query with a higher THRESHOLD or a lower MAX_HOPS';
    if (limit === 'maxNodes') {
      throw new MnemoError('LIMIT_EXCEEDED', `SPREAD visited more than ${value} nodes (limit nodesVisited); raise limits.nodesVisited in open(), ${narrow}`, { limit: 'nodesVisited', value }, { cause: e });
    }
    if (limit === 'maxMs') {
      throw new MnemoError('LIMIT_EXCEEDED', `SPREAD ran longer than ${value} ms (limit queryTimeMs); raise limits.queryTimeMs in open(), ${narrow}`, { limit: 'queryTimeMs', value }, { cause: e });
    }
    throw e;
  }
}

/**
 * The confidence of a spread path: the product of its edges' intervals, per hop the edge SPREAD
 * followed (the highest weight from → to over association kinds; ties: the higher lo). Each
 * source's out-list is read once per statement and reduced to its best edge per target.
 */
class PathConfidence {
  private readonly bestFrom = new Map<string, Map<string, Association>>();
  constructor(private readonly snap: Snapshot, private readonly space: string) {}

  of(path: readonly string[]): Interval {
    let lo = 1;
    let hi = 1;
    for (let i = 1; i < path.length; i++) {
      const e = this.best(path[i - 1] as string).get(path[i] as string);
      if (e === undefined) continue;
      lo *= e.confidence.lo;
      hi *= e.confidence.hi;
    }
    return { lo, hi };
  }

  /** The best edge of `from` per target (each out-list is read once and kept only in this form). */
  private best(from: string): Map<string, Association> {
    let byTo = this.bestFrom.get(from);
    if (byTo !== undefined) return byTo;
    byTo = new Map();
    for (const e of this.snap.associationsFrom(this.space, from)) {
      const b = byTo.get(e.to);
      if (b === undefined || e.weight > b.weight || (e.weight === b.weight && e.confidence.lo > b.confidence.lo)) byTo.set(e.to, e);
    }
    this.bestFrom.set(from, byTo);
    return byTo;
  }
}
