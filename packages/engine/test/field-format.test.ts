/**
 * On-disk format checks (docs/field_format.md): every byte flip and truncation of FIELD is a
 * CORRUPTION error at open; chunk header flips, wrong sizes, a chunk from another field or at
 * another number are CORRUPTION when read or written; missing FIELD is IO_ERROR; a leftover
 * FIELD.tmp is removed; files are 0600 and directories 0700.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32c, isMnemoError } from '@mnemo/native';
import { Field } from '../src/field/index.js';
import { chunkKey } from '../src/field/layout.js';
import { BACKENDS, cleanupTempDirs, tempDir } from './field-helpers.js';

afterAll(cleanupTempDirs);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isMnemoError(e)) return e.code;
    throw e;
  }
  return undefined;
}

function small(backend: 'native' | 'js' = 'native'): { dir: string; f: Field } {
  const dir = tempDir();
  const f = Field.create(dir, [64, 16], { dtype: 'f32', chunkBytes: 1024, backend });
  return { dir, f };
}

describe('FIELD metadata', () => {
  it('detects a flip of any bit of any byte, truncation and extension', () => {
    const { dir, f } = small();
    f.close();
    const file = path.join(dir, 'FIELD');
    const good = fs.readFileSync(file);
    expect(good.length).toBe(44 + 16);
    const missed: string[] = [];
    for (let i = 0; i < good.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const bad = Buffer.from(good);
        bad[i] = (bad[i] as number) ^ bit;
        fs.writeFileSync(file, bad);
        if (codeOf(() => Field.open(dir).close()) !== 'CORRUPTION') missed.push(`flip ${i}/${bit}`);
      }
    }
    for (let n = 0; n < good.length; n++) {
      fs.writeFileSync(file, good.subarray(0, n));
      if (codeOf(() => Field.open(dir).close()) !== 'CORRUPTION') missed.push(`truncate ${n}`);
    }
    fs.writeFileSync(file, Buffer.concat([good, Buffer.from([0])]));
    if (codeOf(() => Field.open(dir).close()) !== 'CORRUPTION') missed.push('extend');
    expect(missed).toEqual([]);
    fs.writeFileSync(file, good);
    Field.open(dir).close();
  });

  it('an oversized FIELD (sparse, 3 GiB) is CORRUPTION without being read into memory', () => {
    const { dir, f } = small();
    f.close();
    const file = path.join(dir, 'FIELD');
    fs.truncateSync(file, 3 * 2 ** 30);
    let err: unknown;
    const before = process.memoryUsage().arrayBuffers;
    try {
      Field.open(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'CORRUPTION', message: expect.stringContaining('too long') });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
  });

  it('a resealed FIELD whose chunkBytes breaks the row rule (rows fit but would straddle) is CORRUPTION', () => {
    const { dir, f } = small(); // rows of 16 f32 = 64 B, chunkBytes 1024
    f.close();
    const file = path.join(dir, 'FIELD');
    const bytes = fs.readFileSync(file);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    dv.setBigUint64(24, 1028n, true); // a multiple of 4, not of the 64-byte row
    dv.setUint32(40 + 16, crc32c(bytes.subarray(0, 40 + 16)), true);
    fs.writeFileSync(file, bytes);
    expect(() => Field.open(dir)).toThrow(expect.objectContaining({ code: 'CORRUPTION', message: expect.stringContaining('chunk size') }));
  });

  it('names the file in the error and reports a missing FIELD as IO_ERROR', () => {
    const { dir, f } = small();
    f.close();
    fs.writeFileSync(path.join(dir, 'FIELD'), 'not a field');
    expect(() => Field.open(dir)).toThrow(/field metadata .*FIELD is corrupt/);
    fs.rmSync(path.join(dir, 'FIELD'));
    let err: unknown;
    try {
      Field.open(dir);
    } catch (e) {
      err = e;
    }
    expect(isMnemoError(err, 'IO_ERROR')).toBe(true);
    expect((err as { details: { errno?: string } }).details.errno).toBe('ENOENT');
  });

  it('removes a leftover FIELD.tmp and uses private permissions', () => {
    const { dir, f } = small();
    f.set(3, 3, 1);
    f.close();
    fs.writeFileSync(path.join(dir, 'FIELD.tmp'), 'partial');
    Field.open(dir).close();
    expect(fs.existsSync(path.join(dir, 'FIELD.tmp'))).toBe(false);
    expect(fs.statSync(path.join(dir, 'FIELD')).mode & 0o777).toBe(0o600);
    const c = Math.floor((3 * 16 + 3) * 4 / 1024);
    expect(fs.statSync(path.join(dir, chunkKey(c))).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(path.join(dir, chunkKey(c)))).mode & 0o777).toBe(0o700);
  });

  it('builds chunks in chunks/.staging; opening for writing removes what a crashed writer left there', () => {
    const { dir, f } = small();
    f.set(3, 3, 1);
    f.flush();
    const staging = path.join(dir, 'chunks', '.staging');
    expect(fs.readdirSync(staging)).toEqual([]); // the new chunk was renamed out of it
    f.close();
    const leftover = path.join(staging, `${path.basename(chunkKey(2))}.tmp-424242`);
    fs.writeFileSync(leftover, 'a chunk whose creation a crash cut short');
    Field.open(dir, { readOnly: true }).close();
    expect(fs.existsSync(leftover)).toBe(true); // a reader never deletes
    const g = Field.open(dir);
    expect(fs.existsSync(leftover)).toBe(false);
    g.set(2 * 16, 0, 7); // chunk 2 (1024-byte chunks of 16 rows × 64 B)
    g.flush();
    expect(g.get(2 * 16, 0)).toBe(7);
    expect(g.get(3, 3)).toBe(1);
    g.close();
    expect(fs.readdirSync(staging)).toEqual([]);
  });
});

describe.each(BACKENDS)('chunk files (%s)', (backend) => {
  it('detects header flips, wrong sizes, foreign and misplaced chunks on read and write', () => {
    const { dir, f } = small(backend);
    f.set(0, 0, 1); // chunk 0
    f.set(16, 0, 2); // chunk 1 (1024-byte chunks of 16 rows × 64 B)
    f.close();
    const c0 = path.join(dir, chunkKey(0));
    const good = fs.readFileSync(c0);
    const missed: string[] = [];
    const readCode = (): string | undefined => {
      const g = Field.open(dir, { backend });
      try {
        return codeOf(() => g.get(0, 1));
      } finally {
        g.close();
      }
    };
    const writeCode = (): string | undefined => {
      const g = Field.open(dir, { backend });
      try {
        return codeOf(() => g.set(0, 1, 5));
      } finally {
        codeOf(() => g.close());
      }
    };
    for (let i = 0; i < 44; i++) {
      const bad = Buffer.from(good);
      bad[i] = (bad[i] as number) ^ 0x10;
      fs.writeFileSync(c0, bad);
      if (readCode() !== 'CORRUPTION') missed.push(`read flip ${i}`);
      if (writeCode() !== 'CORRUPTION') missed.push(`write flip ${i}`);
    }
    for (const n of [0, 10, 4096, good.length - 1]) {
      fs.writeFileSync(c0, good.subarray(0, n));
      if (readCode() !== 'CORRUPTION') missed.push(`truncate ${n}`);
      if (writeCode() !== 'CORRUPTION') missed.push(`write truncate ${n}`);
    }
    // chunk 1's file placed at chunk 0's path
    fs.copyFileSync(path.join(dir, chunkKey(1)), c0);
    if (readCode() !== 'CORRUPTION') missed.push('misplaced');
    // a chunk of another field with the same shape
    const other = small(backend);
    other.f.set(0, 0, 9);
    other.f.close();
    fs.copyFileSync(path.join(other.dir, chunkKey(0)), c0);
    if (readCode() !== 'CORRUPTION') missed.push('foreign');
    expect(missed).toEqual([]);
    fs.writeFileSync(c0, good);
    const g = Field.open(dir, { backend });
    expect(g.get(0, 0)).toBe(1);
    expect(g.get(16, 0)).toBe(2);
    g.close();
  });

  it('a corrupt chunk fails only reads of that chunk, not reads whose prefetch predicts it', () => {
    const { dir, f } = small(backend);
    for (let r = 0; r < 64; r++) f.set(r, 0, r + 1); // chunks 0..3, 16 rows each
    f.close();
    const c1 = path.join(dir, chunkKey(1));
    const bad = fs.readFileSync(c1);
    bad[20] = (bad[20] as number) ^ 1;
    fs.writeFileSync(c1, bad);
    const g = Field.open(dir, { backend });
    let sum = 0;
    // a sequential scan of chunk 0: the prefetcher predicts (and maps early) chunk 1
    for (let r = 0; r < 16; r++) for (let j = 0; j < 16; j++) sum += g.get(r, j);
    expect(sum).toBe((16 * 17) / 2);
    expect(g.stats().prefetch?.earlyMaps).toBeGreaterThan(0); // chunks 2 and 3 were mapped early
    expect(codeOf(() => g.get(16, 0))).toBe('CORRUPTION');
    expect(g.get(32, 0)).toBe(33);
    g.close();
  });
});
