/**
 * Distance kernels: native AVX2+FMA and native scalar against the pure-TS reference for dot,
 * l2sq, cosine and scoreBatch over many dimensions (odd ones exercise the tails). Tolerance:
 * |native − js| ≤ 1e-5 × the magnitude sum (Σ|aᵢbᵢ|, Σ(aᵢ−bᵢ)², Σ|aᵢbᵢ|/(‖a‖‖b‖)) + 1e-30.
 */
import { describe, expect, it } from 'vitest';
import { backend, cosine, dot, isMnemoError, l2sq, scoreBatch } from '../src/index.js';
import { randomF32, rng } from './helpers.js';

const DIMS = [1, 2, 3, 7, 8, 15, 16, 17, 31, 100, 127, 128, 129, 768, 1536, 4096];
const js = backend('js');
const natives = { avx2: backend('native'), scalar: backend('native', { simd: 'scalar' }) };

function magnitude(metric: 'dot' | 'l2' | 'cosine', a: Float32Array, b: Float32Array): number {
  let s = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    s += metric === 'l2' ? (x - y) * (x - y) : Math.abs(x * y);
    na += x * x;
    nb += y * y;
  }
  return metric === 'cosine' ? (na * nb === 0 ? 0 : s / Math.sqrt(na * nb)) : s;
}

function close(metric: 'dot' | 'l2' | 'cosine', got: number, want: number, a: Float32Array, b: Float32Array): void {
  const tol = 1e-5 * magnitude(metric, a, b) + 1e-30;
  if (!(Math.abs(got - want) <= tol)) {
    throw new Error(`${metric} dim ${a.length}: got ${got}, want ${want}, |diff| ${Math.abs(got - want)} > ${tol}`);
  }
}

describe('distance parity (native vs js)', () => {
  it('the default native backend uses AVX2+FMA on a CPU that has it, scalar when forced', () => {
    expect(['avx2-fma', 'scalar']).toContain(natives.avx2.simd);
    expect(natives.scalar.simd).toBe('scalar');
  });

  for (const [name, nat] of Object.entries(natives)) {
    it(`${name}: dot, l2sq, cosine for one pair at every dimension`, () => {
      const next = rng(1234);
      for (const dim of DIMS) {
        for (let t = 0; t < 5; t++) {
          const a = randomF32(next, dim);
          const b = randomF32(next, dim);
          close('dot', nat.dot(a, b), js.dot(a, b), a, b);
          close('l2', nat.l2sq(a, b), js.l2sq(a, b), a, b);
          close('cosine', nat.cosine(a, b), js.cosine(a, b), a, b);
        }
      }
    });

    it(`${name}: scoreBatch for every metric and dimension`, () => {
      const next = rng(99);
      for (const dim of DIMS) {
        const n = dim >= 1536 ? 9 : 37;
        const q = randomF32(next, dim);
        const rows = randomF32(next, n * dim);
        for (const metric of ['dot', 'l2', 'cosine'] as const) {
          const got = nat.scoreBatch(metric, q, rows);
          const want = js.scoreBatch(metric, q, rows);
          expect(got.length).toBe(n);
          for (let r = 0; r < n; r++) close(metric, got[r]!, want[r]!, q, rows.subarray(r * dim, (r + 1) * dim));
        }
      }
    });
  }

  it('scoreBatch row i equals the pair kernel on row i exactly (same arithmetic alone or in a batch)', () => {
    const next = rng(17);
    for (const be of [natives.avx2, natives.scalar]) {
      for (const dim of [1, 7, 8, 15, 16, 17, 24, 31, 129]) {
        const n = 11; // two blocks of four rows plus three single rows
        const q = randomF32(next, dim);
        const rows = randomF32(next, n * dim);
        const pair = { dot: be.dot, l2: be.l2sq, cosine: be.cosine };
        for (const metric of ['dot', 'l2', 'cosine'] as const) {
          const batch = be.scoreBatch(metric, q, rows);
          for (let r = 0; r < n; r++) {
            expect(batch[r]).toBe(Math.fround(pair[metric](q, rows.subarray(r * dim, (r + 1) * dim))));
          }
        }
      }
    }
  });

  it('cosine is 0 when a norm is 0, on every backend', () => {
    const z = new Float32Array(17);
    const a = new Float32Array(17).fill(0.5);
    for (const b of [js, natives.avx2, natives.scalar]) {
      expect(b.cosine(z, a)).toBe(0);
      expect(b.cosine(a, z)).toBe(0);
      expect(Array.from(b.scoreBatch('cosine', a, new Float32Array(34)))).toEqual([0, 0]);
    }
  });

  it('exact small cases agree with hand-computed values', () => {
    const a = new Float32Array([1, 2, 3]);
    const b = new Float32Array([4, 5, 6]);
    for (const be of [js, natives.avx2, natives.scalar]) {
      expect(be.dot(a, b)).toBe(32);
      expect(be.l2sq(a, b)).toBe(27);
      expect(be.cosine(a, b)).toBeCloseTo(32 / Math.sqrt(14 * 77), 6);
    }
    expect(dot(a, b)).toBe(32);
    expect(l2sq(a, b)).toBe(27);
    expect(cosine(a, a)).toBeCloseTo(1, 6);
  });

  it('scoreBatch writes into a caller out array (a longer one gets a view of the first N)', () => {
    const q = new Float32Array([1, 0]);
    const rows = new Float32Array([1, 2, 3, 4, 5, 6]);
    const out = new Float32Array(5).fill(-1);
    const res = scoreBatch('dot', q, rows, out);
    expect(res.buffer).toBe(out.buffer);
    expect(Array.from(res)).toEqual([1, 3, 5]);
    expect(out[3]).toBe(-1);
  });
});

