/**
 * row() views and the mapped-chunk LRU (docs/field_format.md "Views and eviction"): a view is
 * zero-copy and sees later writes; under a tiny bound, chunks without views are unmapped while
 * chunks with live views are retained (still readable, still current) and never unmapped under
 * them; close() detaches every view (length 0, reads undefined, never a crash). Also the hot tier,
 * CLOSED and READ_ONLY. Both backends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isMnemoError } from '@mnemo/native';
import { Field } from '../src/field/index.js';
import { BACKENDS, cleanupTempDirs, tempDir } from './field-helpers.js';

afterAll(cleanupTempDirs);

/** 40 rows of 256 f32 (1 KiB), 4 rows per 4 KiB chunk → 10 chunks. */
function make(backend: 'native' | 'js', extra: Parameters<typeof Field.create>[2] | object = {}): { dir: string; f: Field } {
  const dir = tempDir();
  const f = Field.create(dir, [40, 256], { dtype: 'f32', chunkBytes: 4096, backend, ...extra });
  for (let i = 0; i < 40; i++) f.setRow([i], Array.from({ length: 256 }, (_, j) => i * 1000 + j));
  return { dir, f };
}

describe.each(BACKENDS)('row views (%s)', (backend) => {
  it('are zero-copy views that see later writes', () => {
    const { f } = make(backend);
    const v = f.row(5);
    expect(v).toBeInstanceOf(Float32Array);
    expect(v.length).toBe(256);
    expect(v[3]).toBe(5003);
    f.set(5, 3, -1);
    expect(v[3]).toBe(-1);
    f.setRow([5], new Array(256).fill(7));
    expect(v[255]).toBe(7);
    f.fill(2, [5, 0], [6, 10]);
    expect(v[9]).toBe(2);
    expect(v[10]).toBe(7);
    f.close();
  });

  it('keep chunks with live views mapped under a one-chunk bound; other chunks are unmapped', () => {
    const { dir, f } = make(backend);
    f.close();
    const g = Field.open(dir, { backend, maxMappedChunks: 1, prefetch: false });
    const views = [g.row(0), g.row(9), g.row(21)]; // chunks 0, 2, 5
    for (let i = 0; i < 40; i++) expect(g.get(i, 1)).toBe(i * 1000 + 1); // touches all 10 chunks
    const s = g.stats().mapped;
    expect(s.mappedChunks).toBe(1);
    expect(s.retainedChunks).toBe(3);
    expect(s.unmaps).toBeGreaterThanOrEqual(6);
    expect(views.map((v) => v[2])).toEqual([2, 9002, 21002]);
    g.close();
    // after close every view is detached: length 0, reads undefined, no crash
    expect(views.map((v) => v.length)).toEqual([0, 0, 0]);
    expect(views[0]?.[2]).toBeUndefined();
  });

  it('keeps retained views current across writes and re-maps them on access', () => {
    const { f } = make(backend, { maxMappedChunks: 1, prefetch: false });
    const v = f.row(1);
    for (let i = 4; i < 40; i += 4) f.get(i, 0); // evict chunk 0 from the LRU
    expect(f.stats().mapped.retainedChunks).toBe(1);
    f.set(1, 0, 123.5);
    expect(v[0]).toBe(123.5);
    expect(f.get(1, 0)).toBe(123.5);
    expect(f.stats().mapped.resurrects).toBe(1);
    f.close();
  });

  it('rows(start, count) is one view inside a chunk and a copy across chunks', () => {
    const { f } = make(backend);
    const block = f.rows(4, 4); // rows 4..7 = chunk 1 exactly
    expect(block.length).toBe(4 * 256);
    expect([block[0], block[256 + 1], block[3 * 256 + 255]]).toEqual([4000, 5001, 7255]);
    f.set(6, 9, -3);
    expect(block[2 * 256 + 9]).toBe(-3); // a live view
    const across = f.rows(3, 2); // rows 3 and 4: chunks 0 and 1
    expect([across[0], across[256]]).toEqual([3000, 4000]);
    f.set(3, 0, 1);
    expect(across[0]).toBe(3000); // a copy
    expect(f.rows(39, 1)[255]).toBe(39255);
    expect(f.rows(10, 0).length).toBe(0);
    expect(() => f.rows(38, 3)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => f.rows(-1, 1)).toThrow(/out of range/);
    f.close();
  });

  it('returns copies for f16, rows spanning chunks and never-written chunks', () => {
    const dir = tempDir();
    const h = Field.create(dir, [4, 8], { dtype: 'f16', backend });
    h.set(1, 2, 0.1);
    const hv = h.row(1);
    expect(hv).toBeInstanceOf(Float32Array);
    expect(hv[2]).toBeCloseTo(0.1, 3);
    h.set(1, 2, 5);
    expect(hv[2]).toBeCloseTo(0.1, 3); // a copy
    h.close();
    const s = Field.create(tempDir(), [3, 100], { dtype: 'u8', chunkBytes: 64, backend });
    s.set(1, 99, 200);
    const sv = s.row(1);
    expect(sv).toBeInstanceOf(Uint8Array);
    expect(sv[99]).toBe(200);
    const z = s.row(2);
    expect(Array.from(z).every((x) => x === 0)).toBe(true);
    s.close();
  });
});

