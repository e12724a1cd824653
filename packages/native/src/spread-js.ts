/**
 * The TypeScript twin of the C++ SPREAD kernel (src/cpp/spread_kernel.cc; docs/graph.md §5), used
 * when MNEMO_NATIVE=0 or the addon is missing. Same contract (spread.ts), same checks, the same
 * floating-point operations in the same order, so both give bit-identical results.
 */
import { MnemoError } from './errors.js';
import { resultLayout, type SpreadCsr, type SpreadKernel, type SpreadKernelResult, type SpreadOverlay, type SpreadParams } from './spread.js';
import { NodeTable, sortNodesBy } from './spread-table.js';

const bad = (what: string): MnemoError => new MnemoError('INVALID_ARGUMENT', what);

/** Checks a CSR as the C++ does; returns its largest out-degree. */
function checkCsr(off: Uint32Array, target: Int32Array, wLen: number, cLen: number, nodeLimit: number, what: string): number {
  if (off.length < 1 || off[0] !== 0) throw bad(`${what}: offsets must start with 0`);
  let maxDeg = 0;
  for (let i = 1; i < off.length; i++) {
    const d = (off[i] as number) - (off[i - 1] as number);
    if (d < 0) throw bad(`${what}: offsets must not decrease`);
    if (d > maxDeg) maxDeg = d;
  }
  const edges = off[off.length - 1] as number;
  if (edges > target.length || edges > wLen || edges > cLen) throw bad(`${what}: offsets point past the edge arrays`);
  for (let e = 0; e < edges; e++) {
    const t = target[e] as number;
    if (t < 0 || t >= nodeLimit) throw bad(`${what}: edge target out of range`);
  }
  return maxDeg;
}

function checkOverlay(o: SpreadOverlay, limit: number): void {
  if (o.off.length !== o.nodes.length + 1) throw bad('SPREAD overlay: overlay offsets must have one entry per node plus one');
  checkCsr(o.off, o.target, o.weight.length, o.created.length, limit, 'SPREAD overlay');
  for (const list of [o.slow, o.nodes]) {
    for (let i = 0; i < list.length; i++) {
      const v = list[i] as number;
      if (v < 0 || v >= limit || (i > 0 && v <= (list[i - 1] as number))) throw bad('SPREAD overlay: overlay node lists must be ascending valid nodes');
    }
  }
}

/** Position of v in ascending `sorted`, or −1. */
function indexIn(sorted: Int32Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === v ? lo : -1;
}

function contains(sorted: Int32Array, v: number): boolean {
  return indexIn(sorted, v) >= 0;
}

export class JsSpreadKernel implements SpreadKernel {
  readonly backend = 'js';
  private readonly n: number;
  /** Per-source reach (a: activation, hops, path entry, mark: hop of the last improvement). */
  private readonly per = new NodeTable();
  /** Per-call totals (a: sum over sources, b/hops/path: the best single-source reach). */
  private readonly tot = new NodeTable();
  private arenaNode = new Int32Array(1024);
  private arenaPrev = new Int32Array(1024);
  private arenaLen = 0;
  private missing: number[] = [];
  private visits = 0;
  private overlay: SpreadOverlay | null = null;
  // Adjacency of the node being expanded (set by adjacency()).
  private aTarget: Int32Array;
  private aWeight: Float64Array;
  private aCreated: Float64Array;
  private aStart = 0;
  private aEnd = 0;
  private readonly result: SpreadKernelResult = {
    status: 'ok', visits: 0, count: 0, ints: new Int32Array(0), activation: new Float64Array(0),
    hopsAt: 0, pathOffAt: 0, pathAt: 0, missingAt: 0, missingCount: 0,
  };

  constructor(private readonly g: SpreadCsr) {
    this.n = g.off.length === 0 ? 0 : g.off.length - 1;
    checkCsr(g.off, g.target, g.weight.length, g.created.length, this.n, 'SPREAD graph');
    if (g.rank !== null && g.rank.length < this.n) throw bad('SPREAD graph: rank must have one entry per node');
    this.aTarget = g.target;
    this.aWeight = g.weight;
    this.aCreated = g.created;
  }

