/**
 * AssociationGraph: the association graph of one space at one snapshot, as dense integer nodes
 * over the cached per-segment CSR (docs/graph.md). Implements the cognitive SpreadGraph interface
 * (neighbours, fan = out-degree) plus reverse edges and counts, with exactly the store's reading:
 * nodes the memtable touches as a source are resolved through `snapshot.associationsFrom`, all
 * others straight from the resolved segment CSR. Neighbour lists are ordered by (to, kind).
 */
import { MnemoError } from '@mnemo/native';
import type { SpreadGraph } from '../cognitive/spread.js';
import { compareIds } from '../storage/memtable/index.js';
import type { Snapshot } from '../storage/store/types.js';
import { baseGraph, reverseOf, type BaseGraph } from './base-graph.js';
import { snapshotLayers, type MemtableEdges } from './snapshot-layers.js';

export interface AssociationGraphOptions {
  /** AS OF: only associations whose valid time `created` is ≤ asOf (ms). Default: all. */
  asOf?: number;
  /** Base-level activation per memory, reported by SPREAD next to the spread activation. */
  baseLevel?: (id: string) => number;
}

export interface GraphEdge {
  to: string;
  kind: string;
  weight: number;
  created: number;
}

export interface GraphInEdge {
  from: string;
  kind: string;
  weight: number;
  created: number;
}

/** One node's out-edges as array ranges (the spreading kernel's view): entries [start, end). */
export interface Adjacency {
  target: Int32Array;
  weight: Float64Array;
  created: Float64Array;
  kind: Uint32Array;
  kindNames: readonly string[];
  start: number;
  end: number;
}

/** The graph as the SPREAD kernel sees it (AssociationGraph.spreadView); live references. */
export interface SpreadView {
  readonly base: BaseGraph;
  readonly slowAll: boolean;
  readonly slow: ReadonlySet<number>;
  readonly extra: readonly string[];
  readonly resolved: ReadonlyMap<number, Adjacency>;
}

const EMPTY: Adjacency = {
  target: new Int32Array(0), weight: new Float64Array(0), created: new Float64Array(0), kind: new Uint32Array(0),
  kindNames: [], start: 0, end: 0,
};

export class AssociationGraph implements SpreadGraph {
  readonly baseLevel?: (id: string) => number;
  /** Valid-time cut-off (Infinity = none). */
  readonly asOf: number;
  private readonly base: BaseGraph;
  private readonly nBase: number;
  private readonly extra: string[] = [];
  private readonly extraIndex = new Map<string, number>();
  private readonly memtable: MemtableEdges | null;
  /** Nodes resolved through the snapshot (memtable sources); null = every node (unknown memtable). */
  private readonly slow: Set<number> | null;
  private readonly slowCache = new Map<number, Adjacency>();
  private view: SpreadView | undefined;

  constructor(private readonly snapshot: Snapshot, readonly space: string, opts: AssociationGraphOptions = {}) {
    const layers = snapshotLayers(snapshot, space);
    this.base = baseGraph(layers.readers);
    this.nBase = this.base.names.length;
    this.memtable = layers.memtable;
    this.asOf = opts.asOf ?? Number.POSITIVE_INFINITY;
    if (Number.isNaN(this.asOf)) throw new MnemoError('INVALID_ARGUMENT', 'association graph asOf must be a time in ms, got NaN');
    if (opts.baseLevel !== undefined) this.baseLevel = opts.baseLevel;
    if (this.memtable === null) this.slow = null;
    else {
      this.slow = new Set();
      for (const s of this.memtable.sources) this.slow.add(this.intern(s));
      for (const t of this.memtable.targets) this.intern(t);
    }
  }

  /** Number of dense nodes: every id named by an association or tombstone (plus memtable ids). */
  get nodeCount(): number {
    return this.nBase + this.extra.length;
  }

  /** Dense node of a memory id, or -1 when no association or tombstone names it. */
  nodeId(id: string): number {
    const u = this.base.index.get(id);
    return u >= 0 ? u : (this.extraIndex.get(id) ?? -1);
  }

  nodeName(node: number): string {
    const name = node < this.nBase ? this.base.names[node] : this.extra[node - this.nBase];
    if (name === undefined) throw new MnemoError('INVALID_ARGUMENT', `association graph has no node ${node} (nodeCount ${this.nodeCount})`);
    return name;
  }

  /** Throws RELEASED when the snapshot was released. */
  checkLive(): void {
    this.snapshot.assertLive();
  }

  /**
   * What the SPREAD kernel needs beyond the base CSR (graph/spread-overlay.ts): the resolved
   * segment graph, whether every node is slow (unknown memtable), the slow nodes (memtable
   * sources), the memtable-only ids numbered after the segment nodes, and the slow nodes
   * resolved so far (`adjacency` resolves and caches one).
   */
  spreadView(): SpreadView {
    this.view ??= { base: this.base, slowAll: this.slow === null, slow: this.slow ?? new Set(), extra: this.extra, resolved: this.slowCache };
    return this.view;
  }

