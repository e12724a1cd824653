/**
 * SPREAD kernel over a dense CSR association graph (docs/graph.md §5): per source the best
 * max-product path of ≤ maxHops hops, decay per hop, fan factor from a table, threshold pruning, a
 * node budget, sources summed in the order given, compact typed-array results. `spreadKernel`
 * picks the C++ kernel (src/cpp/spread_kernel.cc) or the TypeScript twin (spread-js.ts, used
 * when MNEMO_NATIVE=0 or the addon is missing); both give bit-identical results.
 */
import { addon, loadAddonForce } from './addon.js';
import { MnemoError } from './errors.js';
import type { ErrorCode } from './errors.js';
import { JsSpreadKernel } from './spread-js.js';

/** The graph: edges of node u are [off[u], off[u+1]) of target/weight/created. */
export interface SpreadCsr {
  off: Uint32Array;
  target: Int32Array;
  weight: Float64Array;
  created: Float64Array;
  /** Tie order key of each node (JS string order of the ids); null = node number order. */
  rank: Int32Array | null;
}

/**
 * Adjacency replacing the CSR for *slow* nodes (every node when slowAll; else the ascending `slow`
 * list), and for nodes ≥ nodeCount (extra nodes, numbered after the CSR's). The overlay's own CSR
 * is indexed by position in the ascending `nodes`; a slow node missing from it is reported in the
 * result (status 'missing') and treated as having no edges.
 */
export interface SpreadOverlay {
  slowAll: boolean;
  slow: Int32Array;
  nodes: Int32Array;
  off: Uint32Array;
  target: Int32Array;
  weight: Float64Array;
  created: Float64Array;
  /** Tie order key of extra node nodeCount + i (distinct, consistent with the CSR's rank). */
  extraKey: Float64Array;
}

export interface SpreadParams {
  maxHops: number;
  decay: number;
  threshold: number;
  /** Rows kept (may be Infinity). */
  limit: number;
  /** Neighbour examinations allowed; one more ends the run with status 'maxNodes'. */
  maxNodes: number;
  /** Edges with created > asOf are invisible (Infinity: all). */
  asOf: number;
  /** fanFactor[fan] for every fan a node can have. */
  fanFactor: Float64Array;
  /** Called with the visit count at each multiple of 256 (≤ maxNodes); may throw to abort. */
  tick: ((visits: number) => void) | null;
}

export type SpreadStatus = 'ok' | 'maxNodes' | 'missing';

/**
 * Results, valid until the kernel's next run. `ints` holds node[count] at 0, hops[count] at
 * hopsAt, pathOff[count + 1] at pathOffAt (status 'ok' only), the paths (source first, node last;
 * row i is path[pathOff[i] .. pathOff[i+1])) at pathAt, missing slow nodes at missingAt.
 */
export interface SpreadKernelResult {
  status: SpreadStatus;
  visits: number;
  count: number;
  ints: Int32Array;
  activation: Float64Array;
  hopsAt: number;
  pathOffAt: number;
  pathAt: number;
  missingAt: number;
  missingCount: number;
}

export interface SpreadKernel {
  readonly backend: 'native' | 'js';
  /** Spreads from distinct `sources` (summed in this order); rows by activation desc, then key. */
  run(sources: Int32Array, overlay: SpreadOverlay | null, params: SpreadParams): SpreadKernelResult;
}

const STATUS: readonly SpreadStatus[] = ['ok', 'maxNodes', 'missing'];

/** Layout offsets of a result (shared by both kernels). */
export function resultLayout(r: SpreadKernelResult, count: number, pathLen: number, missingCount: number): void {
  r.count = count;
  r.hopsAt = count;
  r.pathOffAt = 2 * count;
  r.pathAt = r.pathOffAt + (r.status === 'ok' ? count + 1 : 0);
  r.missingAt = r.pathAt + pathLen;
  r.missingCount = missingCount;
}

interface NativeHandle {
  setOverlay(...args: unknown[]): void;
  run(sources: Int32Array, params: Float64Array, ff: Float64Array, tick: ((v: number) => void) | null, ints: Int32Array, dbls: Float64Array): boolean;
  fetch(ints: Int32Array, dbls: Float64Array): boolean;
}

/** Native errors carry "CODE: message". */
function translated<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    const m = e instanceof Error && !(e instanceof MnemoError) ? /^([A-Z_]+): (.*)$/s.exec(e.message) : null;
    if (m !== null) throw new MnemoError(m[1] as ErrorCode, m[2] as string);
    throw e;
  }
}

class NativeSpreadKernel implements SpreadKernel {
  readonly backend = 'native';
  private readonly handle: NativeHandle;
  private readonly meta = new Float64Array(8);
  private readonly params = new Float64Array(6);
  private overlay: SpreadOverlay | null = null;
  private readonly result: SpreadKernelResult = {
    status: 'ok', visits: 0, count: 0, ints: new Int32Array(4096), activation: new Float64Array(1024),
    hopsAt: 0, pathOffAt: 0, pathAt: 0, missingAt: 0, missingCount: 0,
  };

  constructor(ctor: new (...args: unknown[]) => NativeHandle, g: SpreadCsr) {
    this.handle = translated(() => new ctor(g.off, g.target, g.weight, g.created, g.rank, this.meta));
  }

  run(sources: Int32Array, overlay: SpreadOverlay | null, p: SpreadParams): SpreadKernelResult {
    if (overlay !== this.overlay) {
      const o = overlay;
      this.overlay = null; // the handle drops its overlay first, also when the new one is refused
      translated(() => (o === null ? this.handle.setOverlay(null) : this.handle.setOverlay(o.slowAll, o.slow, o.nodes, o.off, o.target, o.weight, o.created, o.extraKey)));
      this.overlay = overlay;
    }
    const q = this.params;
    q[0] = p.maxHops; q[1] = p.decay; q[2] = p.threshold; q[3] = p.limit; q[4] = p.maxNodes; q[5] = p.asOf;
    const r = this.result;
    const fits = translated(() => this.handle.run(sources, q, p.fanFactor, p.tick, r.ints, r.activation));
    const m = this.meta;
    if (!fits) {
      r.ints = new Int32Array(Math.max(2 * r.ints.length, m[5] as number));
      r.activation = new Float64Array(Math.max(2 * r.activation.length, m[6] as number));
      this.handle.fetch(r.ints, r.activation);
    }
    r.status = STATUS[m[0] as number] as SpreadStatus;
    r.visits = m[1] as number;
    resultLayout(r, m[2] as number, m[3] as number, m[4] as number);
    return r;
  }
}

/** The SPREAD kernel of the active backend (or the one named) over `graph`. */
export function spreadKernel(graph: SpreadCsr, backend?: 'native' | 'js'): SpreadKernel {
  const a = backend === undefined ? addon : backend === 'native' ? loadAddonForce() : null;
  if (backend === 'native' && a === null) throw new MnemoError('NOT_SUPPORTED', 'the @mnemo/native addon is not built or cannot be loaded');
  const ctor = a?.SpreadHandle as (new (...args: unknown[]) => NativeHandle) | undefined;
  if (a !== null && ctor === undefined && backend === 'native') throw new MnemoError('NOT_SUPPORTED', 'the @mnemo/native addon is out of date (no SpreadHandle); rebuild it');
  return ctor !== undefined ? new NativeSpreadKernel(ctor, graph) : new JsSpreadKernel(graph);
}
