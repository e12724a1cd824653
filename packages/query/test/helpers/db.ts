/**
 * Test helpers for the query layer: a fresh database in a temp dir with an injected clock that
 * tests advance explicitly, and a cleanup that closes it and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
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

/** Spaces s1 and s2 (DIM 3): s1 holds a 'alpha' [1,0,0] and b 'beta' [0,1,0] (semantic), s2 holds a 'other' [0,0,1]. */
async function seedTwoSpaces(db: Database): Promise<void> {
  await db.query('CREATE SPACE s1 DIM 3; CREATE SPACE s2 DIM 3');
  await db.query("REMEMBER 'alpha' AS a EMBEDDING [1, 0, 0] IN SPACE s1; REMEMBER 'beta' AS b EMBEDDING [0, 1, 0] KIND SEMANTIC IN SPACE s1");
  await db.query("REMEMBER 'other' AS a EMBEDDING [0, 0, 1] IN SPACE s2");
}

/**
 * A fresh database per test of the calling file, seeded with seedTwoSpaces and cleaned up after
 * each test; the returned handle reads the current test's database.
 */
export function twoSpacesPerTest(): TestDb {
  let current: TestDb | null = null;
  beforeEach(async () => {
    current = await freshDb();
    await seedTwoSpaces(current.db);
  });
  afterEach(async () => {
    await current?.cleanup();
    current = null;
  });
  const get = (): TestDb => {
    if (current === null) throw new Error('the database exists only while a test runs');
    return current;
  };
  return {
    get db() { return get().db; },
    get dir() { return get().dir; },
    get clock() { return get().clock; },
    reopen: (o) => get().reopen(o),
    cleanup: () => get().cleanup(),
  };
}
