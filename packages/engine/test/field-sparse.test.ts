/**
 * Sparse petabyte field (docs/field_format.md "Decisions"): shape [86e9, 1000] f32 (3.44e14
 * bytes) is created, written far out, read back, reopened, and costs < 16 MB of disk; shapes
 * beyond 2^53−1 bytes are refused with LIMIT_EXCEEDED; the chunk tree keeps directories small.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isMnemoError } from '@mnemo/native';
import { Field } from '../src/field/index.js';
import { chunkKey } from '../src/field/layout.js';
import { BACKENDS, cleanupTempDirs, diskUsage, tempDir } from './field-helpers.js';

afterAll(cleanupTempDirs);

const SHAPE = [86_000_000_000, 1000];

describe.each(BACKENDS)('petabyte field (%s)', (backend) => {
  it('writes, reads back and reopens using only a few MB of disk', () => {
    const dir = tempDir();
    const f = Field.create(dir, SHAPE, { dtype: 'f32', backend });
    expect(f.shape).toEqual(SHAPE);
    f.set(42_000_000_000, 7, 1.5);
    f.set(85_999_999_999, 999, -2.25);
    f.set(0, 0, 3);
    expect(f.get(42_000_000_000, 7)).toBe(1.5);
    expect(f.get(42_000_000_000, 6)).toBe(0);
    expect(f.get(85_999_999_999, 999)).toBe(-2.25);
    expect(f.get(12_345_678_901, 500)).toBe(0); // never-written chunk
    expect(f.row(42_000_000_000)[7]).toBe(1.5);
    f.close();

    const g = Field.open(dir, { backend });
    expect(g.get(42_000_000_000, 7)).toBe(1.5);
    expect(g.get(85_999_999_999, 999)).toBe(-2.25);
    expect(g.get(0, 0)).toBe(3);
    expect(g.stats().mapped.zeroReads).toBe(0);
    expect(g.get(60_000_000_000, 1)).toBe(0);
    expect(g.stats().mapped.zeroReads).toBe(1);
    g.close();

    const du = diskUsage(dir);
    expect(du.files).toBe(4); // FIELD + 3 chunks
    expect(du.bytes).toBeLessThan(16 * 2 ** 20);
    const chunk = Math.floor((42_000_000_000 * 1000 + 7) * 4 / g.chunkBytes);
    expect(fs.statSync(path.join(dir, chunkKey(chunk))).size).toBe(4096 + g.chunkBytes);
  });
});

describe('sparse fills', () => {
  it('fill(0) never creates chunks; it zeroes existing ones', () => {
    const dir = tempDir();
    const f = Field.create(dir, [1_000_000, 100], { dtype: 'u8', chunkBytes: 4096 });
    f.set(500_000, 5, 9);
    f.fill(0, [400_000, 0], [600_000, 100]); // 20 MB box over ~4,900 chunks, one of them real
    expect(f.stats().writes.chunksCreated).toBe(1);
    expect(f.get(500_000, 5)).toBe(0);
    f.fill(3, [10, 0], [11, 100]);
    expect(f.stats().writes.chunksCreated).toBe(2);
    expect(f.slice([10, 98], [11, 100])).toEqual(new Uint8Array([3, 3]));
    f.close();
    expect(diskUsage(dir).files).toBe(3);
  });
});

describe('sparse fills at scale', () => {
  it('fill(0) of a huge sparse field checks each chunk once, not each 1 MiB piece', () => {
    const dir = tempDir();
    const f = Field.create(dir, [2 ** 14, 2 ** 20], { dtype: 'f32', chunkBytes: 64 * 2 ** 20 }); // 64 GiB, 1024 chunks
    f.set(5, 5, 1);
    const spy = vi.spyOn(fs, 'existsSync');
    try {
      f.fill(0);
      // one existence check per chunk at most (the old loop made one per 1 MiB piece: 65,536)
      expect(spy.mock.calls.length).toBeLessThanOrEqual(1024 + 8);
    } finally {
      spy.mockRestore();
    }
    expect(f.get(5, 5)).toBe(0);
    expect(f.stats().writes.chunksCreated).toBe(1);
    f.close();
  });
});

describe('size limits', () => {
  it('refuses a field larger than 2^53-1 bytes with LIMIT_EXCEEDED', () => {
    const dir = tempDir();
    let err: unknown;
    try {
      Field.create(dir, [2 ** 40, 2 ** 11], { dtype: 'f32' });
    } catch (e) {
      err = e;
    }
    expect(isMnemoError(err, 'LIMIT_EXCEEDED')).toBe(true);
    expect((err as Error).message).toMatch(/more than 2\^53-1/);
    expect(fs.existsSync(path.join(dir, 'FIELD'))).toBe(false);
  });

  it('accepts the largest exact size and indexes its last element exactly', () => {
    const dir = tempDir();
    const n = Math.floor(Number.MAX_SAFE_INTEGER / 4);
    const f = Field.create(dir, [n], { dtype: 'f32' });
    f.set(n - 1, 9);
    expect(f.get(n - 1)).toBe(9);
    expect(f.get(n - 2)).toBe(0);
    f.close();
  });

  it('rejects bad shapes, dtypes and indices with INVALID_ARGUMENT', () => {
    const dir = tempDir();
    for (const shape of [[], [0], [1.5], [-1], new Array(33).fill(2)]) {
      expect(() => Field.create(dir, shape, { dtype: 'f32' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => Field.create(dir, [4], { dtype: 'f64' as 'f32' })).toThrow(/unknown field dtype/);
    const f = Field.create(dir, [3, 4], { dtype: 'u8' });
    expect(() => f.get(3, 0)).toThrow(/index 3 out of range for axis 0 of size 3/);
    expect(() => f.get(0)).toThrow(/expected 2 indices/);
    expect(() => f.set(0, 1.5, 2)).toThrow(/index 1.5 out of range/);
    expect(() => Field.create(dir, [3], { dtype: 'u8' })).toThrow(/already holds a field/);
    f.close();
  });
});

describe('Field.create with invalid open options', () => {
  it('refuses them before writing FIELD, so the directory stays free for a corrected create', () => {
    const dir = tempDir();
    for (const bad of [{ maxMappedChunks: 0 }, { maxOpenFiles: -1 }, { maxResultElements: 1.5 }]) {
      expect(() => Field.create(dir, [4, 4], { dtype: 'f32', ...bad })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(fs.existsSync(path.join(dir, 'FIELD'))).toBe(false);
    }
    const f = Field.create(dir, [4, 4], { dtype: 'f32' });
    f.set(1, 1, 3);
    expect(f.get(1, 1)).toBe(3);
    f.close();
  });
});

describe('chunk tree', () => {
  it('names chunks with 12 hex digits under three 3-digit directory levels', () => {
    expect(chunkKey(1)).toBe('chunks/000/000/000/000000000001.chunk');
    expect(chunkKey(0x12345678)).toBe('chunks/000/012/345/000012345678.chunk');
    expect(chunkKey(2 ** 48 - 1)).toBe('chunks/fff/fff/fff/ffffffffffff.chunk');
  });
});
