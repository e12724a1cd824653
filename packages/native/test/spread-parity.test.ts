/**
 * Parity of the C++ SPREAD kernel (src/cpp/spread_kernel.cc) and its TypeScript twin
 * (src/spread-js.ts) on random CSR graphs full of cycles and exact ties: identical status, visits,
 * rows (activation bit for bit), paths, missing slow nodes, tick calls and errors
 * (docs/graph.md §5). Also checks a hand-computed spread and the native RELEASED check.
 */
import { describe, expect, it } from 'vitest';
import { MnemoError, spreadKernel, type SpreadCsr, type SpreadKernelResult, type SpreadOverlay, type SpreadParams } from '../src/index.js';
import { rng } from './helpers.js';
import { fanTable, hasNativeSpread as hasNative, permutation } from './spread-helpers.js';

const WEIGHTS = [1, 0.5, 0.25, 0.8, 2, -1, 0];

function randomCsr(r: () => number, n: number, avgDeg: number, nodeLimit: number, weights = WEIGHTS): { off: Uint32Array; target: Int32Array; weight: Float64Array; created: Float64Array } {
  const off = new Uint32Array(n + 1);
  for (let u = 0; u < n; u++) off[u + 1] = (off[u] as number) + Math.floor(r() * 2 * avgDeg);
  const e = off[n] as number;
  const target = Int32Array.from({ length: e }, () => Math.floor(r() * nodeLimit));
  const weight = Float64Array.from({ length: e }, () => weights[Math.floor(r() * weights.length)] as number);
  const created = Float64Array.from({ length: e }, () => Math.floor(r() * 4));
  return { off, target, weight, created };
}

function randomOverlay(r: () => number, n: number, extra: number, rank: Int32Array | null): SpreadOverlay {
  const limit = n + extra;
  const pick = (p: number): Int32Array => Int32Array.from({ length: limit }, (_, i) => i).filter(() => r() < p);
  const slow = pick(0.3);
  const nodes = slow.filter(() => r() < 0.8);
  const c = randomCsr(r, nodes.length, 3, limit);
  const keys = permutation(r, n + extra);
  // Extra keys between the base keys (base keys are rank or node number).
  const extraKey = Float64Array.from({ length: extra }, (_, i) => (keys[n + i] as number) % (n + 1) - 0.5 + i / (4 * extra + 4));
  void rank;
  return { slowAll: r() < 0.1, slow, nodes, ...c, extraKey };
}

function randomParams(r: () => number, ff: Float64Array): SpreadParams {
  return {
    maxHops: Math.floor(r() * 6),
    decay: [1, 0.5, 0.9][Math.floor(r() * 3)] as number,
    threshold: [0, 0.001, 0.05, 0.3][Math.floor(r() * 4)] as number,
    limit: r() < 0.3 ? Math.floor(r() * 6) : Number.POSITIVE_INFINITY,
    maxNodes: r() < 0.2 ? 1 + Math.floor(r() * 300) : 1e9,
    asOf: r() < 0.3 ? Math.floor(r() * 4) : Number.POSITIVE_INFINITY,
    fanFactor: ff,
    tick: null, timeLimitMs: Number.POSITIVE_INFINITY,
  };
}

function sources(r: () => number, limit: number): Int32Array {
  return Int32Array.from(new Set(Array.from({ length: 1 + Math.floor(r() * 4) }, () => Math.floor(r() * limit))));
}

/** A plain copy of a result (the kernels reuse their buffers). */
function snapshot(x: SpreadKernelResult): unknown {
  return {
    status: x.status, visits: x.visits, count: x.count, hopsAt: x.hopsAt, pathOffAt: x.pathOffAt, pathAt: x.pathAt, missingAt: x.missingAt,
    missingCount: x.missingCount, ints: Array.from(x.ints.subarray(0, x.missingAt + x.missingCount)),
    activation: Array.from(x.activation.subarray(0, x.count), (a) => a.toString(16)),
  };
}

function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    return { code: (e as MnemoError).code, message: (e as Error).message };
  }
}

