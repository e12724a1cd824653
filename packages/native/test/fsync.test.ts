/**
 * fsyncDir on both implementations: succeeds on a directory, IO_ERROR with the errno for a
 * missing path or a regular file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fsyncDir, isMnemoError } from '../src/index.js';
import { jsFsyncDir } from '../src/js/fsync.js';
import { tempDir } from './helpers.js';

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