describe.each(BACKENDS)('hot tier and lifecycle (%s)', (backend) => {
  it('promotes a row after N reads, serves hits from RAM and stays current on writes', () => {
    const { f } = make(backend, { hot: { maxBytes: 2048, promoteAfter: 3 } });
    for (let k = 0; k < 3; k++) f.get(7, k);
    let h = f.stats().hot;
    expect(h?.promotions).toBe(1);
    expect(h?.hits).toBe(0);
    expect(f.get(7, 100)).toBe(7100);
    f.set(7, 100, 1);
    expect(f.get(7, 100)).toBe(1);
    f.fill(3, [7, 0], [8, 256]);
    expect(f.get(7, 100)).toBe(3);
    for (const row of [8, 9, 10]) for (let k = 0; k < 3; k++) f.get(row, k);
    h = f.stats().hot;
    expect(h?.rows).toBe(2); // 2 KiB bound = 2 rows of 1 KiB
    expect(h?.evictions).toBeGreaterThanOrEqual(1);
    expect(h?.hits).toBeGreaterThanOrEqual(1);
    expect(f.batchGet([[9, 1], [10, 2]])).toEqual(new Float32Array([9001, 10002]));
    f.close();
  });

  it('refuses calls after close (CLOSED) and writes when read-only (READ_ONLY)', () => {
    const { dir, f } = make(backend);
    f.close();
    f.close();
    expect(() => f.get(0, 0)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    const r = Field.open(dir, { backend, readOnly: true });
    expect(r.get(3, 3)).toBe(3003);
    for (const fn of [() => r.set(0, 0, 1), () => r.fill(1), () => r.flush(), () => r.setRow([0], new Array(256).fill(0))]) {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(isMnemoError(err, 'READ_ONLY')).toBe(true);
    }
    r.close();
  });

  it('counts and fsyncs written chunks on flush', () => {
    const { f } = make(backend);
    expect(f.stats().writes.chunksCreated).toBe(10);
    expect(f.stats().writes.dirtyChunks).toBe(10);
    f.flush();
    expect(f.stats().writes.dirtyChunks).toBe(0);
    f.fill(0, [0, 0], [40, 256]);
    expect(f.slice([0, 0], [40, 256]).every((x) => x === 0)).toBe(true);
    f.close();
  });
});

describe('a read-only reader beside the writer (native mapping)', () => {
  it.skipIf(!BACKENDS.includes('native'))('get() sees the writer\'s later set() like row() does, even for a row read often', () => {
    const { dir, f } = make('native');
    f.flush();
    const r = Field.open(dir, { readOnly: true, backend: 'native' });
    for (let k = 0; k < 6; k++) expect(r.get(3, 5)).toBe(3005);
    f.set(3, 5, 42);
    expect(r.row(3)[5]).toBe(42);
    expect(r.get(3, 5)).toBe(42);
    expect(r.batchGet([[3, 5]])[0]).toBe(42);
    expect(r.stats().hot).toBeNull(); // hot copies are off by default for a read-only open
    r.close();
    f.close();
  });
});
