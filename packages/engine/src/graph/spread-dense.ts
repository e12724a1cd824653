/**
 * SPREAD on dense node numbers (docs/graph.md §5): the same rule as cognitive/spread.ts — per
 * source the best (max-product) path of ≤ maxHops hops, one decay step per hop, fan factor
 * (S − ln fan)/S, weights clamped to [0, 1], THRESHOLD pruning, sources summed in sorted order,
 * rows by activation desc then id, the node/time budget — with typed scratch arrays reused across
 * calls (epoch-stamped, so nothing is cleared per query) instead of maps of strings.
 */
import { fanFactor, type SpreadOptions, type SpreadRow } from '../cognitive/spread.js';
import type { AssociationGraph } from './association-graph.js';
import { sortNodesBy } from './sort-int.js';
import { resolveSpread, SpreadMeter, type ResolvedSpread } from './spread-options.js';

/**
 * Per-node scratch state packed in one 64-byte record per node (one cache line; random access
 * into separate arrays cost a miss per field). Valid where its stamp equals the current epoch.
 * f64 slots: 0 act, 4 total, 5 bestAct. u32/i32 slots: 2 stamp, 3 mark, 4 hops, 5 path,
 * 12 totalStamp, 13 bestHops, 14 bestPath, 15 srcStamp.
 */
const F = 8;
const U = 16;
class Scratch {
  size = 0;
  f64: Float64Array = new Float64Array(0);
  u32: Uint32Array = new Uint32Array(0);
  i32: Int32Array = new Int32Array(0);
  private epoch = 0;

  /** Grows the records to hold `n` nodes, keeping contents (a graph may add nodes mid-call). */
  ensure(n: number): void {
    if (n <= this.size) return;
    const m = Math.max(n, this.size * 2, 1024);
    const buf = new ArrayBuffer(m * 64);
    new Uint8Array(buf).set(new Uint8Array(this.f64.buffer, 0, this.size * 64));
    this.f64 = new Float64Array(buf);
    this.u32 = new Uint32Array(buf);
    this.i32 = new Int32Array(buf);
    this.size = m;
  }

