/**
 * The addon's HNSW kernels (src/cpp/hnsw*.cc, docs/hnsw_format.md) at the package boundary:
 * build output shape and invariants, seeded levels equal to the JS generator's, the search
 * handle over a hand-laid file image (exact = brute force), argument checks, structural
 * corruption and the lifetime rules (close, detached buffers → RELEASED, never a crash).
 */
import { describe, expect, it } from 'vitest';
import { hnswKernelsForce } from '../src/index.js';
import type { HnswBuildOutput } from '../src/index.js';
import { rng } from './helpers.js';

const kernels = hnswKernelsForce();

function vectorsOf(n: number, dim: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n * dim }, () => r() - 0.5);
}

/**
 * Section 5 (docs/hnsw_format.md): per-dimension min/max u8 codes of the rows (the tests use raw
 * rows for every metric; unit-norm rows for cosine are the engine's business), stride align64(dim).
 */
function quantSection(vectors: Float32Array, n: number, dim: number): Uint8Array {
  const params = Math.ceil((8 * dim) / 64) * 64, stride = Math.ceil(dim / 64) * 64;
  const out = new Uint8Array(params + n * stride);
  const f = new Float32Array(out.buffer, 0, 2 * dim);
  for (let j = 0; j < dim; j++) {
    let lo = Infinity, hi = -Infinity;
    for (let r = 0; r < n; r++) lo = Math.min(lo, vectors[r * dim + j]!), hi = Math.max(hi, vectors[r * dim + j]!);
    f[j] = lo;
    f[dim + j] = (hi - lo) / 255;
    for (let r = 0; r < n; r++) out[params + r * stride + j] = Math.round((vectors[r * dim + j]! - f[j]!) / f[dim + j]!);
  }
  return out;
}

/** A file image per docs/hnsw_format.md (checksums left 0: the native reader checks structure only). */
function image(b: HnswBuildOutput, n: number, dim: number, metric: number, M: number, vectors: Float32Array): Uint8Array {
  const parts = [b.layer0, b.levels, b.upperOffsets, b.upperLinks, new Float32Array(metric === 0 ? n : 0).fill(1), quantSection(vectors, n, dim)];
  const offs: number[] = [];
  let at = 256;
  for (const p of parts) {
    offs.push(at);
    at = Math.ceil((at + p.byteLength) / 64) * 64;
  }
  const size = offs[5]! + parts[5]!.byteLength;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out.set(new TextEncoder().encode('MNEMOHNS'));
  [2, 256, dim, metric, M, 2 * M, n, b.maxLevel, b.entryPoint].forEach((v, i) => dv.setUint32(8 + 4 * i, v, true));
  parts.forEach((p, i) => {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), offs[i]!);
    dv.setBigUint64(96 + 24 * i, BigInt(offs[i]!), true);
    dv.setBigUint64(104 + 24 * i, BigInt(p.byteLength), true);
  });
  return out;
}