  run(sources: Int32Array, overlay: SpreadOverlay | null, p: SpreadParams): SpreadKernelResult {
    if (overlay !== this.overlay) {
      if (overlay !== null) checkOverlay(overlay, this.n + overlay.extraKey.length);
      this.overlay = overlay;
    }
    const limit = this.n + (overlay?.extraKey.length ?? 0);
    for (const s of sources) if (s < 0 || s >= limit) throw bad('SPREAD source node out of range');
    if (!(p.maxHops >= 0 && p.maxHops <= 1e6 && Number.isInteger(p.maxHops))) throw bad('SPREAD maxHops must be an integer in [0, 1e6]');
    const r = this.result;
    this.visits = 0;
    this.missing = [];
    this.arenaLen = 0;
    this.tot.reset();
    if (Number.isNaN(p.timeLimitMs)) throw bad('SPREAD timeLimitMs must be a number');
    const srcSorted = Int32Array.from(sources).sort();
    this.deadline = p.timeLimitMs === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : performance.now() + Math.max(0, p.timeLimitMs);
    r.status = 'ok';
    for (const s of sources) {
      const st = this.spreadOne(s, p);
      if (st !== 'ok') return this.finish(st, 0, 0);
      this.accumulate(srcSorted);
    }
    if (this.missing.length > 0) return this.finish('missing', 0, 0);
    return this.rows(p);
  }