  /** A value no stamp slot holds yet. */
  next(): number {
    if (this.epoch >= 0xfffffff0) {
      for (let v = 0; v < this.size; v++) {
        this.u32[v * U + 2] = 0; this.u32[v * U + 3] = 0; this.u32[v * U + 12] = 0; this.u32[v * U + 15] = 0;
      }
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
/** Reused across calls (a call's paths are only needed until its rows are built). */
const arena = new PathArena();

/** Spreads from `sources` over `graph`; the same rows as cognitive `spread(graph, sources, opts)`. */
export function spreadAssociations(graph: AssociationGraph, sources: readonly string[], opts: SpreadOptions = {}): SpreadRow[] {
  const o = resolveSpread(opts);
  const srcs = [...new Set(sources)].sort();
  const meter = new SpreadMeter(o);
  graph.checkLive();
  const ids = srcs.map((s) => graph.nodeId(s)).filter((u) => u >= 0);
  scratch.ensure(graph.nodeCount);
  const sc = scratch;
  arena.len = 0;
  const call = sc.next();
  for (const s of ids) sc.u32[s * U + 15] = call;
  const reached: number[] = [];
  const touched: number[] = [];
  for (const s of ids) {
    spreadOne(graph, s, o, meter, touched);
    const { f64, u32, i32 } = sc;
    for (const v of touched) {
      if (u32[v * U + 15] === call) continue;
      const a = f64[v * F] as number;
      if (u32[v * U + 12] !== call) {
        u32[v * U + 12] = call;
        f64[v * F + 4] = a; f64[v * F + 5] = a; i32[v * U + 13] = i32[v * U + 4] as number; i32[v * U + 14] = i32[v * U + 5] as number;
        reached.push(v);
      } else {
        f64[v * F + 4] = (f64[v * F + 4] as number) + a;
        if (a > (f64[v * F + 5] as number)) {
          f64[v * F + 5] = a; i32[v * U + 13] = i32[v * U + 4] as number; i32[v * U + 14] = i32[v * U + 5] as number;
        }
      }
    }
  }
  return rowsOf(graph, reached, o);
}

/**
 * Hop-layered max-product relaxation from source `s` (see cognitive/spread.ts spreadOne). Hot
 * kernel: nodes outside the memtable overlay read the resolved segment CSR directly. Contract:
 * on return act/hops/path hold s's reach for every node in `touched` (stamped with this epoch).
 */
function spreadOne(g: AssociationGraph, s: number, o: ResolvedSpread, meter: SpreadMeter, touched: number[]): void {
  const sc = scratch;
  const ep = sc.next();
  let { f64, u32, i32 } = sc;
  const { base, nBase, slow } = g.kernelView();
  const asOf = g.asOf;
  const timeless = asOf === Number.POSITIVE_INFINITY;
  const thr = o.threshold;
  const p0 = arena.push(s, -1);
  u32[s * U + 2] = ep; f64[s * F] = 1; i32[s * U + 4] = 0; i32[s * U + 5] = p0;
  touched.length = 0;
  touched.push(s);
  let frontier: Int32Array = Int32Array.of(s);
  let fAct: Float64Array = Float64Array.of(1);
  let fPath: Int32Array = Int32Array.of(p0);
  for (let hop = 1; hop <= o.maxHops && frontier.length > 0; hop++) {
    const hm = sc.next();
    const improved: number[] = [];
    for (let i = 0; i < frontier.length; i++) {
      const u = frontier[i] as number;
      let target = base.target;
      let weight = base.weight;
      let created = base.created;
      let start = 0;
      let end = 0;
      if (u < nBase && slow !== null && (slow.size === 0 || !slow.has(u))) {
        start = base.off[u] as number;
        end = base.off[u + 1] as number;
      } else {
        const a = g.adjacency(u);
        if (g.nodeCount > sc.size) {
          sc.ensure(g.nodeCount);
          ({ f64, u32, i32 } = sc);
        }
        ({ target, weight, created, start, end } = a);
      }
      const fan = timeless ? end - start : g.fanOf(u);
      const out = (fAct[i] as number) * o.decay * fanFactor(fan, o.strength);
      if (out < thr) continue;
      const uPath = fPath[i] as number;
      for (let e = start; e < end; e++) {
        if (!timeless && (created[e] as number) > asOf) continue;
        meter.tick();
        const we = weight[e] as number;
        const w = we > 0 ? (we < 1 ? we : 1) : 0;
        const cand = out * w;
        const v = target[e] as number;
        if (!(cand >= thr) || !(cand > 0) || v === s) continue;
        const r = v * U;
        if (u32[r + 2] !== ep) {
          u32[r + 2] = ep;
          touched.push(v);
        } else {
          const cur = f64[v * F] as number;
          if (!(cand > cur || (cand === cur && hop === i32[r + 4] && g.less(u, arena.node[arena.prev[i32[r + 5] as number] as number] as number)))) continue;
        }
        f64[v * F] = cand; i32[r + 4] = hop; i32[r + 5] = arena.push(v, uPath);
        if (u32[r + 3] !== hm) {
          u32[r + 3] = hm;
          improved.push(v);
        }
      }
    }
    frontier = sortNodes(g, improved);
    fAct = new Float64Array(frontier.length);
    fPath = new Int32Array(frontier.length);
    for (let i = 0; i < frontier.length; i++) {
      const v = frontier[i] as number;
      fAct[i] = f64[v * F] as number;
      fPath[i] = i32[v * U + 5] as number;
    }
  }
}

/** Nodes in JS string order of their ids (a native numeric sort when the numbering is that order). */
function sortNodes(g: AssociationGraph, nodes: number[]): Int32Array {
  const out = Int32Array.from(nodes);
  const below = g.jsOrderedBelow;
  if (nodes.every((v) => v < below)) return out.sort();
  return sortNodesBy(out, (a, b) => g.less(a, b));
}

/** Rows above the threshold, by activation desc then id, limited; paths built only for kept rows. */
function rowsOf(g: AssociationGraph, reached: number[], o: ResolvedSpread): SpreadRow[] {
  const { f64, i32 } = scratch;
  const below = g.jsOrderedBelow;
  const keep = sortNodesBy(
    Int32Array.from(reached.filter((v) => !((f64[v * F + 4] as number) < o.threshold))),
    (a, b) => {
      const ta = f64[a * F + 4] as number;
      const tb = f64[b * F + 4] as number;
      if (ta !== tb) return ta > tb;
      return a < below && b < below ? a < b : g.less(a, b);
    },
  );
  const n = Math.min(keep.length, o.limit);
  const rows: SpreadRow[] = [];
  for (let i = 0; i < n; i++) {
    const v = keep[i] as number;
    const id = g.nodeName(v);
    const path: string[] = [];
    for (let p = i32[v * U + 14] as number; p >= 0; p = arena.prev[p] as number) path.push(g.nodeName(arena.node[p] as number));
    path.reverse();
    rows.push({ id, activation: f64[v * F + 4] as number, hops: i32[v * U + 13] as number, path });
  }
  // Callbacks last: the scratch state is no longer needed if one re-enters SPREAD.
  if (g.baseLevel) for (const row of rows) row.baseLevel = g.baseLevel(row.id);
  return rows;
}
