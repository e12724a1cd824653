/**
 * The C++ SPREAD kernel's row order and IO block (src/cpp/spread_kernel.cc SortRows, src/cpp/spread.cc;
 * docs/graph.md §5.1) against the TypeScript twin: rows with many equal activations (the bucket
 * pass + insertion sort falls back to std::sort), activations spread over many binades, source
 * lists and results larger than the IO block, and a tick that re-enters the kernel.
 */
import { describe, expect, it } from 'vitest';
import { MnemoError, spreadKernel, type SpreadCsr, type SpreadKernelResult, type SpreadParams } from '../src/index.js';
import { rng } from './helpers.js';
import { fanTable, hasNativeSpread as hasNative, permutation } from './spread-helpers.js';

function params(ff: Float64Array, over: Partial<SpreadParams> = {}): SpreadParams {
  return { maxHops: 3, decay: 1, threshold: 0, limit: Number.POSITIVE_INFINITY, maxNodes: 1e9, asOf: Number.POSITIVE_INFINITY, fanFactor: ff, tick: null, timeLimitMs: Number.POSITIVE_INFINITY, ...over };
}

/** Rows as plain values (the kernels reuse their buffers). */
function rows(r: SpreadKernelResult): Array<{ node: number; a: string; hops: number; path: number[] }> {
  return Array.from({ length: r.count }, (_, i) => ({
    node: r.ints[i] as number,
    a: (r.activation[i] as number).toString(16),
    hops: r.ints[r.hopsAt + i] as number,
    path: Array.from(r.ints.subarray(r.pathAt + (r.ints[r.pathOffAt + i] as number), r.pathAt + (r.ints[r.pathOffAt + i + 1] as number))),
  }));
}

/** Graph from adjacency lists. */
function csr(adj: number[][], weightOf: (u: number, k: number) => number, rank: Int32Array | null): SpreadCsr {
  const off = new Uint32Array(adj.length + 1);
  adj.forEach((l, u) => (off[u + 1] = (off[u] as number) + l.length));
  const target = Int32Array.from(adj.flat());
  const weight = Float64Array.from(adj.flatMap((l, u) => l.map((_, k) => weightOf(u, k))));
  return { off, target, weight, created: new Float64Array(target.length), rank };
}

describe.skipIf(!hasNative)('SPREAD kernel rows and IO block: C++ and TypeScript agree', () => {
  it('orders 3000 equal activations by tie key (the sort falls back), and few ties among many binades', () => {
    const r = rng(11);
    const n = 3001;
    // 0 → 1..3000, all weight 1: 3000 rows of one activation, ordered by rank only.
    const star = csr([Array.from({ length: n - 1 }, (_, i) => i + 1), ...Array.from({ length: n - 1 }, () => [])], () => 1, permutation(r, n));
    // A random graph whose weights span 2^-40..1: activations over many binades, few ties.
    const adj = Array.from({ length: 2000 }, () => Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.floor(r() * 2000)));
    const spreadW = new Float64Array(20000).map(() => 2 ** -Math.floor(r() * 40) * (0.5 + r() / 2));
    const wide = csr(adj, (u, k) => spreadW[(u * 7 + k) % spreadW.length] as number, null);
    for (const [g, ff, s, limit] of [[star, fanTable(100, n + 1), Int32Array.of(0), Infinity], [star, fanTable(100, n + 1), Int32Array.of(0), 17],
      [wide, fanTable(5, 64), Int32Array.of(3, 9, 40), Infinity]] as const) {
      const want = rows(spreadKernel(g, 'js').run(s, null, params(ff, { limit, maxHops: 6 })));
      const got = rows(spreadKernel(g, 'native').run(s, null, params(ff, { limit, maxHops: 6 })));
      expect(got).toEqual(want);
      expect(got.length).toBe(Number.isFinite(limit) ? limit : got.length);
      expect(got.length).toBeGreaterThan(10);
    }
    const star3000 = rows(spreadKernel(star, 'native').run(Int32Array.of(0), null, params(fanTable(100, n + 1))));
    expect(star3000.length).toBe(3000);
    expect(new Set(star3000.map((x) => x.a)).size).toBe(1);
    const ranks = star3000.map((x) => (star.rank as Int32Array)[x.node] as number);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('takes more sources than the IO block holds and returns more results than it holds', () => {
    const r = rng(12);
    const n = 20000;
    const adj = Array.from({ length: n }, () => Array.from({ length: 2 }, () => Math.floor(r() * n)));
    const g = csr(adj, () => 0.9, null);
    const nat = spreadKernel(g, 'native');
    const js = spreadKernel(g, 'js');
    const ff = fanTable(5, 8);
    for (const count of [1, 5000, 9000, 3]) {
      const s = Int32Array.from(new Set(Array.from({ length: count }, () => Math.floor(r() * n))));
      const p = params(ff, { maxHops: 2, threshold: 0.01 });
      const a = nat.run(s, null, p);
      expect(a.status).toBe('ok');
      expect(rows(a)).toEqual(rows(js.run(s, null, p)));
    }
  });

  it('refuses a tick that re-enters the same kernel, and runs normally afterwards', () => {
    const g = csr(Array.from({ length: 600 }, (_, u) => [(u + 1) % 600, (u + 7) % 600]), () => 1, null);
    const k = spreadKernel(g, 'native');
    const p = params(fanTable(100, 8), { maxHops: 400 });
    const inner: unknown[] = [];
    let thrown: unknown;
    try {
      k.run(Int32Array.of(0), null, { ...p, tick: () => void inner.push(k.run(Int32Array.of(1), null, p)) });
    } catch (e) {
      thrown = e;
    }
    expect(inner).toEqual([]);
    expect(thrown).toBeInstanceOf(MnemoError);
    expect((thrown as MnemoError).code).toBe('INVALID_ARGUMENT');
    expect(rows(k.run(Int32Array.of(0), null, p))).toEqual(rows(spreadKernel(g, 'js').run(Int32Array.of(0), null, p)));
  });
});
