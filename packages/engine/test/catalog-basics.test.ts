/**
 * The catalog (catalog.db): pragmas and permissions, migrations, spaces, the segment manifest and
 * the atomicity of commitSegments, checkpoint, segment id sequence, jobs, settings, referenced
 * paths, online backup and read-only opens.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog, MIGRATIONS, type Migration } from '../src/storage/catalog/index.js';
import { catalogPath, segmentRow, spaceConfig } from './catalog-helpers.js';

let cleanup: () => void = () => undefined;
const open: Catalog[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  cleanup();
});

function fresh(): { file: string; dir: string } {
  const t = catalogPath('catalog');
  cleanup = t.cleanup;
  return t;
}

function openCat(file: string, opts: Parameters<typeof Catalog.open>[1] = {}): Catalog {
  const c = Catalog.open(file, opts);
  open.push(c);
  return c;
}

/** A catalog with spaces a, b and segments 1..3 in a, 4 in b, checkpoint 10. */
function populated(file: string): Catalog {
  const c = openCat(file);
  c.createSpace(spaceConfig('a'));
  c.createSpace(spaceConfig('b'));
  const ids = [1, 2, 3, 4].map(() => c.nextSegmentId());
  c.commitSegments({ add: ids.map((id) => segmentRow(id, id === 4 ? 'b' : 'a')), remove: [], checkpointLsn: 10 });
  return c;
}

