/**
 * The resolved association graph of a stack of sealed segments (newest first), as one CSR over
 * dense node numbers (docs/graph.md §3). One segment: its dense view as is (zero-copy columns).
 * Several: node dictionaries are unioned and each node's edges resolved by the LSM rule of
 * docs/segment_format.md §1 — newest segment wins per (from, to, kind); an edge is dead when a
 * newer segment tombstones its `from` or `to` or holds a matching association tombstone. Cached
 * per list of readers (segments are immutable; the list changes only at flush and compaction).
 */
import type { SegmentReader } from '../storage/segment/index.js';
import { NameIndex } from './name-index.js';
import { indexOf, jsRank, mergeSortedNames, sortNames } from './names.js';
import { segmentGraph, type SegmentGraph } from './segment-graph.js';
import type { SpreadInputs } from './spread-inputs.js';

export interface BaseGraph {
  readonly readers: readonly SegmentReader[];
  /** Node names in id order; node u ↔ names[u]. */
  readonly names: readonly string[];
  /** name → node (NameIndex.get: −1 when absent). */
  readonly index: NameIndex;
  /** JS-order rank of node u, or null when id order is JS order (rank = u). */
  readonly rank: Int32Array | null;
  /** Live edges of u: [off[u], off[u+1]), ordered by (to, kind) in id order. */
  readonly off: Uint32Array;
  readonly target: Int32Array;
  readonly weight: Float64Array;
  readonly created: Float64Array;
  readonly kind: Uint32Array;
  readonly kindNames: readonly string[];
  /** Reverse CSR (sources of each node, ascending, one entry per edge), built on first use. */
  reverse?: { off: Uint32Array; source: Int32Array };
  /** The SPREAD kernel's inputs (spread-inputs.ts), made on the first SPREAD. */
  spread?: SpreadInputs;
}

/** Newest reader → the base graph of the latest stack it headed (older stacks are dropped). */
const cache = new WeakMap<SegmentReader, BaseGraph>();

/** The resolved base graph of `readers` (newest first), cached. */
export function baseGraph(readers: readonly SegmentReader[]): BaseGraph {
  const head = readers[0];
  if (head === undefined) return emptyBase();
  const hit = cache.get(head);
  if (hit !== undefined && hit.readers.length === readers.length && hit.readers.every((r, i) => r === readers[i])) return hit;
  const segs = readers.map(segmentGraph);
  const built = segs.length === 1 ? fromSegment(segs[0] as SegmentGraph) : mergeSegments(segs);
  cache.set(head, built);
  return built;
}

function emptyBase(): BaseGraph {
  return {
    readers: [], names: [], index: new NameIndex([]), rank: null, off: new Uint32Array(1), target: new Int32Array(0),
    weight: new Float64Array(0), created: new Float64Array(0), kind: new Uint32Array(0), kindNames: [],
  };
}

/** A single segment is the whole stack: nothing older to shadow, so every edge is live. */
function fromSegment(s: SegmentGraph): BaseGraph {
  return {
    readers: [s.reader], names: s.names, index: new NameIndex(s.names), rank: s.jsOrdered ? null : jsRank(s.names),
    off: s.nodeOff, target: s.target, weight: s.weight, created: s.created, kind: s.kind, kindNames: s.kindNames,
  };
}

/** Reverse CSR of a base graph (counting sort by target; sources come out ascending). */
export function reverseOf(b: BaseGraph): { off: Uint32Array; source: Int32Array } {
  if (b.reverse !== undefined) return b.reverse;
  const n = b.names.length;
  const off = new Uint32Array(n + 1);
  const E = b.off[n] as number;
  for (let e = 0; e < E; e++) {
    const t = (b.target[e] as number) + 1;
    off[t] = (off[t] as number) + 1;
  }
  for (let v = 0; v < n; v++) off[v + 1] = (off[v + 1] as number) + (off[v] as number);
  const fill = off.slice(0, n);
  const source = new Int32Array(E);
  for (let u = 0; u < n; u++) {
    for (let e = b.off[u] as number; e < (b.off[u + 1] as number); e++) {
      const t = b.target[e] as number;
      source[fill[t] as number] = u;
      fill[t] = (fill[t] as number) + 1;
    }
  }
  b.reverse = { off, source };
  return b.reverse;
}

interface Union {
  names: string[];
  index: NameIndex;
  jsOrdered: boolean;
  /** l2g[j][local] = global node. */
  l2g: Int32Array[];
  /** g2l[j][global] = local node of segment j, or -1. */
  g2l: Int32Array[];
  kindNames: string[];
  /** kmap[j][segment kind index] = global kind index. */
  kmap: Uint32Array[];
}

function unionOf(segs: readonly SegmentGraph[]): Union {
  const jsOrdered = segs.every((s) => s.jsOrdered);
  const { names, maps: l2g } = mergeSortedNames(segs.map((s) => s.names), jsOrdered);
  const n = names.length;
  const g2l = l2g.map((m) => {
    const inv = new Int32Array(n).fill(-1);
    for (let i = 0; i < m.length; i++) inv[m[i] as number] = i;
    return inv;
  });
  const kinds = [...new Set(segs.flatMap((s) => s.kindNames))];
  const k = sortNames(kinds);
  const kindIndex = indexOf(k.names);
  const kmap = segs.map((s) => Uint32Array.from(s.kindNames, (name) => kindIndex.get(name) as number));
  return { names, index: new NameIndex(names), jsOrdered, l2g, g2l, kindNames: k.names, kmap };
}

