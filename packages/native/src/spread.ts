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
  /**
   * Wall-clock milliseconds this call may run, measured by the kernel from its start on a
   * monotonic clock and checked at the same points as `tick` (no call into JavaScript): past it
   * the run ends with status 'timeLimit'. Infinity: no limit.
   */
  timeLimitMs: number;
}

export type SpreadStatus = 'ok' | 'maxNodes' | 'missing' | 'timeLimit';

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

/** By the C++ status numbers (spread_kernel.h). */
const STATUS: readonly SpreadStatus[] = ['ok', 'maxNodes', 'missing', 'timeLimit'];

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
  setFan(ff: Float64Array): void;
  io(ints: number, dbls: number): ArrayBuffer;
  runner(): (tick: ((v: number) => void) | null) => void;
  fetch(): boolean;
}

/** Native errors carry "CODE: message". */
function translated(e: unknown): unknown {
  const m = e instanceof Error && !(e instanceof MnemoError) ? /^([A-Z_]+): (.*)$/s.exec(e.message) : null;
  return m !== null ? new MnemoError(m[1] as ErrorCode, m[2] as string) : e;
}

/** Words of the IO block header (spread.cc): results 0..7, parameters 8..15. */
const HEADER = 16;

/**
 * The C++ kernel behind one N-API call per query with one argument (the tick): parameters,
 * sources and results travel through the handle's IO block, typed-array views over memory the
 * handle owns (a query that starts with cold caches then touches few V8 objects).
 */
class NativeSpreadKernel implements SpreadKernel {
  readonly backend = 'native';
  private readonly handle: NativeHandle;
  private readonly runNative: (tick: ((v: number) => void) | null) => void;
  private overlay: SpreadOverlay | null = null;
  private fan: Float64Array | null = null;
  private header = new Float64Array(HEADER);
  private readonly result: SpreadKernelResult = {
    status: 'ok', visits: 0, count: 0, ints: new Int32Array(0), activation: new Float64Array(0),
    hopsAt: 0, pathOffAt: 0, pathAt: 0, missingAt: 0, missingCount: 0,
  };

  constructor(ctor: new (...args: unknown[]) => NativeHandle, g: SpreadCsr) {
    try {
      this.handle = new ctor(g.off, g.target, g.weight, g.created, g.rank);
    } catch (e) {
      throw translated(e);
    }
    this.runNative = this.handle.runner();
    this.attach(4096, 1024);
  }

  /** A new IO block of `ints` int32 and `dbls` float64 result slots, and views over it. */
  private attach(ints: number, dbls: number): void {
    const buf = this.handle.io(ints, dbls);
    this.header = new Float64Array(buf, 0, HEADER);
    this.result.activation = new Float64Array(buf, 8 * HEADER, dbls);
    this.result.ints = new Int32Array(buf, 8 * (HEADER + dbls), ints);
  }

  run(sources: Int32Array, overlay: SpreadOverlay | null, p: SpreadParams): SpreadKernelResult {
    const r = this.result;
    try {
      if (overlay !== this.overlay) {
        this.overlay = null; // the handle drops its overlay first, also when the new one is refused
        if (overlay === null) this.handle.setOverlay(null);
        else this.handle.setOverlay(overlay.slowAll, overlay.slow, overlay.nodes, overlay.off, overlay.target, overlay.weight, overlay.created, overlay.extraKey);
        this.overlay = overlay;
      }
      if (p.fanFactor !== this.fan) {
        this.handle.setFan(p.fanFactor);
        this.fan = p.fanFactor;
      }
      if (sources.length > r.ints.length) this.attach(Math.max(2 * r.ints.length, sources.length), r.activation.length);
      const h = this.header;
      h[8] = p.maxHops; h[9] = p.decay; h[10] = p.threshold; h[11] = p.limit; h[12] = p.maxNodes; h[13] = p.asOf; h[14] = sources.length;
      h[15] = p.timeLimitMs;
      const ints = r.ints;
      for (let i = 0; i < sources.length; i++) ints[i] = sources[i] as number;
      this.runNative(p.tick);
      if (h[7] === 0) {
        this.attach(Math.max(2 * r.ints.length, h[5] as number), Math.max(2 * r.activation.length, h[6] as number));
        const m = this.header;
        for (let i = 0; i < 8; i++) m[i] = h[i] as number;
        this.handle.fetch();
      }
    } catch (e) {
      throw translated(e);
    }
    const m = this.header;
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
