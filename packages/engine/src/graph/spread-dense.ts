/**
 * SPREAD on dense node numbers (docs/graph.md §5): the same rule as cognitive/spread.ts — per
 * source the best (max-product) path of ≤ maxHops hops, one decay step per hop, fan factor
 * (S − ln fan)/S, weights clamped to [0, 1], THRESHOLD pruning, sources summed in sorted order,
 * rows by activation desc then id, the node/time budget — with typed scratch arrays reused across
 * calls (epoch-stamped, so nothing is cleared per query) instead of maps of strings.
 */
import { fanFactor, type SpreadOptions, type SpreadRow } from '../cognitive/spread.js';
import type { AssociationGraph } from './association-graph.js';
import { resolveSpread, SpreadMeter, type ResolvedSpread } from './spread-options.js';

/** Scratch arrays indexed by node, valid where their stamp equals the current epoch. */
class Scratch {
  size = 0;
  act: Float64Array = new Float64Array(0);
  hops: Int32Array = new Int32Array(0);
  path: Int32Array = new Int32Array(0);
  stamp: Uint32Array = new Uint32Array(0);
  mark: Uint32Array = new Uint32Array(0);
  total: Float64Array = new Float64Array(0);
  bestAct: Float64Array = new Float64Array(0);
  bestHops: Int32Array = new Int32Array(0);
  bestPath: Int32Array = new Int32Array(0);
  totalStamp: Uint32Array = new Uint32Array(0);
  srcStamp: Uint32Array = new Uint32Array(0);
  private epoch = 0;

  /** Grows every array to hold `n` nodes, keeping contents (a graph may add nodes mid-call). */
  ensure(n: number): void {
    if (n <= this.size) return;
    const m = Math.max(n, this.size * 2, 1024);
    const f64 = (x: Float64Array): Float64Array => {
      const y = new Float64Array(m);
      y.set(x);
      return y;
    };
    const i32 = (x: Int32Array): Int32Array => {
      const y = new Int32Array(m);
      y.set(x);
      return y;
    };
    const u32 = (x: Uint32Array): Uint32Array => {
      const y = new Uint32Array(m);
      y.set(x);
      return y;
    };
    this.act = f64(this.act); this.hops = i32(this.hops); this.path = i32(this.path);
    this.stamp = u32(this.stamp); this.mark = u32(this.mark);
    this.total = f64(this.total); this.bestAct = f64(this.bestAct); this.bestHops = i32(this.bestHops);
    this.bestPath = i32(this.bestPath); this.totalStamp = u32(this.totalStamp); this.srcStamp = u32(this.srcStamp);
    this.size = m;
  }