/** Output buffers of the merged CSR. */
class CsrOut {
  readonly target: Int32Array;
  readonly weight: Float64Array;
  readonly created: Float64Array;
  readonly kind: Uint32Array;
  len = 0;
  constructor(cap: number) {
    this.target = new Int32Array(cap);
    this.weight = new Float64Array(cap);
    this.created = new Float64Array(cap);
    this.kind = new Uint32Array(cap);
  }
  push(t: number, w: number, c: number, k: number): void {
    const i = this.len++;
    this.target[i] = t;
    this.weight[i] = w;
    this.created[i] = c;
    this.kind[i] = k;
  }
}

/** Several segments: resolve every node's edges across the stack (newest first). */
function mergeSegments(segs: readonly SegmentGraph[]): BaseGraph {
  const u = unionOf(segs);
  const n = u.names.length;
  const L = segs.length;
  // Newest layer tombstoning each node (L = none).
  const tombFirst = new Int32Array(n).fill(L);
  for (let j = L - 1; j >= 0; j--) for (const t of (segs[j] as SegmentGraph).tombstoned) tombFirst[(u.l2g[j] as Int32Array)[t] as number] = j;
  const atByFrom = assocTombstonesByFrom(segs, u);
  let cap = 0;
  for (const s of segs) cap += s.target.length;
  const out = new CsrOut(cap);
  const off = new Uint32Array(n + 1);
  const layers: number[] = [];
  for (let g = 0; g < n; g++) {
    off[g] = out.len;
    layers.length = 0;
    for (let j = 0; j < L; j++) {
      const lu = (u.g2l[j] as Int32Array)[g] as number;
      const s = segs[j] as SegmentGraph;
      if (lu >= 0 && (s.nodeOff[lu + 1] as number) > (s.nodeOff[lu] as number)) layers.push(j);
    }
    if (layers.length === 0) continue;
    const ats = atByFrom.get(g);
    if (layers.length === 1 && ats === undefined) copyOneLayer(segs, u, g, layers[0] as number, tombFirst, out);
    else mergeNode(segs, u, g, layers, tombFirst, ats ?? [], out);
  }
  off[n] = out.len;
  return {
    readers: segs.map((s) => s.reader), names: u.names, index: u.index, rank: u.jsOrdered ? null : jsRank(u.names), off,
    target: out.target.subarray(0, out.len), weight: out.weight.subarray(0, out.len), created: out.created.subarray(0, out.len),
    kind: out.kind.subarray(0, out.len), kindNames: u.kindNames,
  };
}

/** Association tombstones per global `from`: [layer, global to, global kind or -1 (every kind)]. */
function assocTombstonesByFrom(segs: readonly SegmentGraph[], u: Union): Map<number, Array<[number, number, number]>> {
  const m = new Map<number, Array<[number, number, number]>>();
  segs.forEach((s, j) => {
    const l2g = u.l2g[j] as Int32Array;
    const kmap = u.kmap[j] as Uint32Array;
    for (let i = 0; i < s.assocTombFrom.length; i++) {
      const from = l2g[s.assocTombFrom[i] as number] as number;
      const k = s.assocTombKind[i] as number;
      const entry: [number, number, number] = [j, l2g[s.assocTombTo[i] as number] as number, k < 0 ? -1 : (kmap[k] as number)];
      const list = m.get(from);
      if (list === undefined) m.set(from, [entry]);
      else list.push(entry);
    }
  });
  return m;
}

/** Fast case: the node's edges live in one segment and nothing newer names it as a source. */
function copyOneLayer(segs: readonly SegmentGraph[], u: Union, g: number, j: number, tombFirst: Int32Array, out: CsrOut): void {
  if ((tombFirst[g] as number) < j) return;
  const s = segs[j] as SegmentGraph;
  const l2g = u.l2g[j] as Int32Array;
  const kmap = u.kmap[j] as Uint32Array;
  const lu = (u.g2l[j] as Int32Array)[g] as number;
  for (let e = s.nodeOff[lu] as number; e < (s.nodeOff[lu + 1] as number); e++) {
    const t = l2g[s.target[e] as number] as number;
    if ((tombFirst[t] as number) < j) continue;
    out.push(t, s.weight[e] as number, s.created[e] as number, kmap[s.kind[e] as number] as number);
  }
}

/** General case: newest version per (to, kind), killed by newer tombstones; output sorted by (to, kind). */
function mergeNode(
  segs: readonly SegmentGraph[], u: Union, g: number, layers: readonly number[], tombFirst: Int32Array,
  ats: ReadonlyArray<[number, number, number]>, out: CsrOut,
): void {
  const K = u.kindNames.length + 1;
  const seen = new Set<number>();
  const picked: Array<{ key: number; t: number; w: number; c: number; k: number }> = [];
  for (const j of layers) {
    const s = segs[j] as SegmentGraph;
    const l2g = u.l2g[j] as Int32Array;
    const kmap = u.kmap[j] as Uint32Array;
    const lu = (u.g2l[j] as Int32Array)[g] as number;
    for (let e = s.nodeOff[lu] as number; e < (s.nodeOff[lu + 1] as number); e++) {
      const t = l2g[s.target[e] as number] as number;
      const k = kmap[s.kind[e] as number] as number;
      const key = t * K + k;
      if (seen.has(key)) continue;
      seen.add(key);
      if ((tombFirst[g] as number) < j || (tombFirst[t] as number) < j) continue;
      if (ats.some(([aj, at, ak]) => aj < j && at === t && (ak < 0 || ak === k))) continue;
      picked.push({ key, t, w: s.weight[e] as number, c: s.created[e] as number, k });
    }
  }
  picked.sort((a, b) => a.key - b.key);
  for (const p of picked) out.push(p.t, p.w, p.c, p.k);
}
