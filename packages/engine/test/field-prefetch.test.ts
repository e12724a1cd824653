/**
 * Prefetch predictor as a pure model (docs/field_format.md "Prefetch"): feed access streams and
 * check predictions and counters — sequential runs forward and backward (page and element
 * granularity), positive and negative strides, stride changes (accuracy < 1, exact), random
 * access (no predictions), the byte-space limit; then the predictor wired into a Field.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Field, PrefetchPredictor, type PrefetchRange } from '../src/field/index.js';
import { BACKENDS, cleanupTempDirs, rng, tempDir } from './field-helpers.js';

afterAll(cleanupTempDirs);

const P = 4096;
const OPTS = { initialWindow: 4 * P, maxWindow: 16 * P, strideDepth: 4 };

/** Pages covered by a list of ranges. */
function pages(ranges: PrefetchRange[]): number[] {
  const out: number[] = [];
  for (const r of ranges) for (let p = Math.floor(r.offset / P); p <= Math.floor((r.offset + r.length - 1) / P); p++) out.push(p);
  return out;
}

function feed(p: PrefetchPredictor, offsets: number[], len = P): PrefetchRange[][] {
  return offsets.map((o) => p.observe(o, len));
}

describe('PrefetchPredictor', () => {
  it('refuses options that are not positive integers (pageSize 0 used to loop forever on the first access)', () => {
    for (const bad of [{ pageSize: 0 }, { pageSize: 4096.5 }, { confirm: 0 }, { strideDepth: -1 }, { maxBlocks: NaN }, { initialWindow: 0 }]) {
      expect(() => new PrefetchPredictor(1 << 20, bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      const dir = tempDir();
      expect(() => Field.create(dir, [64, 64], { dtype: 'f32', chunkBytes: 4096, prefetch: bad })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });

  it('confirms a forward sequential run after three accesses and stays ahead of it', () => {
    const p = new PrefetchPredictor(2 ** 30, OPTS);
    const offs = Array.from({ length: 200 }, (_, i) => i * P);
    const preds = feed(p, offs);
    expect(preds[0]).toEqual([]);
    expect(preds[1]).toEqual([]);
    expect(pages(preds[2] as PrefetchRange[])).toEqual([3, 4, 5, 6]);
    const issued = new Set(preds.flatMap(pages));
    for (let i = 3; i < 200; i++) expect(issued.has(i)).toBe(true);
    for (const pg of issued) expect(pg).toBeGreaterThanOrEqual(3);
    const c = p.counters();
    expect(c).toMatchObject({ accesses: 200, faults: 3, hits: 197, sequentialRuns: 1, strideRuns: 0 });
    expect(c.issued).toBe(issued.size);
    expect(c.accuracy).toBeCloseTo(197 / issued.size, 10);
    expect(issued.size - 197).toBeLessThanOrEqual(16); // waste bounded by the max window
  });

  it('detects a backward sequential run', () => {
    const p = new PrefetchPredictor(2 ** 30, OPTS);
    const offs = Array.from({ length: 100 }, (_, i) => (1000 - i) * P);
    const preds = feed(p, offs);
    expect(pages(preds[2] as PrefetchRange[])).toEqual([994, 995, 996, 997]);
    expect(p.counters()).toMatchObject({ faults: 3, hits: 97, sequentialRuns: 1 });
  });

  it('follows element-by-element reads (4-byte steps) page by page', () => {
    const p = new PrefetchPredictor(2 ** 30, OPTS);
    for (let i = 0; i < 20 * 1024; i++) p.observe(i * 4, 4);
    expect(p.counters()).toMatchObject({ faults: 1, hits: 19 });
  });

  it.each([
    ['positive', 10 * P + 128],
    ['negative', -(17 * P)],
  ])('detects a %s constant stride and predicts the next accesses', (_name, stride) => {
    const p = new PrefetchPredictor(2 ** 40, OPTS);
    const base = 2 ** 30;
    const offs = Array.from({ length: 50 }, (_, i) => base + i * stride);
    const preds = feed(p, offs, 16);
    expect(preds[1]).toEqual([]);
    expect((preds[2] as PrefetchRange[]).map((r) => r.offset)).toEqual([1, 2, 3, 4].map((k) => base + (2 + k) * stride));
    expect((preds[3] as PrefetchRange[]).map((r) => r.offset)).toEqual([base + 7 * stride]);
    const c = p.counters();
    expect(c).toMatchObject({ accesses: 50, faults: 3, hits: 47, strideRuns: 1, sequentialRuns: 0 });
    expect(c.issued).toBeGreaterThanOrEqual(47);
  });

  it('reads a dense stride (≤ denseStep) ahead as one contiguous window', () => {
    const p = new PrefetchPredictor(2 ** 30, OPTS);
    const preds = feed(p, Array.from({ length: 64 }, (_, i) => i * 4 * P), 16);
    expect(pages(preds[2] as PrefetchRange[])).toEqual([8, 9, 10, 11, 12]); // first window: 4 pages past the access
    const c = p.counters();
    expect(c).toMatchObject({ sequentialRuns: 1, strideRuns: 0, faults: 3, hits: 61 });
    expect(c.accuracy).toBeLessThan(0.3); // 3 of every 4 pages read ahead are skipped by the stride
  });

  it('counts unused predictions after a stride change (exact accuracy)', () => {
    const p = new PrefetchPredictor(2 ** 40, OPTS);
    const a = Array.from({ length: 10 }, (_, i) => i * 100 * P);
    const b = Array.from({ length: 10 }, (_, i) => 2 ** 35 + i * 3 * 100 * P);
    feed(p, [...a, ...b], 16);
    const c = p.counters();
    // each run: 3 faults then 7 hits; 4 predictions left unused at the end of each run
    expect(c).toMatchObject({ faults: 6, hits: 14, issued: 22, strideRuns: 2 });
    expect(c.accuracy).toBeCloseTo(14 / 22, 12);
  });

  it('predicts nothing for random access and never outside [0, limit)', () => {
    const r = rng(7);
    const p = new PrefetchPredictor(2 ** 36, OPTS);
    for (let i = 0; i < 2000; i++) p.observe(Math.floor(r() * 2 ** 24) * P, 64);
    expect(p.counters()).toMatchObject({ issued: 0, hits: 0, faults: 2000, sequentialRuns: 0, strideRuns: 0 });
    const q = new PrefetchPredictor(10 * P, OPTS);
    const preds = feed(q, [5 * P, 6 * P, 7 * P, 8 * P, 9 * P]).flat();
    for (const x of preds) expect(x.offset + x.length).toBeLessThanOrEqual(10 * P);
    const back = new PrefetchPredictor(10 * P, OPTS);
    for (const x of feed(back, [3 * P, 2 * P, 1 * P, 0]).flat()) expect(x.offset).toBeGreaterThanOrEqual(0);
  });
});

describe.each(BACKENDS)('prefetch in a Field (%s)', (backend) => {
  it('advises ahead of a sequential row scan and counts hits; prefetch:false turns it off', () => {
    const dir = tempDir();
    const f = Field.create(dir, [4096, 256], { dtype: 'f32', chunkBytes: 256 * 1024, backend });
    f.fill(1);
    f.close();
    const g = Field.open(dir, { backend, maxMappedChunks: 4 });
    let sum = 0;
    for (let i = 0; i < 4096; i++) sum += g.row(i)[5] as number;
    expect(sum).toBe(4096);
    const s = g.stats().prefetch;
    expect(s?.sequentialRuns).toBe(1);
    // 4 rows per page: 1024 pages, only the first one faults
    expect(s?.faults).toBe(1);
    expect(s?.hits).toBe(1023);
    if (backend === 'native') expect(s?.advised).toBeGreaterThan(0);
    expect(s?.earlyMaps).toBeGreaterThan(0);
    g.close();
    const off = Field.open(dir, { backend, prefetch: false });
    off.row(1);
    expect(off.stats().prefetch).toBeNull();
    off.close();
  });
});
