/**
 * Consolidation clustering: density clustering (DBSCAN-style) on the graph of pairs with
 * similarity ≥ s, refined by a centroid check. Deterministic: items are processed in id order,
 * no randomness, so the same input always yields the same clusters in the same order.
 * Implements docs/cognition.md §"CONSOLIDATE clustering".
 */
import { MnemoError } from '@mnemo/native';
import type { Metric } from '../model.js';
import { centroid, isFiniteVector, similarity } from './vector-sim.js';

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
/**
 * Rounding tolerance of the SIMILARITY comparisons: a cosine of duplicates can come out as
 * 1 − 2⁻⁵², and `SIMILARITY 1` must still match them.
 */
export const SIMILARITY_TOLERANCE = 1e-9;
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
  const valid = items.map((it) => isFiniteVector(it.embedding));
  const graph = opts.neighbors ? neighbourGraph(items, valid, s, metric, opts.neighbors) : bruteForceGraph(items, valid, s, metric);
  const labels = densityLabels(items, graph, minSize);
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

/**
 * The graph of pairs with similarity ≥ s, without materialising adjacency lists: a dense graph
 * (n identical episodes has n²/2 pairs) would otherwise cost gigabytes.
 */
interface SimilarityGraph {
  /** Number of similar neighbours of each item. */
  degree: Int32Array;
  /** Calls f(i, j) once for every similar pair, i < j, in a fixed order. */
  forEachPair(f: (i: number, j: number) => void): void;
  /** Similarity of a similar pair. */
  sim(i: number, j: number): number;
}

/** All pairs: one bit per pair (n = 20 000 → 25 MB), similarities recomputed only where needed. */
function bruteForceGraph(items: readonly ClusterItem[], valid: boolean[], s: number, metric: Metric): SimilarityGraph {
  const n = items.length;
  const bits = new Uint8Array(Math.ceil((n * (n - 1)) / 2 / 8));
  const degree = new Int32Array(n);
  const emb = (i: number): Float32Array => (items[i] as ClusterItem).embedding;
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      if (!valid[i] || !valid[j] || !(similarity(emb(i), emb(j), metric) >= s - SIMILARITY_TOLERANCE)) continue;
      bits[k >>> 3] = (bits[k >>> 3] as number) | (1 << (k & 7));
      degree[i] = (degree[i] as number) + 1;
      degree[j] = (degree[j] as number) + 1;
    }
  }
  const forEachPair = (f: (i: number, j: number) => void): void => {
    let q = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++, q++) if (((bits[q >>> 3] as number) >>> (q & 7)) & 1) f(i, j);
    }
  };
  return { degree, forEachPair, sim: (i, j) => similarity(emb(i), emb(j), metric) };
}

/** Candidate pairs from `neighbors(i)` (bounded by what it returns), symmetrised. */
function neighbourGraph(
  items: readonly ClusterItem[],
  valid: boolean[],
  s: number,
  metric: Metric,
  neighbors: (i: number) => Iterable<number>,
): SimilarityGraph {
  const adj = items.map(() => new Map<number, number>());
  for (let i = 0; i < items.length; i++) {
    if (!valid[i]) continue;
    for (const j of neighbors(i)) {
      if (j === i || !Number.isInteger(j) || j < 0 || j >= items.length || !valid[j] || adj[i]?.has(j)) continue;
      const sim = similarity((items[i] as ClusterItem).embedding, (items[j] as ClusterItem).embedding, metric);
      if (sim >= s - SIMILARITY_TOLERANCE) {
        adj[i]?.set(j, sim);
        adj[j]?.set(i, sim);
      }
    }
  }
  const forEachPair = (f: (i: number, j: number) => void): void => {
    adj.forEach((m, i) => {
      for (const j of m.keys()) if (j > i) f(i, j);
    });
  };
  return { degree: Int32Array.from(adj, (m) => m.size), forEachPair, sim: (i, j) => adj[i]?.get(j) ?? -1 };
}

/**
 * DBSCAN labels (union-find, O(n) memory): core items have ≥ minSize − 1 neighbours; connected
 * cores form a cluster (label = its root); a non-core item joins its most similar core neighbour
 * (ties by id); the rest is noise (−1). The partition does not depend on the input order.
 */
function densityLabels(items: readonly ClusterItem[], g: SimilarityGraph, minSize: number): Int32Array {
  const n = items.length;
  const core = Array.from(g.degree, (d) => d + 1 >= minSize);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      const up = parent[parent[x] as number] as number;
      parent[x] = up;
      x = up;
    }
    return x;
  };
  const bestCore = new Int32Array(n).fill(-1);
  const bestSim = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const attach = (x: number, c: number): void => {
    const sim = g.sim(x, c);
    const b = bestCore[x] as number;
    if (sim > (bestSim[x] as number) || (sim === bestSim[x] && b >= 0 && cmpId(items, c, b) < 0)) {
      bestSim[x] = sim;
      bestCore[x] = c;
    }
  };
  g.forEachPair((i, j) => {
    if (core[i] && core[j]) {
      const a = find(i);
      const b = find(j);
      if (a !== b) parent[a < b ? b : a] = a < b ? a : b;
    } else if (core[i]) attach(j, i);
    else if (core[j]) attach(i, j);
  });
  return Int32Array.from({ length: n }, (_, i) => {
    if (core[i]) return find(i);
    const c = bestCore[i] as number;
    return c >= 0 ? find(c) : -1;
  });
}

/** Drops members whose similarity to the cluster centroid is below s, up to REFINE_ROUNDS times. */
function refineByCentroid(items: readonly ClusterItem[], members: number[], s: number, metric: Metric): number[] {
  let cur = members;
  for (let round = 0; round < REFINE_ROUNDS && cur.length > 0; round++) {
    const c = centroid(cur.map((i) => (items[i] as ClusterItem).embedding), metric);
    const next = cur.filter((i) => similarity((items[i] as ClusterItem).embedding, c, metric) >= s - SIMILARITY_TOLERANCE);
    if (next.length === cur.length) return cur;
    cur = next;
  }
  return cur;
}
