/**
 * The JS HNSW build (Malkov & Yashunin; hnswlib's insert, getNeighborsByHeuristic2 and
 * mutual connection), used when the native addon is off (MNEMO_NATIVE=0). Produces the graph in
 * the file layout of docs/hnsw_format.md; rows are inserted in row order with seeded levels.
 */
import type { Metric } from '../model.js';
import { rowDistance } from './distance.js';
import type { RowDistance } from './distance.js';
import { NO_ENTRY, inverseNorms, upperOffsetsFor, vectorProbe } from './graph.js';
import type { HnswGraph } from './graph.js';
import { quantizeVectors } from './quantize.js';
import { PairHeap } from './heap.js';
import { Visited, greedyDescent, listOf, searchLayer } from './layers.js';
import { drawLevels } from './rng.js';

export interface BuildParams {
  /** count × dim f32, row-major. */
  vectors: Float32Array;
  dim: number;
  metric: Metric;
  M: number;
  efConstruction: number;
  seed: number;
}

/** Vectors the build measures with: a normalised copy for cosine (so distance = 1 − dot). */
function buildSpace(p: BuildParams, count: number): { data: Float32Array; ones: Float32Array } {
  const ones = new Float32Array(0);
  if (p.metric !== 'cosine') return { data: p.vectors, ones };
  const inv = inverseNorms(p.vectors, p.dim, count);
  const data = new Float32Array(count * p.dim);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < p.dim; j++) data[r * p.dim + j] = p.vectors[r * p.dim + j]! * inv[r]!;
  }
  return { data, ones: new Float32Array(count).fill(1) };
}

/** hnswlib's getNeighborsByHeuristic2: closest first, keep a candidate unless a kept one is closer to it. */
function selectNeighbours(cands: PairHeap, M: number, pairDist: (a: number, b: number) => number): Uint32Array {
  const sorted = cands.drainSorted();
  if (sorted.rows.length <= M) return sorted.rows;
  const kept: number[] = [];
  for (let i = 0; i < sorted.rows.length && kept.length < M; i++) {
    const c = sorted.rows[i]!;
    const dq = sorted.distances[i]!;
    let good = true;
    for (const r of kept) {
      if (pairDist(c, r) < dq) {
        good = false;
        break;
      }
    }
    if (good) kept.push(c);
  }
  return Uint32Array.from(kept);
}

/** Build an HNSW graph over `vectors` (JS path). */
export function buildHnswJs(p: BuildParams): HnswGraph {
  const { dim, M, metric } = p;
  const count = p.vectors.length / dim;
  const maxM0 = 2 * M;
  const levels = drawLevels(count, M, p.seed);
  const upperOffsets = upperOffsetsFor(levels, M);
  const invNorms = metric === 'cosine' ? inverseNorms(p.vectors, dim, count) : new Float32Array(0);
  const g: HnswGraph = {
    dim, metric, M, maxM0, count, maxLevel: 0, entryPoint: NO_ENTRY, efConstruction: p.efConstruction, seed: p.seed >>> 0,
    vectorProbe: vectorProbe(p.vectors, dim, count), layer0: new Uint32Array(count * (1 + maxM0)), levels, upperOffsets,
    upperLinks: new Uint32Array(upperOffsets[count]!), invNorms, quantized: quantizeVectors(p.vectors, dim, count, metric, invNorms),
  };
  const { data, ones } = buildSpace(p, count);
  const pairDist = (a: number, b: number): number => rowDistance(metric, data, dim, ones, data, a * dim)(b);
  const visited = new Visited(count);
  for (let row = 0; row < count; row++) insert(g, row, rowDistance(metric, data, dim, ones, data, row * dim), pairDist, visited);
  return g;
}

function insert(g: HnswGraph, row: number, dist: RowDistance, pairDist: (a: number, b: number) => number, visited: Visited): void {
  const level = g.levels[row]!;
  if (g.entryPoint === NO_ENTRY) {
    g.entryPoint = row;
    g.maxLevel = level;
    return;
  }
  let [cur, curDist] = greedyDescent(g, dist, g.entryPoint, dist(g.entryPoint), g.maxLevel, level);
  for (let l = Math.min(level, g.maxLevel); l >= 0; l--) {
    const found = searchLayer(g, dist, cur, curDist, g.efConstruction, l, visited);
    const chosen = selectNeighbours(found, g.M, pairDist);
    writeList(g, row, l, chosen);
    for (const nb of chosen) linkBack(g, nb, row, l, pairDist);
    cur = chosen[0]!;
    curDist = dist(cur);
  }
  if (level > g.maxLevel) {
    g.entryPoint = row;
    g.maxLevel = level;
  }
}

function writeList(g: HnswGraph, row: number, level: number, ids: ArrayLike<number>): void {
  const [links, at] = listOf(g, row, level);
  links[at] = ids.length;
  for (let j = 0; j < ids.length; j++) links[at + 1 + j] = ids[j]!;
}

/** Add `row` to `nb`'s list on `level`; on overflow shrink the list with the heuristic. */
function linkBack(g: HnswGraph, nb: number, row: number, level: number, pairDist: (a: number, b: number) => number): void {
  const max = level === 0 ? g.maxM0 : g.M;
  const [links, at] = listOf(g, nb, level);
  const n = links[at]!;
  if (n < max) {
    links[at + 1 + n] = row;
    links[at] = n + 1;
    return;
  }
  const heap = new PairHeap(true, max + 1);
  heap.push(pairDist(nb, row), row);
  for (let j = 1; j <= n; j++) heap.push(pairDist(nb, links[at + j]!), links[at + j]!);
  const kept = selectNeighbours(heap, max, pairDist);
  writeList(g, nb, level, kept);
  for (let j = kept.length + 1; j <= max; j++) links[at + j] = 0;
}
