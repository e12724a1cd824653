/**
 * Consolidation clustering: density clustering (DBSCAN-style) on the graph of pairs with
 * similarity ≥ s, refined by a centroid check. Deterministic: items are processed in id order,
 * no randomness, so the same input always yields the same clusters in the same order.
 * Implements docs/cognition.md §"CONSOLIDATE clustering".
 */
import { MnemoError } from '@mnemo/native';
import type { Metric } from '../model.js';
import { centroid, similarity } from './vector-sim.js';

export interface ClusterItem {
  id: string;
  embedding: Float32Array;
}

export interface ClusterOptions {
  /** Pair similarity (and member–centroid similarity) required, in [−1, 1]. Default 0.8. */
  similarity?: number;
  /** Smallest cluster returned (≥ 2). Default 3. */
  minSize?: number;
  /** Candidate neighbour indices of item i (e.g. from the HNSW index); default: every other item. */
  neighbors?: (i: number) => Iterable<number>;
}

export interface Cluster {
  /** Indices into `items`, in member-id order. */
  indices: number[];
  /** Member ids, sorted. */
  ids: string[];
}

/** Without a `neighbors` function the pair scan is O(n²); above this many items it is refused. */
export const BRUTE_FORCE_MAX_ITEMS = 20_000;
/** Centroid refinement rounds (each drops members below the threshold to the centroid). */
const REFINE_ROUNDS = 3;

/** Clusters of ≥ minSize items, ordered by their smallest member id; noise items belong to none. */
export function clusterEpisodes(items: readonly ClusterItem[], opts: ClusterOptions, metric: Metric): Cluster[] {
  const s = opts.similarity ?? 0.8;
  const minSize = opts.minSize ?? 3;
  if (!(s >= -1 && s <= 1)) throw new MnemoError('INVALID_ARGUMENT', `SIMILARITY must be in [-1, 1], got ${s}`);
  if (!Number.isInteger(minSize) || minSize < 2) throw new MnemoError('INVALID_ARGUMENT', `MIN_SIZE must be an integer >= 2, got ${minSize}`);
  if (!opts.neighbors && items.length > BRUTE_FORCE_MAX_ITEMS) {
    throw new MnemoError(
      'LIMIT_EXCEEDED',
      `CONSOLIDATE over ${items.length} episodes without a vector index exceeds ${BRUTE_FORCE_MAX_ITEMS}; ` +
        `pass a neighbour function or consolidate a narrower pattern or WHERE`,
    );
  }
  const adj = similarityGraph(items, s, metric, opts.neighbors);
  const labels = densityLabels(items, adj, minSize);
  const groups = new Map<number, number[]>();
  labels.forEach((l, i) => {
    if (l < 0) return;
    const g = groups.get(l);
    if (g) g.push(i);
    else groups.set(l, [i]);
  });
  const out: Cluster[] = [];
  for (const g of groups.values()) {
    const kept = refineByCentroid(items, g, s, metric);
    if (kept.length < minSize) continue;
    kept.sort((a, b) => cmpId(items, a, b));
    out.push({ indices: kept, ids: kept.map((i) => (items[i] as ClusterItem).id) });
  }
  out.sort((a, b) => ((a.ids[0] as string) < (b.ids[0] as string) ? -1 : 1));
  return out;
}

function cmpId(items: readonly ClusterItem[], a: number, b: number): number {
  const x = (items[a] as ClusterItem).id;
  const y = (items[b] as ClusterItem).id;
  return x < y ? -1 : x > y ? 1 : a - b;
}

/** Symmetric adjacency: for each item, its neighbours with similarity ≥ s (and that similarity). */
function similarityGraph(
  items: readonly ClusterItem[],
  s: number,
  metric: Metric,
  neighbors?: (i: number) => Iterable<number>,
): Array<Map<number, number>> {
  const adj = items.map(() => new Map<number, number>());
  for (let i = 0; i < items.length; i++) {
    const cands: Iterable<number> = neighbors ? neighbors(i) : laterItems(items.length, i);
    for (const j of cands) {
      if (j === i || !Number.isInteger(j) || j < 0 || j >= items.length || adj[i]?.has(j)) continue;
      const sim = similarity((items[i] as ClusterItem).embedding, (items[j] as ClusterItem).embedding, metric);
      if (sim >= s) {
        adj[i]?.set(j, sim);
        adj[j]?.set(i, sim);
      }
    }
  }
  return adj;
}

/** The brute-force candidates of i: only j > i, since every pair is entered symmetrically. */
function* laterItems(n: number, i: number): Iterable<number> {
  for (let j = i + 1; j < n; j++) yield j;
}

/**
 * Core items have ≥ minSize − 1 neighbours; connected cores form a cluster (label = its first
 * core in id order); a non-core item joins its most similar core neighbour; the rest is noise (−1).
 */
function densityLabels(items: readonly ClusterItem[], adj: Array<Map<number, number>>, minSize: number): number[] {
  const order = items.map((_, i) => i).sort((a, b) => cmpId(items, a, b));
  const core = adj.map((m) => m.size + 1 >= minSize);
  const labels = new Array<number>(items.length).fill(-1);
  for (const start of order) {
    if (!core[start] || labels[start] !== -1) continue;
    labels[start] = start;
    const stack = [start];
    while (stack.length > 0) {
      const u = stack.pop() as number;
      for (const v of adj[u]?.keys() ?? []) {
        if (core[v] && labels[v] === -1) {
          labels[v] = start;
          stack.push(v);
        }
      }
    }
  }
  for (const i of order) {
    if (core[i]) continue;
    let bestSim = -Infinity;
    let bestCore = -1;
    for (const [j, sim] of adj[i] ?? []) {
      if (core[j] && (sim > bestSim || (sim === bestSim && cmpId(items, j, bestCore) < 0))) {
        bestSim = sim;
        bestCore = j;
      }
    }
    if (bestCore >= 0) labels[i] = labels[bestCore] as number;
  }
  return labels;
}

/** Drops members whose similarity to the cluster centroid is below s, up to REFINE_ROUNDS times. */
function refineByCentroid(items: readonly ClusterItem[], members: number[], s: number, metric: Metric): number[] {
  let cur = members;
  for (let round = 0; round < REFINE_ROUNDS && cur.length > 0; round++) {
    const c = centroid(cur.map((i) => (items[i] as ClusterItem).embedding), metric);
    const next = cur.filter((i) => similarity((items[i] as ClusterItem).embedding, c, metric) >= s);
    if (next.length === cur.length) return cur;
    cur = next;
  }
  return cur;
}
