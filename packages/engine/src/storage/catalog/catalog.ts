/**
 * Catalog: the database's manifest in SQLite (better-sqlite3) — spaces, the live segment list,
 * the WAL checkpoint LSN, scheduled jobs and settings. `commitSegments` is the commit point of a
 * flush or compaction: one transaction. journal_mode=WAL, synchronous=FULL, bound parameters only.
 * SQLite does its own file I/O (not through Env). Architecture guide §2 (commit authority for files).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MnemoError, fsyncDir } from '@mnemo/native';
import type { SpaceConfig } from '../../model.js';
import { catalogError, parseStoredJson } from './catalog-errors.js';
import {
  checkJobFields, invalid, jobFromSql, segmentFromSql, segmentToSql, storedPath, toJson, type SqlJob, type SqlSegment,
} from './catalog-rows.js';
import type { JobPatch, JobRow, NewJob, SegmentCommit, SegmentRow } from './catalog-types.js';
import { MIGRATIONS, checkVersion, migrate, schemaVersion, type Migration } from './migrations.js';

export interface CatalogOptions {
  readOnly?: boolean;
  /** Schema migrations (tests add versions; default: the shipped ones). */
  migrations?: readonly Migration[];
  clock?: () => number;
}

const JOB_COLUMNS: Record<keyof JobPatch, string> = {
  kind: 'kind', space: 'space', spec: 'spec', intervalMs: 'interval_ms', threshold: 'threshold', lastRun: 'last_run', nextRun: 'next_run',
};

