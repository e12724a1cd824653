/**
 * Online backup (docs/storage.md, "Backup"): runs in the maintenance lane right after a flush,
 * so the catalog's checkpoint covers everything the backup holds and no compaction can retire a
 * file while it is copied. Copies every live segment directory (segment file and the files built
 * beside it, e.g. the HNSW graph), then the catalog through SQLite's online backup API, fsyncing
 * each file and directory. Each segment is verified whole first (docs/segment_format.md §4 step 6:
 * v2 segments are verified lazily, so a bad block nobody read yet is caught here, not copied).
 * The copy is built in a staging directory inside the destination and moved into place when
 * complete. The copy is a database of its own: open it with openStore.
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

/**
 * Copies the live segment directories and the catalog into `stage`, fsyncing what it writes;
 * returns whether it made `stage/spaces` (a database without segments has none).
 */
async function copyInto(store: MnemoStore, stage: string): Promise<boolean> {
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
  return spaceDirs.size > 0;
}

/**
 * The copy is built in a staging directory inside `toDir` (so on its file system: `toDir` may be
 * a mount point) and moved into place when complete — `spaces/` first, `catalog.db`, the commit
 * point of a database, last — so a failed backup leaves `toDir` as it was (absent or empty) and
 * removes the staging directory: no half copy can be mistaken for a backup.
 */
export async function runBackup(store: MnemoStore, toDir: string): Promise<void> {
  const dest = path.resolve(toDir);
  const rel = path.relative(path.resolve(store.dir), dest);
  const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  if (!outside) {
    // A copy under spaces/ would be deleted by the next writer open's garbage collection.
    throw new MnemoError('INVALID_ARGUMENT', `cannot back up a database into its own directory (${dest}); choose a directory outside ${store.dir}`, { path: dest });
  }
  let first: string | undefined;
  let stage: string | undefined;
  try {
    first = await mkdir(dest, { recursive: true, mode: 0o700 });
    if ((await readdir(dest)).length > 0) throw new MnemoError('INVALID_ARGUMENT', `backup directory ${dest} is not empty`, { path: dest });
    stage = path.join(dest, `.backup-${randomBytes(6).toString('hex')}`);
    await mkdir(stage, { mode: 0o700 });
    if (await copyInto(store, stage)) await rename(path.join(stage, SPACES_DIR), path.join(dest, SPACES_DIR));
    fsyncDir(dest);
    await rename(path.join(stage, 'catalog.db'), path.join(dest, 'catalog.db'));
    fsyncDir(dest);
  } catch (e) {
    // `dest` was empty (or absent): remove everything this call put there.
    if (stage !== undefined) await undo(dest, first);
    throw fromSystemError(e, `backup to ${dest} failed`);
  }
  try {
    // Complete: the staging directory is empty scaffolding now.
    await rm(stage, { recursive: true, force: true });
    fsyncDir(dest);
    syncCreated(dest, first);
  } catch (e) {
    throw fromSystemError(e, `backup to ${dest} is complete, but making its directory entries durable failed`);
  }
}

/** After a failed backup: `dest` empty again, or absent when this call created it (`first`: the outermost directory it created). */
async function undo(dest: string, first: string | undefined): Promise<void> {
  const quiet = (p: string): Promise<void> => rm(p, { recursive: true, force: true }).catch(() => undefined);
  if (first !== undefined) return quiet(first);
  const entries = await readdir(dest).catch(() => [] as string[]);
  await Promise.all(entries.map((name) => quiet(path.join(dest, name))));
}
