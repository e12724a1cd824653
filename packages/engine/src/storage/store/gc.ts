/**
 * Garbage collection of files the catalog does not name (docs/storage.md, "Files"): crash
 * leftovers such as temp files of an interrupted segment write, segment directories written but
 * never committed, and directories of dropped spaces or of segments retired by compaction.
 * Only a writer runs it, at open, after the catalog was read. Scope: `<dir>/spaces/` only.
 */
import { fsyncDir } from '@mnemo/native';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export const SPACES_DIR = 'spaces';

/** Relative directory of a segment: spaces/<space>/seg-NNNNNN. */
export function segmentDirName(space: string, segmentId: number): string {
  return path.join(SPACES_DIR, space, `seg-${String(segmentId).padStart(6, '0')}`);
}

/**
 * Remove everything under spaces/ that is not a live segment directory of a live space.
 * @param liveDirs relative segment directories named by the catalog (segmentDirName form)
 * @returns the relative paths removed
 */
export async function collectGarbage(dir: string, spaces: ReadonlySet<string>, liveDirs: ReadonlySet<string>): Promise<string[]> {
  const root = path.join(dir, SPACES_DIR);
  const removed: string[] = [];
  const top = await readdir(root).catch(() => [] as string[]);
  for (const space of top) {
    const spaceDir = path.join(root, space);
    if (!spaces.has(space)) {
      await rm(spaceDir, { recursive: true, force: true });
      removed.push(path.join(SPACES_DIR, space));
      continue;
    }
    const st = await stat(spaceDir);
    if (!st.isDirectory()) continue;
    let changed = false;
    for (const entry of await readdir(spaceDir)) {
      const rel = path.join(SPACES_DIR, space, entry);
      if (liveDirs.has(rel)) continue;
      await rm(path.join(spaceDir, entry), { recursive: true, force: true });
      removed.push(rel);
      changed = true;
    }
    if (changed) fsyncDir(spaceDir);
  }
  if (removed.length > 0) fsyncDir(root);
  return removed;
}