  /** Adds the per-source table into the totals (sources themselves excluded). */
  private accumulate(srcSorted: Int32Array): void {
    const { per, tot } = this;
    for (let i = 0; i < per.size; i++) {
      const ps = per.slots[i] as number;
      const v = per.keys[ps] as number;
      if (contains(srcSorted, v)) continue;
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

  private ffSeen: Float64Array | null = null;
  /** performance.now() past which the current run stops ('timeLimit'); Infinity: none. */
  private deadline = Number.POSITIVE_INFINITY;
  private ffMax = 0;
  /** The table's maximum, cached per table. */
  private fanFactorMax(ff: Float64Array): number {
    if (ff !== this.ffSeen) {
      this.ffMax = 0;
      for (const f of ff) this.ffMax = Math.max(this.ffMax, f);
      this.ffSeen = ff;
    }
    return this.ffMax;
  }

  private key(u: number): number {
    if (u < this.n) return this.g.rank === null ? u : (this.g.rank[u] as number);
    return (this.overlay as SpreadOverlay).extraKey[u - this.n] as number;
  }

  private push(node: number, prev: number): number {
    if (this.arenaLen === this.arenaNode.length) {
      const n = new Int32Array(this.arenaLen * 2); n.set(this.arenaNode); this.arenaNode = n;
      const q = new Int32Array(this.arenaLen * 2); q.set(this.arenaPrev); this.arenaPrev = q;
    }
    this.arenaNode[this.arenaLen] = node;
    this.arenaPrev[this.arenaLen] = prev;
    return this.arenaLen++;
  }

  /** Sets aTarget/aWeight/aCreated/aStart/aEnd to u's edges (none for a missing slow node). */
  private adjacency(u: number): void {
    const o = this.overlay;
    if (o === null || !(o.slowAll || (o.slow.length > 0 && contains(o.slow, u)))) {
      this.aTarget = this.g.target; this.aWeight = this.g.weight; this.aCreated = this.g.created;
      this.aStart = u < this.n ? (this.g.off[u] as number) : 0;
      this.aEnd = u < this.n ? (this.g.off[u + 1] as number) : 0;
      return;
    }
    this.aTarget = o.target; this.aWeight = o.weight; this.aCreated = o.created;
    const pos = indexIn(o.nodes, u);
    if (pos >= 0) {
      this.aStart = o.off[pos] as number;
      this.aEnd = o.off[pos + 1] as number;
      return;
    }
    this.aStart = this.aEnd = 0;
    if (!this.missing.includes(u)) this.missing.push(u);
  }

  /**
   * Hop-layered max-product relaxation from source `s` (hot kernel; the C++ SpreadOne is the same
   * loop). On 'ok', `per` holds s's reach for every node it recorded (s included).
   */
  private spreadOne(s: number, p: SpreadParams): 'ok' | 'maxNodes' | 'timeLimit' {
    const { per } = this;
    const timeless = p.asOf === Number.POSITIVE_INFINITY;
    const thr = p.threshold;
    const ff = p.fanFactor;
    const ffMax = this.fanFactorMax(ff);
    per.reset();
    const p0 = this.push(s, -1);
    const s0 = per.add(s);
    per.a[s0] = 1; per.hops[s0] = 0; per.path[s0] = p0;
    let frontier: Int32Array = Int32Array.of(s);
    let fAct: Float64Array = Float64Array.of(1);
    let fPath: Int32Array = Int32Array.of(p0);
    for (let hop = 1; hop <= p.maxHops && frontier.length > 0; hop++) {
      const improved: number[] = [];
      for (let i = 0; i < frontier.length; i++) {
        const u = frontier[i] as number;
        // Cannot pass the threshold even with the largest fan factor: skipped unread (as in C++).
        if ((fAct[i] as number) * p.decay * ffMax < thr) continue;
        this.adjacency(u);
        const { aTarget: target, aWeight: weight, aCreated: created, aStart: start, aEnd: end } = this;
        let fan = end - start;
        if (!timeless) {
          fan = 0;
          for (let e = start; e < end; e++) if ((created[e] as number) <= p.asOf) fan++;
        }
        if (fan >= ff.length) throw bad('SPREAD fan factor table is shorter than a node\'s fan');
        const out = (fAct[i] as number) * p.decay * (ff[fan] as number);
        if (out < thr) continue;
        const uPath = fPath[i] as number;
        const uKey = this.key(u);
        for (let e = start; e < end; e++) {
          if (!timeless && (created[e] as number) > p.asOf) continue;
          const visits = ++this.visits;
          if (visits > p.maxNodes) return 'maxNodes';
          if (visits % 256 === 0) {
            if (p.tick !== null) p.tick(visits);
            if (this.deadline !== Number.POSITIVE_INFINITY && performance.now() > this.deadline) return 'timeLimit';
          }
          const we = weight[e] as number;
          const w = we > 0 ? (we < 1 ? we : 1) : 0;
          const cand = out * w;
          const v = target[e] as number;
          if (!(cand >= thr) || !(cand > 0) || v === s) continue;
          const before = per.size;
          const r = per.add(v);
          if (per.size === before) {
            const cur = per.a[r] as number;
            if (!(cand > cur || (cand === cur && hop === per.hops[r] && uKey < this.key(this.arenaNode[this.arenaPrev[per.path[r] as number] as number] as number)))) continue;
          }
          per.a[r] = cand; per.hops[r] = hop; per.path[r] = this.push(v, uPath);
          if (per.mark[r] !== hop) {
            per.mark[r] = hop;
            improved.push(v);
          }
        }
      }
      if (hop === p.maxHops) break; // the last frontier is never expanded
      frontier = sortNodesBy(new Int32Array(improved), (a, b) => this.key(a) < this.key(b));
      fAct = new Float64Array(frontier.length);
      fPath = new Int32Array(frontier.length);
      for (let i = 0; i < frontier.length; i++) {
        const r = per.find(frontier[i] as number);
        fAct[i] = per.a[r] as number;
        fPath[i] = per.path[r] as number;
      }
    }
    return 'ok';
  }

  /** Rows above the threshold, by activation desc then key, limited, in the result layout. */
  private rows(p: SpreadParams): SpreadKernelResult {
    const { tot } = this;
    const kept: number[] = [];
    for (let i = 0; i < tot.size; i++) {
      const ts = tot.slots[i] as number;
      if ((tot.a[ts] as number) >= p.threshold) kept.push(ts);
    }
    const keys = tot.keys;
    const total = tot.a;
    const keep = sortNodesBy(new Int32Array(kept), (x, y) => {
      const tx = total[x] as number;
      const ty = total[y] as number;
      return tx > ty || (tx === ty && this.key(keys[x] as number) < this.key(keys[y] as number));
    });
    const n = Math.min(keep.length, p.limit);
    const path: number[] = [];
    const pathOff = [0];
    for (let i = 0; i < n; i++) {
      const at = path.length;
      for (let q = tot.path[keep[i] as number] as number; q >= 0; q = this.arenaPrev[q] as number) path.push(this.arenaNode[q] as number);
      for (let a = at, b = path.length - 1; a < b; a++, b--) [path[a], path[b]] = [path[b] as number, path[a] as number];
      pathOff.push(path.length);
    }
    const r = this.finish('ok', n, path.length);
    for (let i = 0; i < n; i++) {
      const ts = keep[i] as number;
      r.ints[i] = keys[ts] as number;
      r.ints[r.hopsAt + i] = tot.hops[ts] as number;
      r.activation[i] = total[ts] as number;
    }
    r.ints.set(pathOff, r.pathOffAt);
    r.ints.set(path, r.pathAt);
    return r;
  }

  /** Sets status and layout, sizing the buffers; writes the missing list. */
  private finish(status: SpreadKernelResult['status'], count: number, pathLen: number): SpreadKernelResult {
    const r = this.result;
    r.status = status;
    r.visits = this.visits;
    const missing = status === 'ok' ? [] : this.missing;
    resultLayout(r, count, pathLen, missing.length);
    const need = r.missingAt + missing.length;
    if (r.ints.length < need) r.ints = new Int32Array(Math.max(need, 2 * r.ints.length));
    if (r.activation.length < count) r.activation = new Float64Array(Math.max(count, 2 * r.activation.length));
    r.ints.set(missing, r.missingAt);
    return r;
  }
}
