/**
 * fsyncDir on both implementations: succeeds on a directory, IO_ERROR with the errno for a
 * missing path or a regular file. pwriteDatasync on both: every byte lands at its position (large
 * and concurrent calls), EBADF for a read-only or closed fd, bad arguments refused.
 */
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fsyncDir, isMnemoError, pwriteDatasync } from '../src/index.js';
import { jsFsyncDir, jsPwriteDatasync } from '../src/js/fsync.js';
import { randomBytes, rng, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function errno(f: () => void): string | undefined {
  try {
    f();
  } catch (e) {
    if (!isMnemoError(e, 'IO_ERROR')) throw e;
    return e.details.errno;
  }
  return undefined;
}

for (const [name, fn] of [['default', fsyncDir], ['js', jsFsyncDir]] as const) {
  describe(`fsyncDir (${name})`, () => {
    it('syncs a directory after creating a file in it', () => {
      writeFileSync(path.join(tmp.dir, `f-${name}`), 'x');
      expect(() => fn(tmp.dir)).not.toThrow();
    });
    it('missing directory → IO_ERROR ENOENT', () => {
      expect(errno(() => fn(path.join(tmp.dir, 'nope')))).toBe('ENOENT');
    });
    it('a regular file → IO_ERROR ENOTDIR', () => {
      const f = path.join(tmp.dir, `plain-${name}`);
      writeFileSync(f, 'x');
      expect(errno(() => fn(f))).toBe('ENOTDIR');
    });
  });
}

/** The errno of a rejected pwriteDatasync: MnemoError IO_ERROR details (public API) or the raw Node error (JS fallback). */
async function rejection(p: Promise<void>): Promise<{ errno?: string; syscall?: string; code: string } | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (isMnemoError(e)) return { code: e.code, errno: e.details.errno, syscall: e.details.syscall };
    const n = e as NodeJS.ErrnoException;
    return { code: 'node', errno: n.code, syscall: n.syscall };
  }
}

for (const [name, fn] of [['default', pwriteDatasync], ['js', jsPwriteDatasync]] as const) {
  describe(`pwriteDatasync (${name})`, () => {
    it('writes every byte at the position (a 3 MiB buffer and a short one, concurrently), leaving the rest of the file alone', async () => {
      const f = path.join(tmp.dir, `pw-${name}`);
      writeFileSync(f, new Uint8Array(16).fill(7));
      const fd = openSync(f, 'r+');
      try {
        const big = randomBytes(rng(name.length), 3 << 20);
        const keep = big.slice();
        const small = Uint8Array.from([1, 2, 3]);
        await Promise.all([fn(fd, big, 100), fn(fd, small, 4)]);
        expect(Buffer.from(big).equals(keep)).toBe(true);
        const back = new Uint8Array(readFileSync(f));
        expect(back.length).toBe(100 + big.length);
        expect([...back.subarray(0, 16)]).toEqual([7, 7, 7, 7, 1, 2, 3, 7, 7, 7, 7, 7, 7, 7, 7, 7]);
        expect(back.subarray(16, 100).every((b) => b === 0)).toBe(true);
        expect(Buffer.from(back.subarray(100)).equals(keep)).toBe(true);
      } finally {
        closeSync(fd);
      }
    });

    it('a file opened read-only → EBADF from write; a closed fd → EBADF', async () => {
      const f = path.join(tmp.dir, `ro-${name}`);
      writeFileSync(f, 'x');
      const fd = openSync(f, 'r');
      const ro = await rejection(fn(fd, Uint8Array.from([1]), 0));
      closeSync(fd);
      expect(ro).toMatchObject({ errno: 'EBADF', syscall: 'write' });
      if (name === 'default') expect(ro?.code).toBe('IO_ERROR');
      expect(await rejection(fn(fd, Uint8Array.from([1]), 0))).toMatchObject({ errno: 'EBADF' });
    });
  });
}

describe('pwriteDatasync arguments', () => {
  it('a negative or fractional fd or position is INVALID_ARGUMENT, and nothing is written', async () => {
    for (const [fd, pos] of [[-1, 0], [1.5, 0], [3, -1], [3, 0.5], [3, 2 ** 60]]) {
      await expect(pwriteDatasync(fd as number, new Uint8Array(1), pos as number)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});