describe('catalog file and migrations', () => {
  it('creates catalog.db 0600 in WAL mode with synchronous=FULL at schema version 1', () => {
    const { file } = fresh();
    const c = openCat(file, { clock: () => 42 });
    expect(c.schemaVersion).toBe(1);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    c.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version, description, applied FROM schema_migrations').all()).toEqual([{ version: 1, description: 'initial schema', applied: 42 }]);
    db.close();
    const again = openCat(file);
    expect((again as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('applies each new numbered migration once, in a transaction', () => {
    const { file } = fresh();
    openCat(file).close();
    const v2: Migration = { version: 2, description: 'add notes', up: (db) => db.exec('CREATE TABLE notes (x TEXT) STRICT') };
    const c = openCat(file, { migrations: [...MIGRATIONS, v2] });
    expect(c.schemaVersion).toBe(2);
    c.close();
    const again = openCat(file, { migrations: [...MIGRATIONS, v2] });
    expect(again.schemaVersion).toBe(2);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([{ version: 1 }, { version: 2 }]);
    db.close();
  });

  it('a migration that fails leaves no trace (rolled back) and the version unchanged', () => {
    const { file } = fresh();
    openCat(file).close();
    const broken: Migration = {
      version: 2, description: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half (x INTEGER)');
        db.exec('INSERT INTO no_such_table VALUES (1)');
      },
    };
    expect(() => openCat(file, { migrations: [...MIGRATIONS, broken] })).toThrow();
    const c = openCat(file);
    expect(c.schemaVersion).toBe(1);
    c.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all()).toEqual([]);
    db.close();
  });

  it('a catalog from a newer Mnemo is NOT_SUPPORTED; an unmigrated one cannot be opened read-only', () => {
    const { file } = fresh();
    openCat(file).close();
    const db = new Database(file);
    db.pragma('user_version = 7');
    db.close();
    expect(() => Catalog.open(file)).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED' }));
    const old = path.join(path.dirname(file), 'old.db');
    new Database(old).close();
    expect(() => Catalog.open(old, { readOnly: true })).toThrow(expect.objectContaining({ code: 'READ_ONLY' }));
    expect(() => Catalog.open(file, { readOnly: true })).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED', message: expect.stringContaining('upgrade Mnemo') }));
  });

  it('a writer refuses a newer catalog before changing anything in it (journal mode, content)', () => {
    const { file } = fresh();
    openCat(file).close();
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.pragma('user_version = 9');
    db.close();
    const before = fs.readFileSync(file);
    expect(() => Catalog.open(file)).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED' }));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });
});

describe('catalog spaces', () => {
  it('create, get, list (by name) and drop', () => {
    const c = openCat(fresh().file);
    c.createSpace(spaceConfig('zeta', 4));
    c.createSpace(spaceConfig('alpha'));
    expect(c.getSpace('zeta')).toEqual(spaceConfig('zeta', 4));
    expect(c.getSpace('none')).toBeNull();
    expect(c.listSpaces().map((s) => s.name)).toEqual(['alpha', 'zeta']);
    expect(c.dropSpace('zeta')).toEqual([]);
    expect(c.listSpaces().map((s) => s.name)).toEqual(['alpha']);
  });

  it('SPACE_EXISTS on a duplicate, UNKNOWN_SPACE on dropping a missing space', () => {
    const c = openCat(fresh().file);
    c.createSpace(spaceConfig('a'));
    expect(() => c.createSpace(spaceConfig('a'))).toThrow(expect.objectContaining({ code: 'SPACE_EXISTS' }));
    expect(() => c.dropSpace('b')).toThrow(expect.objectContaining({ code: 'UNKNOWN_SPACE' }));
  });

  it('drop returns the space segment rows to delete and removes its segments and jobs', () => {
    const c = populated(fresh().file);
    c.addJob({ kind: 'consolidate', space: 'a', spec: {}, intervalMs: 1000, threshold: null, lastRun: null, nextRun: null, created: 1 });
    c.addJob({ kind: 'consolidate', space: 'b', spec: {}, intervalMs: 1000, threshold: null, lastRun: null, nextRun: null, created: 1 });
    const dropped = c.dropSpace('a');
    expect(dropped.map((s) => s.id)).toEqual([1, 2, 3]);
    expect(dropped[0]).toEqual(segmentRow(1, 'a'));
    expect(c.liveSegments().map((s) => s.id)).toEqual([4]);
    expect(c.listJobs().map((j) => j.space)).toEqual(['b']);
  });
});

describe('catalog segments and checkpoint', () => {
  it('nextSegmentId hands out increasing ids that survive reopen', () => {
    const { file } = fresh();
    const c = openCat(file);
    expect([c.nextSegmentId(), c.nextSegmentId()]).toEqual([1, 2]);
    c.close();
    expect(openCat(file).nextSegmentId()).toBe(3);
  });

  it('commitSegments adds, removes and moves the checkpoint together; liveSegments filters by space', () => {
    const { file } = fresh();
    const c = populated(file);
    expect(c.checkpointLsn()).toBe(10);
    expect(c.liveSegments('a').map((s) => s.id)).toEqual([1, 2, 3]);
    const id = c.nextSegmentId();
    c.commitSegments({ add: [segmentRow(id, 'a', { level: 1, hnswPath: null })], remove: [1, 2], checkpointLsn: 12 });
    c.close();
    const again = openCat(file);
    expect(again.liveSegments('a').map((s) => [s.id, s.level])).toEqual([[3, 0], [id, 1]]);
    expect(again.liveSegments('a')[1]!.hnswPath).toBeNull();
    expect(again.checkpointLsn()).toBe(12);
  });

  it('commitSegments is atomic: any bad part leaves segments and checkpoint unchanged', () => {
    const c = populated(fresh().file);
    const before = c.liveSegments();
    const id = c.nextSegmentId();
    const attempts = [
      { add: [segmentRow(id, 'a')], remove: [1, 99], checkpointLsn: 20 },
      { add: [segmentRow(id, 'a'), segmentRow(id, 'a', { path: 'other' })], remove: [1], checkpointLsn: 20 },
      { add: [segmentRow(id, 'a', { path: segmentRow(2, 'a').path })], remove: [], checkpointLsn: 20 },
      { add: [segmentRow(id, 'a')], remove: [1], checkpointLsn: 5 },
      { add: [segmentRow(id, 'nospace')], remove: [1], checkpointLsn: 20 },
      { add: [segmentRow(id + 50, 'a')], remove: [1], checkpointLsn: 20 },
    ];
    for (const attempt of attempts) {
      expect(() => c.commitSegments(attempt)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(c.liveSegments()).toEqual(before);
      expect(c.checkpointLsn()).toBe(10);
    }
  });

  it('rejects paths outside the database directory', () => {
    const c = populated(fresh().file);
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', '']) {
      expect(() => c.commitSegments({ add: [segmentRow(5, 'a', { path: bad })], remove: [] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('referencedPaths names every live segment and HNSW file', () => {
    const c = populated(fresh().file);
    c.commitSegments({ add: [], remove: [2] });
    const refs = c.referencedPaths();
    expect(refs.size).toBe(6);
    expect(refs.has(segmentRow(1, 'a').path)).toBe(true);
    expect(refs.has(segmentRow(1, 'a').hnswPath!)).toBe(true);
    expect(refs.has(segmentRow(2, 'a').path)).toBe(false);
  });
});

describe('catalog jobs and settings', () => {
  it('jobs: add, list, update some fields, remove', () => {
    const c = openCat(fresh().file);
    const id = c.addJob({ kind: 'consolidate', space: null, spec: { minCluster: 3 }, intervalMs: 60_000, threshold: 0.8, lastRun: null, nextRun: 5, created: 1 });
    const id2 = c.addJob({ kind: 'compact', space: null, spec: [], intervalMs: null, threshold: null, lastRun: null, nextRun: null, created: 2 });
    expect(c.updateJob(id, { lastRun: 100, nextRun: 60_100, spec: { minCluster: 4 } })).toBe(true);
    expect(c.updateJob(999, { lastRun: 1 })).toBe(false);
    expect(c.listJobs()[0]).toEqual({ id, kind: 'consolidate', space: null, spec: { minCluster: 4 }, intervalMs: 60_000, threshold: 0.8, lastRun: 100, nextRun: 60_100, created: 1 });
    expect(c.removeJob(id)).toBe(true);
    expect(c.removeJob(id)).toBe(false);
    expect(c.listJobs().map((j) => j.id)).toEqual([id2]);
  });

  it('jobs: only own job fields are columns; values of the wrong type are INVALID_ARGUMENT', () => {
    const c = openCat(fresh().file);
    const job = { kind: 'compact', space: null, spec: {}, intervalMs: 10, threshold: null, lastRun: null, nextRun: null, created: 1 };
    const id = c.addJob(job);
    const inherited = JSON.parse('{"constructor": 1, "__proto__": 2, "toString": 3}') as object;
    expect(c.updateJob(id, inherited as never)).toBe(true);
    expect(c.updateJob(id + 1, inherited as never)).toBe(false);
    for (const patch of [{ lastRun: { a: 1 } }, { nextRun: '5' }, { kind: 7 }, { space: [] }, { threshold: Number.NaN }]) {
      expect(() => c.updateJob(id, patch as never), JSON.stringify(patch)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => c.addJob({ ...job, created: undefined } as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => c.addJob({ ...job, intervalMs: 'soon' } as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(c.listJobs()).toEqual([{ id, ...job }]);
  });

  it('values JSON cannot encode (BigInt, cycles) are INVALID_ARGUMENT, not a TypeError, and change nothing', () => {
    const c = openCat(fresh().file);
    const job = { kind: 'compact', space: null, spec: {}, intervalMs: 10, threshold: null, lastRun: null, nextRun: null, created: 1 };
    const id = c.addJob(job);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const bad of [{ n: 1n }, cycle]) {
      expect(() => c.addJob({ ...job, spec: bad })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(() => c.updateJob(id, { spec: bad })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(() => c.setSetting('k', bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(c.listJobs()).toEqual([{ id, ...job }]);
    expect(c.getSetting('k')).toBeUndefined();
  });

  it('settings: JSON values, overwrite, undefined when absent', () => {
    const c = openCat(fresh().file);
    expect(c.getSetting('x')).toBeUndefined();
    c.setSetting('x', { a: [1, 2] });
    c.setSetting('y', 'text');
    c.setSetting('x', 3);
    expect([c.getSetting('x'), c.getSetting('y')]).toEqual([3, 'text']);
    expect(() => c.setSetting('z', undefined)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('catalog read-only, backup, close', () => {
  it('read-only open reads but refuses writes with READ_ONLY', () => {
    const { file } = fresh();
    populated(file).close();
    const ro = openCat(file, { readOnly: true });
    expect(ro.liveSegments()).toHaveLength(4);
    expect(() => ro.createSpace(spaceConfig('c'))).toThrow(expect.objectContaining({ code: 'READ_ONLY' }));
    expect(() => ro.nextSegmentId()).toThrow(expect.objectContaining({ code: 'READ_ONLY' }));
  });

  it('read-only open of a missing file is IO_ERROR and creates nothing', () => {
    const { dir } = fresh();
    const missing = path.join(dir, 'none.db');
    expect(() => Catalog.open(missing, { readOnly: true })).toThrow(expect.objectContaining({ code: 'IO_ERROR' }));
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('backupTo writes a consistent copy that opens with the same content', async () => {
    const { file, dir } = fresh();
    const c = populated(file);
    c.setSetting('k', 'v');
    const dest = path.join(dir, 'backup.db');
    await c.backupTo(dest);
    expect(fs.statSync(dest).mode & 0o777).toBe(0o600);
    const b = openCat(dest, { readOnly: true });
    expect(b.liveSegments()).toEqual(c.liveSegments());
    expect(b.getSetting('k')).toBe('v');
    expect(b.checkpointLsn()).toBe(10);
  });

  it('methods after close are CLOSED', () => {
    const c = Catalog.open(fresh().file);
    c.close();
    c.close();
    expect(() => c.listSpaces()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });
});
