/**
 * SPREAD on dense node numbers (docs/graph.md §5): the same rule as cognitive/spread.ts — per
 * source the best (max-product) path of ≤ maxHops hops, one decay step per hop, fan factor
 * (S − ln fan)/S, weights clamped to [0, 1], THRESHOLD pruning, sources summed in sorted order,
 * rows by activation desc then id, the node/time budget — on node numbers, with per-query state in
 * small hash tables (node-table.ts) and paths in a shared arena instead of maps of strings.
 */
import { fanFactor, type SpreadOptions, type SpreadRow } from '../cognitive/spread.js';
import type { AssociationGraph } from './association-graph.js';
import { NodeTable } from './node-table.js';
import { sortByTotalDesc, sortNodesBy } from './sort-int.js';
import { resolveSpread, SpreadMeter, type ResolvedSpread } from '../cognitive/spread-options.js';

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

/** Per-source reach (a: activation, hops, path entry, mark: hop of the last improvement). */
const per = new NodeTable();
/** Per-call totals (a: sum over sources, b/hops/path: the best single-source reach). */
const tot = new NodeTable();
/** Reused across calls (a call's paths are only needed until its rows are built). */
const arena = new PathArena();

/** Spreads from `sources` over `graph`; the same rows as cognitive `spread(graph, sources, opts)`. */
export function spreadAssociations(graph: AssociationGraph, sources: readonly string[], opts: SpreadOptions = {}): SpreadRow[] {
  const o = resolveSpread(opts);
  const srcs = [...new Set(sources)].sort();
  const meter = new SpreadMeter(o);
  graph.checkLive();
  const ids = srcs.map((s) => graph.nodeId(s)).filter((u) => u >= 0);
  const srcSet = new Set(ids);
  arena.len = 0;
  tot.reset();
  for (const s of ids) {
    spreadOne(graph, s, o, meter);
    for (let i = 0; i < per.size; i++) {
      const ps = per.slots[i] as number;
      const v = per.keys[ps] as number;
      if (srcSet.has(v)) continue;
      const a = per.a[ps] as number;
      const before = tot.size;
      const ts = tot.add(v);
      if (tot.size > before) {
        tot.a[ts] = a; tot.b[ts] = a; tot.hops[ts] = per.hops[ps] as number; tot.path[ts] = per.path[ps] as number;
      } else {
        tot.a[ts] = (tot.a[ts] as number) + a;
        if (a > (tot.b[ts] as number)) {
          tot.b[ts] = a; tot.hops[ts] = per.hops[ps] as number; tot.path[ts] = per.path[ps] as number;
        }
      }
    }
  }
  return rowsOf(graph, o);
}

/**
 * Hop-layered max-product relaxation from source `s` (see cognitive/spread.ts spreadOne). Hot
 * kernel: nodes outside the memtable overlay read the resolved segment CSR directly. Contract:
 * on return `per` holds s's reach for every node it recorded (s included).
 */
function spreadOne(g: AssociationGraph, s: number, o: ResolvedSpread, meter: SpreadMeter): void {
  const { base, nBase, slow } = g.kernelView();
  const asOf = g.asOf;
  const timeless = asOf === Number.POSITIVE_INFINITY;
  const thr = o.threshold;
  const below = g.jsOrderedBelow;
  per.reset();
  const p0 = arena.push(s, -1);
  const s0 = per.add(s);
  per.a[s0] = 1; per.hops[s0] = 0; per.path[s0] = p0;
  let frontier: Int32Array = Int32Array.of(s);
  let fAct: Float64Array = Float64Array.of(1);
  let fPath: Int32Array = Int32Array.of(p0);
  for (let hop = 1; hop <= o.maxHops && frontier.length > 0; hop++) {
    const improved: number[] = [];
    let allBelow = true;
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
        ({ target, weight, created, start, end } = g.adjacency(u));
      }
      const fan = timeless ? end - start : g.fanOf(u);
      const out = (fAct[i] as number) * o.decay * fanFactor(fan, o.strength);
      if (out < thr) continue;
      const uPath = fPath[i] as number;
      for (let e = start; e < end; e++) {
        if (!timeless && (created[e] as number) > asOf) continue;
        const visits = ++meter.visits;
        if (visits > meter.maxNodes || (visits & 255) === 0) meter.check();
        const we = weight[e] as number;
        const w = we > 0 ? (we < 1 ? we : 1) : 0;
        const cand = out * w;
        const v = target[e] as number;
        if (!(cand >= thr) || !(cand > 0) || v === s) continue;
        const before = per.size;
        const r = per.add(v);
        if (per.size === before) {
          const cur = per.a[r] as number;
          if (!(cand > cur || (cand === cur && hop === per.hops[r] && g.less(u, arena.node[arena.prev[per.path[r] as number] as number] as number)))) continue;
        }
        per.a[r] = cand; per.hops[r] = hop; per.path[r] = arena.push(v, uPath);
        if (per.mark[r] !== hop) {
          per.mark[r] = hop;
          improved.push(v);
          if (v >= below) allBelow = false;
        }
      }
    }
    frontier = new Int32Array(improved);
    if (allBelow) frontier.sort();
    else sortNodesBy(frontier, (a, b) => g.less(a, b));
    fAct = new Float64Array(frontier.length);
    fPath = new Int32Array(frontier.length);
    for (let i = 0; i < frontier.length; i++) {
      const r = per.find(frontier[i] as number);
      fAct[i] = per.a[r] as number;
      fPath[i] = per.path[r] as number;
    }
  }
}

/** Rows above the threshold, by activation desc then id, limited; paths built only for kept rows. */
function rowsOf(g: AssociationGraph, o: ResolvedSpread): SpreadRow[] {
  const below = g.jsOrderedBelow;
  const kept: number[] = [];
  let allBelow = true;
  const keys = tot.keys;
  const total = tot.a;
  for (let i = 0; i < tot.size; i++) {
    const ts = tot.slots[i] as number;
    if ((total[ts] as number) < o.threshold) continue;
    kept.push(ts);
    if ((keys[ts] as number) >= below) allBelow = false;
  }
  const keep = allBelow
    ? sortByTotalDesc(new Int32Array(kept), total, keys)
    : sortNodesBy(new Int32Array(kept), (x, y) => {
      const tx = total[x] as number;
      const ty = total[y] as number;
      return tx > ty || (tx === ty && g.less(keys[x] as number, keys[y] as number));
    });
  const n = Math.min(keep.length, o.limit);
  const rows: SpreadRow[] = [];
  for (let i = 0; i < n; i++) {
    const ts = keep[i] as number;
    const id = g.nodeName(keys[ts] as number);
    const path: string[] = [];
    for (let p = tot.path[ts] as number; p >= 0; p = arena.prev[p] as number) path.push(g.nodeName(arena.node[p] as number));
    path.reverse();
    rows.push({ id, activation: total[ts] as number, hops: tot.hops[ts] as number, path });
  }
  // Callbacks last: the tables are no longer needed if one re-enters SPREAD.
  if (g.baseLevel) for (const row of rows) row.baseLevel = g.baseLevel(row.id);
  return rows;
}