  /** Out-edges of `node` (before the asOf filter, which callers apply per edge). */
  adjacency(node: number): Adjacency {
    if (this.slow === null || this.slow.has(node)) return this.slowEdges(node);
    if (node >= this.nBase) return EMPTY;
    const b = this.base;
    return {
      target: b.target, weight: b.weight, created: b.created, kind: b.kind, kindNames: b.kindNames,
      start: b.off[node] as number, end: b.off[node + 1] as number,
    };
  }

  /** Out-degree of `node` at asOf (its fan). */
  fanOf(node: number): number {
    const a = this.adjacency(node);
    if (this.asOf === Number.POSITIVE_INFINITY) return a.end - a.start;
    let n = 0;
    for (let e = a.start; e < a.end; e++) if ((a.created[e] as number) <= this.asOf) n++;
    return n;
  }

  // ---- SpreadGraph --------------------------------------------------------------------------

  neighbors(id: string): Array<{ to: string; weight: number }> {
    return this.edges(id).map((e) => ({ to: e.to, weight: e.weight }));
  }

  fan(id: string): number {
    this.checkLive();
    const u = this.nodeId(id);
    return u < 0 ? 0 : this.fanOf(u);
  }

  // ---- more reads ---------------------------------------------------------------------------

  /** Live out-edges of `id` ordered by (to, kind), as `snapshot.associationsFrom` (asOf applied). */
  edges(id: string): GraphEdge[] {
    this.checkLive();
    const u = this.nodeId(id);
    if (u < 0) return [];
    const a = this.adjacency(u);
    const out: GraphEdge[] = [];
    for (let e = a.start; e < a.end; e++) {
      const created = a.created[e] as number;
      if (created > this.asOf) continue;
      out.push({ to: this.nodeName(a.target[e] as number), kind: a.kindNames[a.kind[e] as number] as string, weight: a.weight[e] as number, created });
    }
    return out;
  }

  /** Live in-edges of `id` ordered by (from, kind), as `snapshot.associationsTo` (asOf applied). */
  neighborsIn(id: string): GraphInEdge[] {
    this.checkLive();
    const t = this.nodeId(id);
    if (t < 0) return [];
    const candidates = new Set<number>();
    if (t < this.nBase) {
      const r = reverseOf(this.base);
      for (let i = r.off[t] as number; i < (r.off[t + 1] as number); i++) candidates.add(r.source[i] as number);
    }
    if (this.memtable === null) for (const a of this.snapshot.associationsTo(this.space, id)) candidates.add(this.intern(a.from));
    else for (const s of this.memtable.sourcesOf(id)) candidates.add(this.intern(s));
    const sources = [...candidates].map((s) => this.nodeName(s)).sort(compareIds);
    const out: GraphInEdge[] = [];
    for (const from of sources) {
      const a = this.adjacency(this.nodeId(from));
      for (let e = a.start; e < a.end; e++) {
        const created = a.created[e] as number;
        if (a.target[e] !== t || created > this.asOf) continue;
        out.push({ from, kind: a.kindNames[a.kind[e] as number] as string, weight: a.weight[e] as number, created });
      }
    }
    return out;
  }

  /** Number of live associations of the space at asOf (walks every node once). */
  edgeCount(): number {
    this.checkLive();
    let n = 0;
    for (let u = 0; u < this.nodeCount; u++) n += this.fanOf(u);
    return n;
  }

  // ---- internals ----------------------------------------------------------------------------

  /** Node of `id`, appending a new one past the segment nodes when needed. */
  private intern(id: string): number {
    const u = this.nodeId(id);
    if (u >= 0) return u;
    const n = this.nBase + this.extra.length;
    this.extra.push(id);
    this.extraIndex.set(id, n);
    return n;
  }

  /** A node resolved through the snapshot's LSM read rules (memtable overlay), cached. */
  private slowEdges(node: number): Adjacency {
    const hit = this.slowCache.get(node);
    if (hit !== undefined) return hit;
    const list = this.snapshot.associationsFrom(this.space, this.nodeName(node));
    const kindNames: string[] = [];
    const kindIndex = new Map<string, number>();
    const adj: Adjacency = {
      target: new Int32Array(list.length), weight: new Float64Array(list.length), created: new Float64Array(list.length),
      kind: new Uint32Array(list.length), kindNames, start: 0, end: list.length,
    };
    list.forEach((a, i) => {
      adj.target[i] = this.intern(a.to);
      adj.weight[i] = a.weight;
      adj.created[i] = a.created;
      let k = kindIndex.get(a.kind);
      if (k === undefined) kindIndex.set(a.kind, (k = kindNames.push(a.kind) - 1));
      adj.kind[i] = k;
    });
    this.slowCache.set(node, adj);
    return adj;
  }
}

/** The association graph of `space` at `snapshot` (see AssociationGraph). */
export function associationGraph(snapshot: Snapshot, space: string, opts: AssociationGraphOptions = {}): AssociationGraph {
  return new AssociationGraph(snapshot, space, opts);
}
