/**
 * HNSW search on the JS path: greedy descent through the upper layers, then an ef-bounded
 * best-first search of layer 0 that traverses filtered rows but never returns them
 * (docs/hnsw_format.md). The native path does the same in hnsw.cc.
 */
import { MnemoError } from '@mnemo/native';
import { prepareQuery, rowDistance } from './distance.js';
import type { SearchResult } from './exact.js';
import { exactTopK } from './exact.js';
import type { HnswGraph } from './graph.js';
import { Visited, greedyDescent, searchLayer } from './layers.js';

export class JsSearcher {
  private readonly visited: Visited;
  constructor(private readonly g: HnswGraph, private readonly vectors: Float32Array) {
    this.visited = new Visited(g.count);
  }

  search(query: Float32Array, k: number, ef: number, allowed: ((row: number) => boolean) | undefined, exact: boolean): SearchResult {
    const g = this.g;
    // a released mapping detaches its buffer: views read as length 0, so refuse instead of returning garbage
    if (this.vectors.length !== g.count * g.dim || g.layer0.length !== g.count * (1 + g.maxM0)) {
      throw new MnemoError('RELEASED', 'the graph or vectors mapping of this HNSW index was released; reopen the index');
    }
    const dist = rowDistance(g.metric, this.vectors, g.dim, g.invNorms, prepareQuery(query, g.metric));
    if (exact || g.count === 0) return exactTopK(g.count, k, dist, allowed);
    const [ep, epDist] = greedyDescent(g, dist, g.entryPoint, dist(g.entryPoint), g.maxLevel, 0);
    const found = searchLayer(g, dist, ep, epDist, Math.max(ef, k), 0, this.visited, allowed).drainSorted();
    return { rows: found.rows.slice(0, k), distances: found.distances.slice(0, k) };
  }
}
