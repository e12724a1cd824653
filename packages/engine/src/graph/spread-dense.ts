/**
 * SPREAD on dense node numbers (docs/graph.md §5): the same rule and rows as cognitive/spread.ts,
 * run by the @mnemo/native SPREAD kernel (C++, or its TypeScript twin when MNEMO_NATIVE=0) over
 * the resolved segment CSR plus an overlay for memtable (slow) nodes; this file resolves options,
 * sources and slow nodes, drives the budget meter, and turns the kernel's typed arrays into rows.
 */
import type { SpreadKernelResult, SpreadParams } from '@mnemo/native';
import type { SpreadOptions, SpreadRow } from '../cognitive/spread.js';
import type { AssociationGraph } from './association-graph.js';
import { resolveSpread, SpreadMeter, type ResolvedSpread } from '../cognitive/spread-options.js';
import { fanTableOf, spreadInputs } from './spread-inputs.js';
import { overlayOf } from './spread-overlay.js';

/** Spreads from `sources` over `graph`; the same rows as cognitive `spread(graph, sources, opts)`. */
export function spreadAssociations(graph: AssociationGraph, sources: readonly string[], opts: SpreadOptions = {}): SpreadRow[] {
  const o = resolveSpread(opts);
  const srcs = sources.length === 1 ? [sources[0] as string] : [...new Set(sources)].sort();
  const meter = new SpreadMeter(o);
  graph.checkLive();
  const ids = new Int32Array(srcs.length);
  let n = 0;
  for (const s of srcs) {
    const u = graph.nodeId(s);
    if (u >= 0) ids[n++] = u;
  }
  const r = run(graph, ids.subarray(0, n), o, meter);
  if (r.status === 'maxNodes') {
    meter.visits = r.visits;
    meter.check();
  }
  if (r.status === 'timeLimit') meter.overTime();
  return rowsOf(graph, r);
}

/**
 * Runs the kernel. With slow nodes, first without the clock (no tick, no time limit: no budget
 * reads) until no slow node it meets is unresolved — each pass resolves what it met through the
 * snapshot — then once more with the budget, unless the last pass already made ≤ 255 visits (no
 * clock read due).
 */
function run(graph: AssociationGraph, ids: Int32Array, o: ResolvedSpread, meter: SpreadMeter): SpreadKernelResult {
  const inputs = spreadInputs(graph.spreadView().base);
  const { kernel, maxDegree } = inputs;
  const params: SpreadParams = {
    maxHops: o.maxHops, decay: o.decay, threshold: o.threshold, limit: o.limit, maxNodes: o.maxNodes, asOf: graph.asOf,
    fanFactor: fanTableOf(inputs, o.strength, maxDegree), tick: null, timeLimitMs: Number.POSITIVE_INFINITY,
  };
  let ov = overlayOf(graph);
  if (ov.overlay !== null) {
    for (;;) {
      params.fanFactor = fanTableOf(inputs, o.strength, Math.max(maxDegree, ov.maxDegree));
      const r = kernel.run(ids, ov.overlay, params);
      if (r.missingCount === 0) {
        if (r.visits < 256) return r;
        break;
      }
      for (let i = 0; i < r.missingCount; i++) graph.adjacency(r.ints[r.missingAt + i] as number);
      ov = overlayOf(graph);
    }
  }
  // With the default clock the kernel times the budget itself (no call into JavaScript every 256
  // visits: ~5 µs of a ~40 µs query on 1M nodes / 10M edges); an injected clock is read by the meter.
  const left = meter.msLeft();
  if (left !== undefined) params.timeLimitMs = left;
  else {
    params.tick = (visits: number): void => {
      meter.visits = visits;
      meter.check();
    };
  }
  return kernel.run(ids, ov.overlay, params);
}

/**
 * A result row. Built by a constructor, not an object literal: V8 tracks allocation sites of
 * literals and, when a caller keeps the rows (a result list, a cache), starts allocating them in
 * the old generation, where every store of the row's young path array and activation goes through
 * the write barrier's slow path (measured on 1M nodes / 10M edges, single source, results kept:
 * the row loop 9–28 µs per query with a literal, 4–6 µs with this class). Constructed objects are
 * not pretenured that way.
 */
class DenseSpreadRow implements SpreadRow {
  declare baseLevel?: number;
  constructor(
    public id: string,
    public activation: number,
    public hops: number,
    public path: string[],
  ) {}
}

/**
 * Row objects for the kernel's rows (ids and paths as strings only for what is returned). A query's
 * names are cold (~100 distinct nodes read at random from a 1M-entry array), so:
 * 1. each row's own node name (its id) is loaded in a loop that does nothing else — no store, no
 *    call — so that as many of the independent misses as possible are in flight at once;
 * 2. each row is built with its path, whose names (mostly the rows' own nodes) now come from the
 *    cache; a row's id is read again from the warm array.
 * Measured on 1M nodes / 10M edges, single source, after an SQLite query: one pass in path order
 * 14–23 µs; ids stored as they load, then every path name, then sliced paths 6–9 µs; the loads
 * first save ~2 µs of the ids (106 names: 8.2 → 6.0 µs), building each path in place instead of
 * slicing one list of path names ~1.5–2.5 µs more.
 */
function rowsOf(g: AssociationGraph, r: SpreadKernelResult): SpreadRow[] {
  const { ints, activation, count, hopsAt, pathOffAt, pathAt } = r;
  const baseNames = g.spreadView().base.names;
  const nBase = baseNames.length;
  // Pass 1. The comparison is what makes each load happen; its count (rows that are memtable-only
  // ids, named by g.nodeName) says whether pass 2 may read every id from the names array.
  let outside = 0;
  for (let i = 0; i < count; i++) {
    const u = ints[pathAt + (ints[pathOffAt + i + 1] as number) - 1] as number;
    if (u >= nBase || baseNames[u] === undefined) outside++;
  }
  // Pass 2.
  const rows = new Array<SpreadRow>(count);
  for (let i = 0; i < count; i++) {
    const from = ints[pathOffAt + i] as number;
    const to = ints[pathOffAt + i + 1] as number;
    const path = new Array<string>(to - from);
    for (let k = from; k < to; k++) {
      const u = ints[pathAt + k] as number;
      path[k - from] = u < nBase ? (baseNames[u] as string) : g.nodeName(u);
    }
    const u = ints[pathAt + to - 1] as number;
    const id = outside === 0 ? (baseNames[u] as string) : (path[to - from - 1] as string);
    rows[i] = new DenseSpreadRow(id, activation[i] as number, ints[hopsAt + i] as number, path);
  }
  // Callbacks last: a re-entrant SPREAD may reuse the kernel's buffers.
  if (g.baseLevel) for (const row of rows) row.baseLevel = g.baseLevel(row.id);
  return rows;
}
