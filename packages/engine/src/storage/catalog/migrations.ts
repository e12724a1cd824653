/**
 * The catalog schema as numbered migrations, and the runner that applies the missing ones, each in
 * its own transaction, recording it in `schema_migrations` and in `PRAGMA user_version`.
 * v1 is the initial schema (architecture guide §2).
 */
import type Database from 'better-sqlite3';
import { MnemoError } from '@mnemo/native';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

const SCHEMA_V1 = `
CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied INTEGER NOT NULL) STRICT;
CREATE TABLE spaces (name TEXT PRIMARY KEY, config TEXT NOT NULL) STRICT;
CREATE TABLE segments (
  id INTEGER PRIMARY KEY, space TEXT NOT NULL REFERENCES spaces(name), level INTEGER NOT NULL,
  path TEXT NOT NULL UNIQUE, rows INTEGER NOT NULL, bytes INTEGER NOT NULL,
  min_lsn INTEGER NOT NULL, max_lsn INTEGER NOT NULL, checksum INTEGER NOT NULL,
  hnsw_path TEXT UNIQUE, created INTEGER NOT NULL) STRICT;
CREATE INDEX segments_by_space ON segments (space, level, id);
CREATE TABLE wal_state (id INTEGER PRIMARY KEY CHECK (id = 1), checkpoint_lsn INTEGER NOT NULL) STRICT;
INSERT INTO wal_state (id, checkpoint_lsn) VALUES (1, 0);
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, space TEXT, spec TEXT NOT NULL,
  interval_ms INTEGER, threshold REAL, last_run INTEGER, next_run INTEGER, created INTEGER NOT NULL) STRICT;
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE sequences (name TEXT PRIMARY KEY, next INTEGER NOT NULL) STRICT;
INSERT INTO sequences (name, next) VALUES ('segment_id', 1);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'initial schema', up: (db) => db.exec(SCHEMA_V1) },
];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** `version` when this Mnemo can use it (≤ `known`); NOT_SUPPORTED when newer, CORRUPTION when negative. */
export function checkVersion(version: number, known: number, file: string): number {
  const where = file === '' ? 'catalog' : `catalog ${file}`;
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new MnemoError('CORRUPTION', `${where} has schema version ${version}; restore it from a backup`, file === '' ? {} : { path: file });
  }
  if (version > known) {
    throw new MnemoError('NOT_SUPPORTED', `${where} has schema version ${version}, newer than this Mnemo supports (${known}); upgrade Mnemo`);
  }
  return version;
}

/** Apply every migration above the current version, in order; returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[], clock: () => number = Date.now): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MnemoError('INTERNAL', `catalog migrations must be numbered 1..n (found ${m.version} at ${i + 1})`);
  });
  const current = checkVersion(schemaVersion(db), migrations.length, '');
  const applied: number[] = [];
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, description, applied) VALUES (?, ?, ?)').run(m.version, m.description, clock());
      db.pragma(`user_version = ${m.version | 0}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
