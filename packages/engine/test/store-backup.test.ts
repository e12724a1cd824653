/**
 * Backup edge cases (docs/storage.md, "Backup"): a destination inside the database directory is
 * refused (a writer's garbage collection would delete a copy under spaces/, and a copy inside the
 * database is no backup), and the backup's directory entries are durable — every directory the
 * backup created is fsynced in its parent, the destination's own entry included, and the copy
 * is staged inside the destination and moved into place. fsyncDir is observed through a
 * pass-through mock of @mnemo/native. A failed backup leaving nothing behind is in
 * store-corruption.test.ts.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from '../src/storage/index.js';
import { cleanupDirs, errorCode as code, remember, tempDir } from './helpers/store-fixtures.js';

const synced = vi.hoisted(() => [] as string[]);
vi.mock('@mnemo/native', async (importOriginal) => {
  const orig = await importOriginal<typeof import('@mnemo/native')>();
  return {
    ...orig,
    fsyncDir: (p: string): void => {
      synced.push(p);
      orig.fsyncDir(p);
    },
  };
});

afterAll(cleanupDirs);

/** A store in `dir` with space 'b' holding memory 'a' (content 'alpha'). */
async function storeWithAlpha(dir: string): Promise<Store> {
  const s = await openStore(dir, { compaction: { auto: false } });
  await s.createSpace({ name: 'b', dim: 2 });
  await s.write([remember('b', 'a', 'alpha', [1, 0])]);
  return s;
}


describe('backup destinations', () => {
  it('refuses a destination inside the database directory (the next writer open would delete one under spaces/)', async () => {
    const dir = tempDir();
    const s = await storeWithAlpha(dir);
    try {
      for (const inside of [path.join(dir, 'spaces', 'bk'), path.join(dir, 'bk'), path.join(dir, 'wal', 'bk')]) {
        expect(await code(s.backup(inside)), inside).toBe('INVALID_ARGUMENT');
        expect(existsSync(inside), inside).toBe(false);
      }
    } finally {
      await s.close();
    }
  });

  it('fsyncs the entries of every directory it created, up to the first one that existed', async () => {
    const dir = tempDir();
    const s = await storeWithAlpha(dir);
    try {
      const root = tempDir();
      const dest = path.join(root, 'x', 'y', 'copy');
      synced.length = 0;
      await s.backup(dest);
      // The directories mkdir created, dest's own entry included.
      for (const d of [root, path.join(root, 'x'), path.join(root, 'x', 'y'), dest]) expect(synced, d).toContain(d);
      // The copy is built in a staging directory inside dest and moved into place at the end: the
      // staging directory and its spaces/ and spaces/b are fsynced first, dest after the moves.
      const stage = synced.find((p) => path.dirname(p) === dest && path.basename(p).startsWith('.backup-'));
      expect(stage, synced.join('\n')).toBeDefined();
      for (const d of [stage!, path.join(stage!, 'spaces'), path.join(stage!, 'spaces', 'b')]) expect(synced, d).toContain(d);
      expect(synced.lastIndexOf(dest)).toBeGreaterThan(synced.indexOf(stage!));
      expect(readdirSync(dest).sort()).toEqual(['catalog.db', 'spaces']);
      const copy = await openStore(dest);
      expect(copy.get('b', 'a')?.content).toBe('alpha');
      await copy.close();
    } finally {
      await s.close();
    }
  });
});
