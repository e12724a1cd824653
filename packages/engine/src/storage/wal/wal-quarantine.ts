/**
 * Move log files that recovery dropped (beyond the stop point) into `wal/lost/`, durably, before a
 * new file continues the log — so a later open never replays them behind newer batches and nothing
 * is deleted silently. docs/wal_format.md "Recovery".
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