  /** A value no stamp array holds yet. */
  next(): number {
    if (this.epoch >= 0xfffffff0) {
      this.stamp.fill(0); this.mark.fill(0); this.totalStamp.fill(0); this.srcStamp.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }
}

/** Persistent path nodes (node, previous entry), append-only for one call. */
class PathArena {
  node: Int32Array = new Int32Array(1024);
  prev: Int32Array = new Int32Array(1024);
  len = 0;
  push(node: number, prev: number): number {
    if (this.len === this.node.length) {
      const n = new Int32Array(this.len * 2); n.set(this.node); this.node = n;
      const p = new Int32Array(this.len * 2); p.set(this.prev); this.prev = p;
    }
    this.node[this.len] = node;
    this.prev[this.len] = prev;
    return this.len++;
  }
}

const scratch = new Scratch();

/** Spreads from `sources` over `graph`; the same rows as cognitive `spread(graph, sources, opts)`. */
export function spreadAssociations(graph: AssociationGraph, sources: readonly string[], opts: SpreadOptions = {}): SpreadRow[] {
  const o = resolveSpread(opts);
  const srcs = [...new Set(sources)].sort();
  const meter = new SpreadMeter(o);
  graph.checkLive();
  const ids = srcs.map((s) => graph.nodeId(s)).filter((u) => u >= 0);
  scratch.ensure(graph.nodeCount);
  const sc = scratch;
  const arena = new PathArena();
  const call = sc.next();
  for (const s of ids) sc.srcStamp[s] = call;
  const reached: number[] = [];
  const touched: number[] = [];
  for (const s of ids) {
    spreadOne(graph, s, o, meter, arena, touched);
    for (const v of touched) {
      if (sc.srcStamp[v] === call) continue;
      const a = sc.act[v] as number;
      if (sc.totalStamp[v] !== call) {
        sc.totalStamp[v] = call;
        sc.total[v] = a; sc.bestAct[v] = a; sc.bestHops[v] = sc.hops[v] as number; sc.bestPath[v] = sc.path[v] as number;
        reached.push(v);
      } else {
        sc.total[v] = (sc.total[v] as number) + a;
        if (a > (sc.bestAct[v] as number)) {
          sc.bestAct[v] = a; sc.bestHops[v] = sc.hops[v] as number; sc.bestPath[v] = sc.path[v] as number;
        }
      }
    }
  }
  return rowsOf(graph, reached, o, arena);
}

/** Hop-layered max-product relaxation from source `s` (see cognitive/spread.ts spreadOne). */
function spreadOne(g: AssociationGraph, s: number, o: ResolvedSpread, meter: SpreadMeter, arena: PathArena, touched: number[]): void {
  const sc = scratch;
  const ep = sc.next();
  let { act, hops, path, stamp, mark } = sc;
  const asOf = g.asOf;
  const thr = o.threshold;
  stamp[s] = ep; act[s] = 1; hops[s] = 0; path[s] = arena.push(s, -1);
  touched.length = 0;
  touched.push(s);
  let frontier: number[] = [s];
  let fAct: number[] = [1];
  let fPath: number[] = [path[s] as number];
  for (let hop = 1; hop <= o.maxHops && frontier.length > 0; hop++) {
    const hm = sc.next();
    const improved: number[] = [];
    for (let i = 0; i < frontier.length; i++) {
      const u = frontier[i] as number;
      const out = (fAct[i] as number) * o.decay * fanFactor(g.fanOf(u), o.strength);
      if (out < thr) continue;
      const uPath = fPath[i] as number;
      const a = g.adjacency(u);
      if (g.nodeCount > sc.size) {
        sc.ensure(g.nodeCount);
        ({ act, hops, path, stamp, mark } = sc);
      }
      const { target, weight, created } = a;
      for (let e = a.start; e < a.end; e++) {
        if ((created[e] as number) > asOf) continue;
        meter.tick();
        const we = weight[e] as number;
        const w = we > 0 ? (we < 1 ? we : 1) : 0;
        const cand = out * w;
        const v = target[e] as number;
        if (!(cand >= thr) || v === s) continue;
        if (stamp[v] !== ep) {
          stamp[v] = ep;
          touched.push(v);
        } else {
          const cur = act[v] as number;
          if (!(cand > cur || (cand === cur && hop === hops[v] && g.less(u, arena.node[arena.prev[path[v] as number] as number] as number)))) continue;
        }
        act[v] = cand; hops[v] = hop; path[v] = arena.push(v, uPath);
        if (mark[v] !== hm) {
          mark[v] = hm;
          improved.push(v);
        }
      }
    }
    sortNodes(g, improved);
    frontier = improved;
    fAct = improved.map((v) => act[v] as number);
    fPath = improved.map((v) => path[v] as number);
  }
}

/** Sorts nodes by their ids in JS string order (numerically when the numbering is that order). */
function sortNodes(g: AssociationGraph, nodes: number[]): void {
  const below = g.jsOrderedBelow;
  if (nodes.every((v) => v < below)) nodes.sort((a, b) => a - b);
  else nodes.sort((a, b) => (g.less(a, b) ? -1 : g.less(b, a) ? 1 : 0));
}

/** Rows above the threshold, by activation desc then id, limited; paths built only for kept rows. */
function rowsOf(g: AssociationGraph, reached: number[], o: ResolvedSpread, arena: PathArena): SpreadRow[] {
  const sc = scratch;
  const keep = reached.filter((v) => !((sc.total[v] as number) < o.threshold));
  const below = g.jsOrderedBelow;
  keep.sort((a, b) => {
    const d = (sc.total[b] as number) - (sc.total[a] as number);
    if (d !== 0) return d;
    if (a < below && b < below) return a - b;
    return g.less(a, b) ? -1 : g.less(b, a) ? 1 : 0;
  });
  const n = Math.min(keep.length, o.limit);
  const rows: SpreadRow[] = [];
  for (let i = 0; i < n; i++) {
    const v = keep[i] as number;
    const id = g.nodeName(v);
    const path: string[] = [];
    for (let p = sc.bestPath[v] as number; p >= 0; p = arena.prev[p] as number) path.push(g.nodeName(arena.node[p] as number));
    path.reverse();
    const row: SpreadRow = { id, activation: sc.total[v] as number, hops: sc.bestHops[v] as number, path };
    rows.push(row);
  }
  // Callbacks last: the scratch arrays are no longer needed if one re-enters SPREAD.
  if (g.baseLevel) for (const row of rows) row.baseLevel = g.baseLevel(row.id);
  return rows;
}
