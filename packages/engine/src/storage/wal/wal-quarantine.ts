/**
 * What Wal.open does to the recovered log before a new file continues it (docs/wal_format.md
 * "Recovery"): fsync the kept files (a replayed batch may exist only in the page cache), and move
 * the files recovery dropped into `wal/lost/`, durably, so a later open never replays them behind
 * newer batches and nothing is deleted silently.
 */
import path from 'node:path';
import type { Env } from '../env/env.js';

/** Returns the paths (relative to the WAL directory) the files were moved to. */
export async function quarantine(env: Env, dir: string, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const lost = path.join(dir, 'lost');
  await env.mkdir(lost);
  await env.fsyncDir(dir);
  const taken = new Set(await env.readdir(lost));
  const moved: string[] = [];
  for (const name of names) {
    let target = name;
    for (let n = 1; taken.has(target); n++) target = `${name}.${n}`;
    taken.add(target);
    await env.rename(path.join(dir, name), path.join(lost, target));
    moved.push(`lost/${target}`);
  }
  await env.fsyncDir(lost);
  await env.fsyncDir(dir);
  return moved;
}

/**
 * fsync every kept log file. A process that crashed after writing a batch but before its fdatasync
 * leaves that batch in the page cache only; recovery replays it and the new file starts after it.
 * Unless it is synced first, a later power loss could drop it while the new file survives — a gap
 * that would cut off every (acknowledged) batch of the new file.
 */
export async function syncKept(env: Env, dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    // readwrite, not read: fsync of a read-only handle fails on some platforms (Windows).
    const file = await env.open(path.join(dir, name), 'readwrite');
    try {
      await file.sync();
    } finally {
      await file.close();
    }
  }
}
