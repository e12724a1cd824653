/**
 * SPREAD: ACT-R-style spreading activation over an injected association graph. Per source, a
 * node's activation is the best (max-product) path of ≤ maxHops hops; sources sum. Fan effect
 * (S − ln fan), one decay step per hop, edge weight, threshold pruning, a node/time budget.
 * Implements docs/cognition.md §"SPREAD" and language.md §4.4.
 */
import { resolveSpread, SpreadMeter, SPREAD_DEFAULTS, type ResolvedSpread, type SpreadOptions } from './spread-options.js';

export { SPREAD_DEFAULTS } from './spread-options.js';
export type { SpreadBudget, SpreadOptions } from './spread-options.js';

export interface SpreadGraph {
  /** Outgoing associations of a memory (ids that do not exist simply have none). */
  neighbors(id: string): ReadonlyArray<{ to: string; weight: number }>;
  /** Number of associations of a memory (its fan); values < 1 count as 1. */
  fan(id: string): number;
  /** Optional base-level activation, reported next to the spread activation for PROFILE. */
  baseLevel?(id: string): number;
}

export interface SpreadRow {
  id: string;
  activation: number;
  /** Hops of the strongest contributing path. */
  hops: number;
  /** That path, source first, this memory last. */
  path: string[];
  /** graph.baseLevel(id) when the graph provides it. */
  baseLevel?: number;
}

/** What a fan-`fan` node passes on per unit of its activation: max(0, S − ln fan) / S ∈ [0, 1]. */
export function fanFactor(fan: number, strength: number = SPREAD_DEFAULTS.strength): number {
  const f = fan >= 1 ? fan : 1;
  const v = (strength - Math.log(f)) / strength;
  return v > 0 ? (v < 1 ? v : 1) : 0;
}

interface Reach {
  act: number;
  hops: number;
  /** Persistent linked path: this node, then its predecessor chain back to the source. */
  path: PathNode;
}
interface PathNode {
  id: string;
  prev: PathNode | null;
}

/** Spreads from `sources`; rows sorted by activation desc, ties by id. Sources are not returned. */
export function spread(graph: SpreadGraph, sources: readonly string[], opts: SpreadOptions = {}): SpreadRow[] {
  const o = resolveSpread(opts);
  const srcs = [...new Set(sources)].sort();
  const meter = new SpreadMeter(o);
  const perSource = srcs.map((s) => spreadOne(graph, s, o, meter));
  const sourceSet = new Set(srcs);
  const total = new Map<string, { act: number; best: Reach }>();
  for (const reach of perSource) {
    for (const [id, r] of reach) {
      if (sourceSet.has(id)) continue;
      const cur = total.get(id);
      if (cur === undefined) total.set(id, { act: r.act, best: r });
      else {
        cur.act += r.act;
        if (r.act > cur.best.act) cur.best = r;
      }
    }
  }
  const rows: SpreadRow[] = [];
  for (const [id, t] of total) {
    if (t.act < o.threshold) continue;
    const row: SpreadRow = { id, activation: t.act, hops: t.best.hops, path: pathOf(t.best.path) };
    if (graph.baseLevel) row.baseLevel = graph.baseLevel(id);
    rows.push(row);
  }
  rows.sort((a, b) => b.activation - a.activation || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.length > o.limit ? rows.slice(0, o.limit) : rows;
}

/**
 * Hop-layered max-product relaxation from one source (Bellman–Ford bounded by maxHops). Every
 * multiplier is ≤ 1 (r ≤ 1, fan factor ≤ 1, weights clamped to [0, 1]), so a cycle can never beat
 * the simple path it extends: a node is re-expanded only when its activation strictly improves.
 */
function spreadOne(graph: SpreadGraph, source: string, o: ResolvedSpread, meter: SpreadMeter): Map<string, Reach> {
  const best = new Map<string, Reach>();
  best.set(source, { act: 1, hops: 0, path: { id: source, prev: null } });
  let frontier: Array<[string, Reach]> = [[source, best.get(source) as Reach]];
  for (let hop = 1; hop <= o.maxHops && frontier.length > 0; hop++) {
    const improved = new Set<string>();
    for (const [u, ru] of frontier) {
      const out = ru.act * o.decay * fanFactor(graph.fan(u), o.strength);
      if (out < o.threshold) continue;
      for (const e of graph.neighbors(u)) {
        meter.tick();
        const w = e.weight > 0 ? (e.weight < 1 ? e.weight : 1) : 0;
        const cand = out * w;
        if (!(cand >= o.threshold) || !(cand > 0) || e.to === source) continue;
        const cur = best.get(e.to);
        if (cur === undefined || cand > cur.act || (cand === cur.act && hop === cur.hops && u < (cur.path.prev?.id ?? ''))) {
          best.set(e.to, { act: cand, hops: hop, path: { id: e.to, prev: ru.path } });
          improved.add(e.to);
        }
      }
    }
    frontier = [...improved].sort().map((id) => [id, best.get(id) as Reach]);
  }
  return best;
}

function pathOf(p: PathNode): string[] {
  const out: string[] = [];
  for (let n: PathNode | null = p; n !== null; n = n.prev) out.push(n.id);
  return out.reverse();
}