describe('HNSW native kernels', () => {
  it('the addon is built and exports the HNSW kernels', () => {
    expect(kernels).not.toBeNull();
  });

  it('build: file-layout arrays, bounded lists, in-range ids, levels from mulberry32', () => {
    const n = 700, dim = 9, M = 6;
    const b = kernels!.build({ vectors: vectorsOf(n, dim, 1), dim, metricCode: 1, M, efConstruction: 30, seed: 5 });
    expect(b.layer0.length).toBe(n * (1 + 2 * M));
    expect(b.levels.length).toBe(n);
    expect(b.upperOffsets.length).toBe(n + 1);
    expect(b.upperLinks.length).toBe(b.upperOffsets[n]);
    const r = rng(5); // mulberry32 in [0, 1): r() · 2³² is the u32 draw, exactly
    for (let i = 0; i < n; i++) {
      const u = (r() * 4294967296 + 1) / 4294967296;
      expect(b.levels[i]).toBe(Math.min(31, Math.floor(-Math.log(u) / Math.log(M))));
      const cnt = b.layer0[i * (1 + 2 * M)]!;
      expect(cnt).toBeGreaterThan(0);
      expect(cnt).toBeLessThanOrEqual(2 * M);
      for (let j = 1; j <= cnt; j++) expect(b.layer0[i * (1 + 2 * M) + j]!).toBeLessThan(n);
    }
    expect(b.levels[b.entryPoint]).toBe(b.maxLevel);
  });

  it('search handle: exact mode equals a brute-force scan; filters and bitmaps are checked', () => {
    const n = 500, dim = 7, M = 8;
    const vectors = vectorsOf(n, dim, 2);
    const b = kernels!.build({ vectors, dim, metricCode: 1, M, efConstruction: 40, seed: 1 });
    const h = kernels!.open(image(b, n, dim, 1, M, vectors), vectors);
    const q = vectorsOf(1, dim, 3);
    const ref = Array.from({ length: n }, (_, r) => {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (q[j]! - vectors[r * dim + j]!) ** 2;
      return { r, s };
    }).sort((x, y) => x.s - y.s || x.r - y.r);
    const exact = h.search(q, 8, 10, null, null, true);
    expect(Array.from(exact.rows)).toEqual(ref.slice(0, 8).map((x) => x.r));
    const graph = h.search(q, 8, 100, null, null, false);
    expect(Array.from(graph.rows)).toEqual(ref.slice(0, 8).map((x) => x.r));
    const even = new Uint8Array(Math.ceil(n / 8)).fill(0b01010101);
    for (const r of h.search(q, 8, 50, even, null, false).rows) expect(r % 2).toBe(0);
    for (const r of h.search(q, 8, 50, null, even, false).rows) expect(r % 2).toBe(1);
    expect(() => h.search(q, 8, 50, new Uint8Array(3), null, false)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => h.search(new Float32Array(dim + 1), 8, 50, null, null, false)).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    h.close();
    expect(() => h.search(q, 8, 50, null, null, false)).toThrow(expect.objectContaining({ code: 'RELEASED' }));
  });

  it('structural corruption is CORRUPTION; a detached graph or vectors buffer is RELEASED', () => {
    const n = 200, dim = 4, M = 4;
    const vectors = vectorsOf(n, dim, 4);
    const b = kernels!.build({ vectors, dim, metricCode: 2, M, efConstruction: 20, seed: 2 });
    const img = image(b, n, dim, 2, M, vectors);
    const bad = img.slice();
    new DataView(bad.buffer).setUint32(256 + 4, n + 1, true);
    expect(() => kernels!.open(bad, vectors)).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    const badCount = img.slice();
    new DataView(badCount.buffer).setUint32(256, 2 * M + 1, true);
    expect(() => kernels!.open(badCount, vectors)).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    expect(() => kernels!.open(img.subarray(0, 300), vectors)).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    expect(() => kernels!.open(img, vectors.subarray(4))).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    const vcopy = vectors.slice();
    const h = kernels!.open(img, vcopy);
    const q = vectorsOf(1, dim, 5);
    expect(h.search(q, 3, 10, null, null, false).rows.length).toBe(3);
    structuredClone(vcopy.buffer, { transfer: [vcopy.buffer] });
    expect(() => h.search(q, 3, 10, null, null, false)).toThrow(expect.objectContaining({ code: 'RELEASED' }));
    const icopy = img.slice();
    const h2 = kernels!.open(icopy, vectors);
    structuredClone(icopy.buffer, { transfer: [icopy.buffer] });
    expect(() => h2.search(q, 3, 10, null, null, false)).toThrow(expect.objectContaining({ code: 'RELEASED' }));
  });

  it('u8 walk kernels: the active (AVX2) and scalar kernels agree with an f64 reference', () => {
    const r = rng(9);
    for (const n of [16, 32, 112, 128, 4096]) {
      const a = Float32Array.from({ length: n }, () => r() * 2 - 1);
      const b = Float32Array.from({ length: n }, () => r() * 0.01);
      const x = Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
      let ip = 0, l2 = 0;
      for (let i = 0; i < n; i++) {
        ip += a[i]! * x[i]!;
        l2 += (a[i]! - b[i]! * x[i]!) ** 2;
      }
      const got = kernels!.quantKernels(a, b, x);
      for (const at of [0, 2]) {
        expect(Math.abs(got[at]! - ip)).toBeLessThan(1e-5 * n * 255);
        expect(Math.abs(got[at + 1]! - l2) / l2).toBeLessThan(1e-5);
      }
    }
    expect(() => kernels!.quantKernels(new Float32Array(15), new Float32Array(15), new Uint8Array(15))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('quantized walk: exact distances returned, recall as good as the f32 walk, all metrics', () => {
    const n = 1500, dim = 20, M = 8, k = 10;
    const vectors = vectorsOf(n, dim, 6);
    for (const metric of [0, 1, 2]) {
      const b = kernels!.build({ vectors, dim, metricCode: metric, M, efConstruction: 60, seed: 3 });
      const h = kernels!.open(image(b, n, dim, metric, M, vectors), vectors);
      let hitQ = 0, hitF = 0;
      for (let i = 0; i < 40; i++) {
        const q = vectorsOf(1, dim, 100 + i);
        const all = h.search(q, n, 1, null, null, true);
        const exactDist = new Map(Array.from(all.rows, (row, j) => [row, all.distances[j]!]));
        const truth = new Set(all.rows.subarray(0, k));
        const qz = h.search(q, k, 40, null, null, false);
        const f32 = h.search(q, k, 40, null, null, false, false);
        qz.rows.forEach((row, j) => expect(qz.distances[j]).toBe(exactDist.get(row)));
        for (let j = 1; j < qz.rows.length; j++) expect(qz.distances[j]! >= qz.distances[j - 1]!).toBe(true);
        for (const row of qz.rows) if (truth.has(row)) hitQ++;
        for (const row of f32.rows) if (truth.has(row)) hitF++;
      }
      expect(hitQ / (40 * k)).toBeGreaterThanOrEqual(0.9);
      expect(hitQ).toBeGreaterThanOrEqual(hitF - 8);
      h.close();
    }
  });

  it('section 5 (quantized vectors) is checked: length and finite parameters, else CORRUPTION', () => {
    const n = 100, dim = 5, M = 4;
    const vectors = vectorsOf(n, dim, 8);
    const b = kernels!.build({ vectors, dim, metricCode: 1, M, efConstruction: 20, seed: 2 });
    const img = image(b, n, dim, 1, M, vectors);
    const dv = new DataView(img.buffer);
    const q0 = Number(dv.getBigUint64(96 + 24 * 5, true));
    const badScale = img.slice();
    new DataView(badScale.buffer).setFloat32(q0 + 4 * dim, Number.NaN, true);
    expect(() => kernels!.open(badScale, vectors)).toThrow(expect.objectContaining({ code: 'CORRUPTION', message: expect.stringContaining('quantization') }));
    const negScale = img.slice();
    new DataView(negScale.buffer).setFloat32(q0 + 4 * dim, -1, true);
    expect(() => kernels!.open(negScale, vectors)).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    const shortSec = img.slice();
    new DataView(shortSec.buffer).setBigUint64(104 + 24 * 5, BigInt(64), true);
    expect(() => kernels!.open(shortSec, vectors)).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    const v1 = img.slice();
    new DataView(v1.buffer).setUint32(8, 1, true);
    expect(() => kernels!.open(v1, vectors)).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    kernels!.open(img, vectors).close();
  });
});
