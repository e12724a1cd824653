/**
 * Test helpers for the query layer: a fresh database in a temp dir with an injected clock that
 * tests advance explicitly, and a cleanup that closes it and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { MnemoError, open, type Database, type OpenOptions } from '../../src/index.js';

export const T0 = Date.parse('2024-01-01T00:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export interface TestDb {
  db: Database;
  dir: string;
  clock: { now: number };
  reopen(options?: OpenOptions): Promise<Database>;
  cleanup(): Promise<void>;
}

export async function freshDb(options: OpenOptions = {}): Promise<TestDb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mnemo-query-'));
  const clock = { now: T0 };
  const opts: OpenOptions = { durability: 'off', clock: () => clock.now, schedulerPollMs: 0, ...options };
  const t: TestDb = {
    db: await open(dir, opts),
    dir,
    clock,
    async reopen(o: OpenOptions = {}) {
      await t.db.close();
      t.db = await open(dir, { ...opts, ...o });
      return t.db;
    },
    async cleanup() {
      await t.db.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

/** The MnemoError code `p` rejects with (fails the test when it resolves or throws something else). */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MnemoError);
    return (e as MnemoError).code;
  }
  throw new Error('expected an error');
}