describe('distance argument validation', () => {
  const bad = (f: () => unknown): boolean => {
    try {
      f();
      return false;
    } catch (e) {
      return isMnemoError(e, 'INVALID_ARGUMENT');
    }
  };
  for (const be of [js, natives.avx2]) {
    it(`${be.name}: every bad input is INVALID_ARGUMENT, never a crash`, () => {
      const a = new Float32Array(4);
      expect(bad(() => be.dot(a, new Float32Array(5)))).toBe(true);
      expect(bad(() => be.l2sq(a, new Float64Array(4) as unknown as Float32Array))).toBe(true);
      expect(bad(() => be.cosine([1, 2] as unknown as Float32Array, a))).toBe(true);
      expect(bad(() => be.scoreBatch('dot', a, new Float32Array(6)))).toBe(true);
      expect(bad(() => be.scoreBatch('dot', new Float32Array(0), new Float32Array(0)))).toBe(true);
      expect(bad(() => be.scoreBatch('manhattan' as 'dot', a, new Float32Array(8)))).toBe(true);
      expect(bad(() => be.scoreBatch('dot', a, new Float32Array(8), new Float32Array(1)))).toBe(true);
      const shared = new Float32Array(12);
      expect(bad(() => be.scoreBatch('dot', a, shared.subarray(0, 8), shared.subarray(7, 9)))).toBe(true);
      for (const k of [-1, 1.5, NaN, Infinity, '3']) {
        expect(bad(() => be.topK('dot', a, new Float32Array(8), k as number))).toBe(true);
      }
      // An object that passes `instanceof` but is no typed array (the C++ would see no data).
      const spoof = Object.create(Float32Array.prototype) as Float32Array;
      expect(bad(() => be.dot(spoof, spoof))).toBe(true);
      expect(bad(() => be.scoreBatch('l2', spoof, a))).toBe(true);
      expect(bad(() => be.topK('cosine', a, spoof, 1))).toBe(true);
    });

    it(`${be.name}: detached buffers read as empty and SharedArrayBuffer views work (no crash)`, () => {
      const detached = (n: number): Float32Array => {
        const v = new Float32Array(n);
        structuredClone(v.buffer, { transfer: [v.buffer] });
        return v;
      };
      expect(be.dot(detached(4), detached(4))).toBe(0);
      expect(bad(() => be.dot(detached(4), new Float32Array(4)))).toBe(true); // lengths 0 vs 4
      expect(bad(() => be.scoreBatch('dot', detached(4), new Float32Array(4)))).toBe(true); // empty query
      expect(be.scoreBatch('dot', new Float32Array([1, 2]), detached(8))).toEqual(new Float32Array(0));
      expect(be.topK('l2', new Float32Array([1, 2]), detached(8), 3).indices).toEqual(new Uint32Array(0));
      const sab = new Float32Array(new SharedArrayBuffer(4 * 6));
      sab.set([1, 2, 3, 4, 5, 6]);
      expect(be.dot(sab.subarray(0, 2), new Float32Array([1, 1]))).toBe(3);
      expect(Array.from(be.scoreBatch('dot', new Float32Array([1, 0]), sab))).toEqual([1, 3, 5]);
      expect(Array.from(be.topK('dot', new Float32Array([0, 1]), sab, 2).indices)).toEqual([2, 1]);
    });
  }
});
