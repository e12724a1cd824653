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
import { fanTable, kernelOf } from './spread-inputs.js';
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
  return rowsOf(graph, r);
}

/**
 * Runs the kernel. With slow nodes, first without the clock (tick null: no budget reads) until no
 * slow node it meets is unresolved — each pass resolves what it met through the snapshot — then
 * once more with the meter, unless the last pass already made ≤ 255 visits (no clock read due).
 */
function run(graph: AssociationGraph, ids: Int32Array, o: ResolvedSpread, meter: SpreadMeter): SpreadKernelResult {
  const { base } = graph.spreadView();
  const { kernel, maxDegree } = kernelOf(base);
  const params: SpreadParams = {
    maxHops: o.maxHops, decay: o.decay, threshold: o.threshold, limit: o.limit, maxNodes: o.maxNodes, asOf: graph.asOf,
    fanFactor: fanTable(o.strength, maxDegree), tick: null,
  };
  let ov = overlayOf(graph);
  if (ov.overlay !== null) {
    for (;;) {
      params.fanFactor = fanTable(o.strength, Math.max(maxDegree, ov.maxDegree));
      const r = kernel.run(ids, ov.overlay, params);
      if (r.missingCount === 0) {
        if (r.visits < 256) return r;
        break;
      }
      for (let i = 0; i < r.missingCount; i++) graph.adjacency(r.ints[r.missingAt + i] as number);
      ov = overlayOf(graph);
    }
  }
  params.tick = (visits: number): void => {
    meter.visits = visits;
    meter.check();
  };
  return kernel.run(ids, ov.overlay, params);
}

/**
 * Row objects for the kernel's rows (ids and paths as strings only for what is returned). The names
 * of every path node are read first, in one pass over the base graph's name array: a query's few
 * hundred names are cold, and loads with nothing else in between overlap in the memory system
 * (measured on 1M nodes / 10M edges, single source: 4–7 µs less of 30–41 µs per query); then each
 * row slices its path.
 */
function rowsOf(g: AssociationGraph, r: SpreadKernelResult): SpreadRow[] {
  const { ints, activation, count, hopsAt, pathOffAt, pathAt } = r;
  const baseNames = g.spreadView().base.names;
  const nBase = baseNames.length;
  const len = ints[pathOffAt + count] as number;
  const names = new Array<string>(len);
  for (let k = 0; k < len; k++) {
    const u = ints[pathAt + k] as number;
    names[k] = u < nBase ? (baseNames[u] as string) : g.nodeName(u);
  }
  const rows = new Array<SpreadRow>(count);
  for (let i = 0; i < count; i++) {
    const from = ints[pathOffAt + i] as number;
    const to = ints[pathOffAt + i + 1] as number;
    const path = names.slice(from, to);
    rows[i] = { id: path[to - from - 1] as string, activation: activation[i] as number, hops: ints[hopsAt + i] as number, path };
  }
  // Callbacks last: a re-entrant SPREAD may reuse the kernel's buffers.
  if (g.baseLevel) for (const row of rows) row.baseLevel = g.baseLevel(row.id);
  return rows;
}