describe.skipIf(!hasNative)('SPREAD kernel: C++ and TypeScript agree', () => {
  it('on random cyclic graphs with ties, ranks, overlays, asOf, limits and node budgets', () => {
    const r = rng(5);
    let rows = 0;
    const statuses = new Set<string>();
    for (let g = 0; g < 60; g++) {
      const n = 5 + Math.floor(r() * 40);
      const extra = r() < 0.5 ? Math.floor(r() * 5) : 0;
      const rank = r() < 0.5 ? permutation(r, n) : null;
      const csr: SpreadCsr = { ...randomCsr(r, n, 3, n), rank };
      const overlay = extra > 0 || r() < 0.4 ? randomOverlay(r, n, extra, rank) : null;
      const nat = spreadKernel(csr, 'native');
      const js = spreadKernel(csr, 'js');
      const ff = fanTable([5, 2, 1][g % 3] as number, 2 * n + 10);
      for (let k = 0; k < 40; k++) {
        const p = randomParams(r, ff);
        const s = sources(r, n + (overlay?.extraKey.length ?? 0));
        const a = snapshot(nat.run(s, overlay, p)) as { status: string; count: number };
        const b = snapshot(js.run(s, overlay, p));
        expect(a, JSON.stringify({ g, k })).toEqual(b);
        rows += a.count;
        statuses.add(a.status);
      }
    }
    expect(rows).toBeGreaterThan(2000);
    expect([...statuses].sort()).toEqual(['maxNodes', 'missing', 'ok']);
  });

  it('on a larger graph (tables and result buffers grow) with the same tick calls', () => {
    const r = rng(9);
    const n = 4000;
    const csr: SpreadCsr = { ...randomCsr(r, n, 4, n, [1, 0.5, 0.8]), rank: permutation(r, n) };
    const ff = fanTable(20, 64);
    const nat = spreadKernel(csr, 'native');
    const js = spreadKernel(csr, 'js');
    let big = 0;
    for (let k = 0; k < 6; k++) {
      const s = sources(r, n);
      const ticks: number[][] = [[], []];
      const p = (i: number): SpreadParams => ({
        maxHops: 6, decay: 1, threshold: 0.0001, limit: Number.POSITIVE_INFINITY, maxNodes: 1e7, asOf: Number.POSITIVE_INFINITY, fanFactor: ff,
        tick: (v) => void (ticks[i] as number[]).push(v), timeLimitMs: Number.POSITIVE_INFINITY,
      });
      const a = snapshot(nat.run(s, null, p(0))) as { count: number };
      expect(a).toEqual(snapshot(js.run(s, null, p(1))));
      expect(ticks[0]).toEqual(ticks[1]);
      expect((ticks[0] as number[]).every((v, i) => v === 256 * (i + 1))).toBe(true);
      if (a.count > 1000) big++;
    }
    expect(big).toBeGreaterThan(3);
  });

  it('a time limit ends the run at a multiple of 256 visits with status timeLimit; a generous one changes nothing; NaN is refused', () => {
    const r = rng(11);
    const n = 3000;
    const csr: SpreadCsr = { ...randomCsr(r, n, 6, n), rank: null };
    const ff = fanTable(20, 64);
    const base: SpreadParams = {
      maxHops: 6, decay: 1, threshold: 0, limit: Number.POSITIVE_INFINITY, maxNodes: 1e9, asOf: Number.POSITIVE_INFINITY, fanFactor: ff,
      tick: null, timeLimitMs: Number.POSITIVE_INFINITY,
    };
    for (const backend of ['native', 'js'] as const) {
      const k = spreadKernel(csr, backend);
      const free = snapshot(k.run(Int32Array.of(3), null, base)) as { visits: number };
      expect(free.visits, backend).toBeGreaterThan(1000);
      const stopped = k.run(Int32Array.of(3), null, { ...base, timeLimitMs: 0 });
      expect([stopped.status, stopped.visits, stopped.count], backend).toEqual(['timeLimit', 256, 0]);
      expect(snapshot(k.run(Int32Array.of(3), null, { ...base, timeLimitMs: 1e6 })), backend).toEqual(free);
      expect(outcome(() => k.run(Int32Array.of(3), null, { ...base, timeLimitMs: Number.NaN })), backend).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('stops at a throwing tick with the same error, and rejects bad input with the same errors', () => {
    const r = rng(3);
    const n = 300;
    const csr: SpreadCsr = { ...randomCsr(r, n, 6, n), rank: null };
    const ff = fanTable(20, 64);
    for (const stopAt of [1, 2, 5]) {
      const calls: number[][] = [[], []];
      const got = [0, 1].map((i) => outcome(() => spreadKernel(csr, i === 0 ? 'native' : 'js').run(Int32Array.of(1, 7), null, {
        maxHops: 6, decay: 1, threshold: 0, limit: Number.POSITIVE_INFINITY, maxNodes: 1e9, asOf: Number.POSITIVE_INFINITY, fanFactor: ff,
        tick: (v) => {
          (calls[i] as number[]).push(v);
          if ((calls[i] as number[]).length === stopAt) throw new MnemoError('LIMIT_EXCEEDED', `stop at ${v}`);
        },
        timeLimitMs: Number.POSITIVE_INFINITY,
      })));
      expect(got[0]).toEqual({ code: 'LIMIT_EXCEEDED', message: `stop at ${256 * stopAt}` });
      expect(got[1]).toEqual(got[0]);
      expect(calls[0]).toEqual(calls[1]);
    }
    const ok = { off: Uint32Array.of(0, 1, 2), target: Int32Array.of(1, 0), weight: Float64Array.of(1, 1), created: Float64Array.of(0, 0), rank: null };
    const badGraphs: SpreadCsr[] = [
      { ...ok, off: Uint32Array.of(1, 1, 2) }, { ...ok, off: Uint32Array.of(0, 2, 1) }, { ...ok, off: Uint32Array.of(0, 1, 3) },
      { ...ok, target: Int32Array.of(1, 2) }, { ...ok, target: Int32Array.of(-1, 0) }, { ...ok, rank: Int32Array.of(0) },
    ];
    for (const bad of badGraphs) {
      const want = outcome(() => spreadKernel(bad, 'js'));
      expect(want).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(outcome(() => spreadKernel(bad, 'native'))).toEqual(want);
    }
    const p: SpreadParams = { maxHops: 2, decay: 1, threshold: 0, limit: 10, maxNodes: 100, asOf: Number.POSITIVE_INFINITY, fanFactor: fanTable(5, 1), tick: null, timeLimitMs: Number.POSITIVE_INFINITY };
    const ov: SpreadOverlay = { slowAll: false, slow: Int32Array.of(1, 0), nodes: new Int32Array(0), off: Uint32Array.of(0), target: new Int32Array(0), weight: new Float64Array(0), created: new Float64Array(0), extraKey: new Float64Array(0) };
    const badRuns: Array<[Int32Array, SpreadOverlay | null, SpreadParams]> = [
      [Int32Array.of(2), null, p], [Int32Array.of(0), null, { ...p, maxHops: 1.5 }], [Int32Array.of(0), null, p], [Int32Array.of(0), ov, p],
    ];
    for (const [s, o, q] of badRuns) {
      const want = outcome(() => spreadKernel(ok, 'js').run(s, o, q));
      expect(want).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(outcome(() => spreadKernel(ok, 'native').run(s, o, q))).toEqual(want);
    }
  });
});

describe('SPREAD kernel (active backend)', () => {
  it('computes a hand-checked spread: decay, fan factor, clamped weights, best path, sum over sources', () => {
    // 0 → 1 (w 1), 0 → 2 (w 0.5), 1 → 3 (w 2 → 1), 2 → 3 (w 1), 4 → 3 (w 1).
    const g: SpreadCsr = {
      off: Uint32Array.of(0, 2, 3, 4, 4, 5), target: Int32Array.of(1, 2, 3, 3, 3), weight: Float64Array.of(1, 0.5, 2, 1, 1),
      created: Float64Array.of(0, 0, 0, 0, 0), rank: null,
    };
    const ff = fanTable(5, 8);
    const f2 = (5 - Math.log(2)) / 5;
    const r = spreadKernel(g).run(Int32Array.of(0, 4), null, {
      maxHops: 3, decay: 0.5, threshold: 0, limit: Number.POSITIVE_INFINITY, maxNodes: 1e9, asOf: Number.POSITIVE_INFINITY, fanFactor: ff, tick: null, timeLimitMs: Number.POSITIVE_INFINITY,
    });
    expect(r.status).toBe('ok');
    const rows = Array.from({ length: r.count }, (_, i) => ({
      node: r.ints[i], a: r.activation[i], hops: r.ints[r.hopsAt + i],
      path: Array.from(r.ints.subarray(r.pathAt + (r.ints[r.pathOffAt + i] as number), r.pathAt + (r.ints[r.pathOffAt + i + 1] as number))),
    }));
    const a1 = 1 * 0.5 * f2 * 1;
    const a3 = a1 * 0.5 * 1 * 1;
    expect(rows).toEqual([
      { node: 3, a: a3 + 0.5, hops: 1, path: [4, 3] },
      { node: 1, a: a1, hops: 1, path: [0, 1] },
      { node: 2, a: 1 * 0.5 * f2 * 0.5, hops: 1, path: [0, 2] },
    ]);
  });

  it.skipIf(!hasNative)('native: a detached created-time buffer throws RELEASED when AS OF needs it', () => {
    const created = Float64Array.of(0, 0);
    const g: SpreadCsr = { off: Uint32Array.of(0, 1, 2), target: Int32Array.of(1, 0), weight: Float64Array.of(1, 1), created, rank: null };
    const k = spreadKernel(g, 'native');
    const p: SpreadParams = { maxHops: 2, decay: 1, threshold: 0, limit: 10, maxNodes: 100, asOf: 5, fanFactor: fanTable(5, 4), tick: null, timeLimitMs: Number.POSITIVE_INFINITY };
    expect(k.run(Int32Array.of(0), null, p).count).toBe(1);
    structuredClone(created.buffer, { transfer: [created.buffer] });
    expect(outcome(() => k.run(Int32Array.of(0), null, p))).toMatchObject({ code: 'RELEASED' });
    expect(k.run(Int32Array.of(0), null, { ...p, asOf: Number.POSITIVE_INFINITY }).count).toBe(1);
  });
});
