/**
 * Builds the demo database from the bundled dataset (demo/episodes.tsv, demo/associations.tsv):
 * three weeks of an assistant's conversations with one user — coffee orders, a database
 * migration project, half-marathon training, a conference trip, family. Times are relative to
 * `now`, so forgetting is meaningful whenever the demo runs. Consecutive episodes of a
 * conversation are linked with `next` associations (what PREDICT follows).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { ShellDatabase } from '../session/types.js';

const DAY = 86_400_000;

export interface DemoEpisode {
  id: string;
  at: number;
  session: string;
  topic: string;
  content: string;
}

export function demoDataDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'demo');
}

function dataLines(file: string): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'));
}

/** Episodes with absolute times: `days_ago` days before `now`'s date at the given local clock time (UTC). */
export function loadEpisodes(now: number, dir = demoDataDir()): DemoEpisode[] {
  const today = Math.floor(now / DAY) * DAY;
  const rows = dataLines(path.join(dir, 'episodes.tsv'));
  return rows.map(([days, time, session, topic, content], i) => {
    const [hh, mm] = time!.split(':').map(Number);
    const at = today - Number(days) * DAY + (hh! * 60 + mm!) * 60_000;
    // Entries "today" that lie after `now` are moved just before it, keeping their order.
    return { id: `e${i + 1}`, at: Math.min(at, now - (rows.length - i) * 60_000), session: session!, topic: topic!, content: content! };
  });
}

export function loadAssociations(dir = demoDataDir()): Array<{ from: string; to: string; weight: number }> {
  return dataLines(path.join(dir, 'associations.tsv')).map(([from, to, weight]) => ({ from: from!, to: to!, weight: Number(weight) }));
}

/** Writes the demo into `db` (its default space): one REMEMBER batch, then the associations. */
export async function buildDemo(db: ShellDatabase, now: number = Date.now()): Promise<{ memories: number; associations: number }> {
  const episodes = loadEpisodes(now);
  const batch = episodes.map((e) => ({
    id: e.id,
    content: e.content,
    at: new Date(e.at).toISOString(),
    kind: 'episodic',
    meta: { topic: e.topic, session: e.session },
  }));
  await db.query('REMEMBER $batch', { batch });
  let associations = 0;
  for (let i = 1; i < episodes.length; i++) {
    const [a, b] = [episodes[i - 1]!, episodes[i]!];
    if (a.session === b.session) {
      await db.query('ASSOCIATE $a WITH $b KIND next WEIGHT 1', { a: a.id, b: b.id });
      associations++;
    }
  }
  for (const x of loadAssociations()) {
    await db.query('ASSOCIATE $a WITH $b WEIGHT $w BIDIRECTIONAL', { a: x.from, b: x.to, w: x.weight });
    associations += 2;
  }
  return { memories: episodes.length, associations };
}
