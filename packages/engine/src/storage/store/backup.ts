/**
 * Online backup (docs/storage.md, "Backup"): runs in the maintenance lane right after a flush,
 * so the catalog's checkpoint covers everything the backup holds and no compaction can retire a
 * file while it is copied. Copies every live segment directory (segment file and the files built
 * beside it, e.g. the HNSW graph), then the catalog through SQLite's online backup API, fsyncing
 * each file and directory. Each segment is verified whole first (docs/segment_format.md §4 step 6:
 * v2 segments are verified lazily, so a bad block nobody read yet is caught here, not copied).
 * The copy is built in a staging directory and renamed into place when complete. The copy is a
 * database of its own: open it with openStore.
 */
import { MnemoError, fromSystemError, fsyncDir } from '@mnemo/native';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { SPACES_DIR } from './gc.js';
import type { MnemoStore } from './store.js';

async function syncFile(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function copyDir(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  for (const name of await readdir(from)) {
    if (name.startsWith('.tmp')) continue;
    await copyFile(path.join(from, name), path.join(to, name));
    await syncFile(path.join(to, name));
  }
  fsyncDir(to);
}

/** fsync the parent of every directory mkdir created on the way to `dest` (their entries), from `dest` up to `first`. */
function syncCreated(dest: string, first: string | undefined): void {
  if (first === undefined) return;
  for (let p = dest; ; p = path.dirname(p)) {
    fsyncDir(path.dirname(p));
    if (p === first || path.dirname(p) === p) return;
  }
}

/** Whether `dir` exists and holds anything. */
async function nonEmpty(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Copies the live segment directories and the catalog into `stage`, fsyncing what it writes. */
async function copyInto(store: MnemoStore, stage: string): Promise<void> {
  const spaceDirs = new Set<string>();
  for (const [space, handles] of store.current.segments) {
    for (const h of handles) {
      h.reader.verifyAll();
      const rel = path.relative(store.dir, path.dirname(h.meta.path));
      await copyDir(path.dirname(h.meta.path), path.join(stage, rel));
      spaceDirs.add(path.join(stage, SPACES_DIR, space));
    }
  }
  for (const d of spaceDirs) fsyncDir(d);
  if (spaceDirs.size > 0) fsyncDir(path.join(stage, SPACES_DIR));
  await store.parts.catalog.backupTo(path.join(stage, 'catalog.db'));
  await syncFile(path.join(stage, 'catalog.db'));
  fsyncDir(stage);
}

/**
 * The copy is built in a staging directory beside `toDir` and renamed onto it when complete (a
 * rename replaces an empty directory), so a failed backup leaves `toDir` as it was — absent or
 * empty — and removes its staging directory; no half copy can be mistaken for a backup.
 */
export async function runBackup(store: MnemoStore, toDir: string): Promise<void> {
  const dest = path.resolve(toDir);
  const rel = path.relative(path.resolve(store.dir), dest);
  const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  if (!outside) {
    // A copy under spaces/ would be deleted by the next writer open's garbage collection.
    throw new MnemoError('INVALID_ARGUMENT', `cannot back up a database into its own directory (${dest}); choose a directory outside ${store.dir}`, { path: dest });
  }
  const parent = path.dirname(dest);
  let stage: string | undefined;
  try {
    const first = await mkdir(parent, { recursive: true, mode: 0o700 });
    if (await nonEmpty(dest)) throw new MnemoError('INVALID_ARGUMENT', `backup directory ${dest} is not empty`, { path: dest });
    stage = path.join(parent, `.${path.basename(dest)}.backup-${randomBytes(6).toString('hex')}`);
    await mkdir(stage, { mode: 0o700 });
    await copyInto(store, stage);
    await rename(stage, dest);
    stage = undefined;
    fsyncDir(parent);
    syncCreated(parent, first);
  } catch (e) {
    if (stage !== undefined) await rm(stage, { recursive: true, force: true }).catch(() => undefined);
    throw fromSystemError(e, `backup to ${dest} failed`);
  }
}