export class Catalog {
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    readonly readOnly: boolean,
  ) {}

  /** Open (creating and migrating it unless readOnly) the catalog file at `file`. */
  static open(file: string, opts: CatalogOptions = {}): Catalog {
    const readOnly = opts.readOnly === true;
    let db: Database.Database | undefined;
    try {
      const created = !readOnly && !fs.existsSync(file);
      if (created) fs.closeSync(fs.openSync(file, 'a', 0o600));
      db = new Database(file, { readonly: readOnly, fileMustExist: true });
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new MnemoError('CORRUPTION', `catalog ${file} is corrupt (${String(check)}); restore it from a backup`, { path: file });
      Catalog.configure(db, file, readOnly, opts);
      if (created) fsyncDir(path.dirname(path.resolve(file)));
      return new Catalog(db, file, readOnly);
    } catch (e) {
      db?.close();
      throw catalogError(e, file, 'open');
    }
  }

  private static configure(db: Database.Database, file: string, readOnly: boolean, opts: CatalogOptions): void {
    const migrations = opts.migrations ?? MIGRATIONS;
    db.pragma('foreign_keys = ON');
    // A catalog from a newer Mnemo is refused before anything (journal mode included) changes in it.
    const v = checkVersion(schemaVersion(db), migrations.length, file);
    if (readOnly) {
      if (v !== migrations.length) {
        throw new MnemoError('READ_ONLY', `catalog ${file} has schema version ${v}, expected ${migrations.length}; open it read-write once to migrate`, { path: file });
      }
      return;
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    migrate(db, migrations, opts.clock);
  }

  /** Schema version (PRAGMA user_version). */
  get schemaVersion(): number {
    return this.run('read the schema version', () => schemaVersion(this.db));
  }

  // ---- spaces ----

  createSpace(config: SpaceConfig): void {
    if (typeof config?.name !== 'string' || config.name === '') throw invalid('a space needs a non-empty name');
    this.run(`create space '${config.name}'`, () => {
      const exists = this.db.prepare('SELECT 1 FROM spaces WHERE name = ?').get(config.name);
      if (exists) throw new MnemoError('SPACE_EXISTS', `space '${config.name}' already exists`);
      this.db.prepare('INSERT INTO spaces (name, config) VALUES (?, ?)').run(config.name, toJson(config, 'space config'));
    });
  }

  getSpace(name: string): SpaceConfig | null {
    const row = this.run('read a space', () => this.db.prepare('SELECT config FROM spaces WHERE name = ?').get(name)) as { config: string } | undefined;
    return row === undefined ? null : (parseStoredJson(row.config, this.path, `space '${name}' config`) as SpaceConfig);
  }

  listSpaces(): SpaceConfig[] {
    const rows = this.run('list spaces', () => this.db.prepare('SELECT name, config FROM spaces ORDER BY name').all()) as Array<{ name: string; config: string }>;
    return rows.map((r) => parseStoredJson(r.config, this.path, `space '${r.name}' config`) as SpaceConfig);
  }

  /** Drop a space, its segments and its jobs in one transaction; returns the segment rows whose files to delete. */
  dropSpace(name: string): SegmentRow[] {
    return this.run(`drop space '${name}'`, () =>
      this.db.transaction(() => {
        if (!this.db.prepare('SELECT 1 FROM spaces WHERE name = ?').get(name)) throw new MnemoError('UNKNOWN_SPACE', `no space named '${name}'`);
        const rows = this.db.prepare('SELECT * FROM segments WHERE space = ? ORDER BY id').all(name) as SqlSegment[];
        const segs = rows.map((r) => segmentFromSql(r, this.path));
        this.db.prepare('DELETE FROM segments WHERE space = ?').run(name);
        this.db.prepare('DELETE FROM jobs WHERE space = ?').run(name);
        this.db.prepare('DELETE FROM spaces WHERE name = ?').run(name);
        return segs;
      })(),
    );
  }

  // ---- segments and checkpoint ----

  /** Live segments (of one space, or all), ordered by space, level, id. */
  liveSegments(space?: string): SegmentRow[] {
    const rows = this.run('list segments', () =>
      space === undefined
        ? this.db.prepare('SELECT * FROM segments ORDER BY space, level, id').all()
        : this.db.prepare('SELECT * FROM segments WHERE space = ? ORDER BY level, id').all(space),
    ) as SqlSegment[];
    return rows.map((r) => segmentFromSql(r, this.path));
  }

  /** Reserve a new segment id (durably: never handed out twice, even if unused). */
  nextSegmentId(): number {
    const row = this.run('allocate a segment id', () =>
      this.db.prepare("UPDATE sequences SET next = next + 1 WHERE name = 'segment_id' RETURNING next - 1 AS id").get(),
    ) as { id: number } | undefined;
    if (row === undefined) throw this.missingRow('segment_id sequence');
    return row.id;
  }

  /** Add and remove live segments and move the checkpoint, all in ONE transaction (the commit point). */
  commitSegments(commit: SegmentCommit): void {
    const add = commit.add.map(segmentToSql);
    this.run('commit segments', () =>
      this.db.transaction(() => {
        const seq = this.db.prepare("SELECT next FROM sequences WHERE name = 'segment_id'").get() as { next: number } | undefined;
        if (seq === undefined) throw this.missingRow('segment_id sequence');
        const next = seq.next;
        for (const s of add) {
          if (s.id >= next) throw invalid(`segment id ${s.id} was not allocated by nextSegmentId()`);
          this.db.prepare(
            'INSERT INTO segments (id, space, level, path, rows, bytes, min_lsn, max_lsn, checksum, hnsw_path, created) ' +
              'VALUES (@id, @space, @level, @path, @rows, @bytes, @min_lsn, @max_lsn, @checksum, @hnsw_path, @created)',
          ).run(s);
        }
        for (const id of commit.remove) {
          if (this.db.prepare('DELETE FROM segments WHERE id = ?').run(id).changes !== 1) throw invalid(`segment ${id} is not live`);
        }
        if (commit.checkpointLsn !== undefined) this.setCheckpoint(commit.checkpointLsn);
      })(),
    );
  }

  private setCheckpoint(lsn: number): void {
    const current = this.checkpointLsn();
    if (!Number.isSafeInteger(lsn) || lsn < current) throw invalid(`checkpoint LSN ${lsn} must be an integer ≥ the current ${current}`);
    this.db.prepare('UPDATE wal_state SET checkpoint_lsn = ? WHERE id = 1').run(lsn);
  }

  checkpointLsn(): number {
    const row = this.run('read the checkpoint', () => this.db.prepare('SELECT checkpoint_lsn FROM wal_state WHERE id = 1').get()) as
      | { checkpoint_lsn: number }
      | undefined;
    if (row === undefined) throw this.missingRow('wal_state');
    return row.checkpoint_lsn;
  }

  /** Every file path (relative to the database directory) a live segment names: segment and HNSW files. */
  referencedPaths(): Set<string> {
    const rows = this.run('list referenced paths', () => this.db.prepare('SELECT path, hnsw_path FROM segments').all()) as Array<{ path: string; hnsw_path: string | null }>;
    const out = new Set<string>();
    const bad = (why: string): MnemoError => new MnemoError('CORRUPTION', `catalog ${this.path}: a segment ${why}; restore it from a backup`, { path: this.path });
    for (const r of rows) {
      out.add(storedPath(r.path, bad));
      if (r.hnsw_path !== null) out.add(storedPath(r.hnsw_path, bad));
    }
    return out;
  }

  // ---- jobs ----

  addJob(job: NewJob): number {
    checkJobFields(job as unknown as Record<string, unknown>, true);
    const r = this.run('add a job', () =>
      this.db.prepare(
        'INSERT INTO jobs (kind, space, spec, interval_ms, threshold, last_run, next_run, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(job.kind, job.space, toJson(job.spec, 'job spec'), job.intervalMs, job.threshold, job.lastRun, job.nextRun, job.created),
    );
    return Number(r.lastInsertRowid);
  }

  listJobs(): JobRow[] {
    const rows = this.run('list jobs', () => this.db.prepare('SELECT * FROM jobs ORDER BY id').all()) as SqlJob[];
    return rows.map((r) => jobFromSql(r, this.path));
  }

  /** Change some fields of a job; false when no job has that id. */
  updateJob(id: number, patch: JobPatch): boolean {
    const keys = (Object.keys(patch) as Array<keyof JobPatch>).filter((k) => Object.hasOwn(JOB_COLUMNS, k) && patch[k] !== undefined);
    checkJobFields(Object.fromEntries(keys.map((k) => [k, patch[k]])), false);
    if (keys.length === 0) return this.run('find a job', () => this.db.prepare('SELECT 1 FROM jobs WHERE id = ?').get(id) !== undefined);
    const values = keys.map((k) => (k === 'spec' ? toJson(patch.spec, 'job spec') : patch[k]));
    const sets = keys.map((k) => `${JOB_COLUMNS[k]} = ?`).join(', ');
    return this.run('update a job', () => this.db.prepare(`UPDATE jobs SET ${sets} WHERE id = ?`).run(...values, id).changes === 1);
  }

  removeJob(id: number): boolean {
    return this.run('remove a job', () => this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id).changes === 1);
  }

  // ---- settings ----

  getSetting(key: string): unknown {
    const row = this.run('read a setting', () => this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key)) as { value: string } | undefined;
    return row === undefined ? undefined : parseStoredJson(row.value, this.path, `setting '${key}'`);
  }

  setSetting(key: string, value: unknown): void {
    this.run('write a setting', () =>
      this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, toJson(value, `setting '${key}'`)),
    );
  }

  // ---- lifecycle ----

  /** Online backup (SQLite backup API) to `dest`, consistent even while writes continue. */
  async backupTo(dest: string): Promise<void> {
    this.assertOpen();
    try {
      await this.db.backup(dest);
      fs.chmodSync(dest, 0o600);
      fsyncDir(path.dirname(path.resolve(dest)));
    } catch (e) {
      throw catalogError(e, this.path, `backup to ${dest}`);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private missingRow(what: string): MnemoError {
    return new MnemoError('CORRUPTION', `catalog ${this.path} has no ${what} row; restore it from a backup`, { path: this.path });
  }

  private assertOpen(): void {
    if (this.closed) throw new MnemoError('CLOSED', `catalog ${this.path} is closed`);
  }

  /** Run a statement, translating SQLite errors into MnemoError. */
  private run<T>(action: string, fn: () => T): T {
    this.assertOpen();
    try {
      return fn();
    } catch (e) {
      throw catalogError(e, this.path, action);
    }
  }
}
