/**
 * The SPREAD kernel's overlay of one AssociationGraph (docs/graph.md §4–5): the adjacency of the
 * slow nodes (memtable sources, resolved through the snapshot) resolved so far, in CSR form, and
 * tie-order keys for the memtable-only ids numbered after the segment nodes, consistent with the
 * segment nodes' JS-order ranks. Rebuilt only when more slow nodes were resolved or ids added.
 */
import type { SpreadOverlay } from '@mnemo/native';
import type { AssociationGraph } from './association-graph.js';
import type { BaseGraph } from './base-graph.js';

interface Built {
  overlay: SpreadOverlay;
  resolved: number;
  extra: number;
  maxDegree: number;
}

const built = new WeakMap<AssociationGraph, Built>();

const NO_OVERLAY = Object.freeze({ overlay: null, maxDegree: 0 });

/** The overlay of `g`, or null when no node is slow and no id is memtable-only. */
export function overlayOf(g: AssociationGraph): { overlay: SpreadOverlay | null; maxDegree: number } {
  const v = g.spreadView();
  if (!v.slowAll && v.slow.size === 0 && v.extra.length === 0) return NO_OVERLAY;
  const hit = built.get(g);
  if (hit !== undefined && hit.resolved === v.resolved.size && hit.extra === v.extra.length) return hit;
  const nodes = Int32Array.from(v.resolved.keys()).sort();
  const off = new Uint32Array(nodes.length + 1);
  nodes.forEach((u, i) => {
    const a = v.resolved.get(u);
    off[i + 1] = (off[i] as number) + (a === undefined ? 0 : a.end - a.start);
  });
  const edges = off[nodes.length] as number;
  const target = new Int32Array(edges);
  const weight = new Float64Array(edges);
  const created = new Float64Array(edges);
  let maxDegree = 0;
  nodes.forEach((u, i) => {
    const a = v.resolved.get(u);
    if (a === undefined) return;
    target.set(a.target.subarray(a.start, a.end), off[i] as number);
    weight.set(a.weight.subarray(a.start, a.end), off[i] as number);
    created.set(a.created.subarray(a.start, a.end), off[i] as number);
    maxDegree = Math.max(maxDegree, a.end - a.start);
  });
  const overlay: SpreadOverlay = {
    slowAll: v.slowAll, slow: Int32Array.from(v.slow).sort(), nodes, off, target, weight, created, extraKey: extraKeys(v.base, v.extra),
  };
  const b: Built = { overlay, resolved: v.resolved.size, extra: v.extra.length, maxDegree };
  built.set(g, b);
  return b;
}

const jsOrder = new WeakMap<BaseGraph, Int32Array>();

/** Segment nodes in JS string order of their ids (identity when the numbering is JS order). */
function nodesInJsOrder(base: BaseGraph): Int32Array | null {
  if (base.rank === null) return null;
  let order = jsOrder.get(base);
  if (order === undefined) {
    order = new Int32Array(base.rank.length);
    for (let u = 0; u < base.rank.length; u++) order[base.rank[u] as number] = u;
    jsOrder.set(base, order);
  }
  return order;
}

/**
 * Key of extra id i: with p = number of segment ids JS-less than it, a value in (p − 1, p) —
 * segment node keys are their JS ranks 0..n−1 — spaced by the extras' own JS order.
 */
function extraKeys(base: BaseGraph, extra: readonly string[]): Float64Array {
  const order = nodesInJsOrder(base);
  const nameAt = (r: number): string => base.names[order === null ? r : (order[r] as number)] as string;
  const byName = extra.map((_, i) => i).sort((a, b) => ((extra[a] as string) < (extra[b] as string) ? -1 : 1));
  const keys = new Float64Array(extra.length);
  byName.forEach((i, j) => {
    const name = extra[i] as string;
    let lo = 0;
    let hi = base.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nameAt(mid) < name) lo = mid + 1;
      else hi = mid;
    }
    keys[i] = lo - 1 + (j + 1) / (extra.length + 1);
  });
  return keys;
}
