/**
 * A damaged catalog file is a typed CORRUPTION error, never a crash: garbage instead of a
 * database, a flipped header, damaged pages, truncation, and unparsable JSON in a row.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../src/storage/catalog/index.js';
import { Rng } from '../src/storage/env/index.js';
import { catalogPath, segmentRow, spaceConfig } from './catalog-helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A closed, checkpointed catalog with enough rows to span several pages. */
function goodCatalog(): string {
  const t = catalogPath('catalog-bad');
  cleanups.push(t.cleanup);
  const c = Catalog.open(t.file);
  for (let s = 0; s < 20; s++) c.createSpace({ ...spaceConfig(`space-${s}`), embedder: 'x'.repeat(300) });
  const ids = Array.from({ length: 60 }, () => c.nextSegmentId());
  c.commitSegments({ add: ids.map((id) => segmentRow(id, `space-${id % 20}`)), remove: [], checkpointLsn: 7 });
  c.close();
  const db = new Database(t.file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return t.file;
}

function expectCorruption(file: string): void {
  let err: unknown;
  try {
    const c = Catalog.open(file);
    c.listSpaces();
    c.liveSegments();
    c.close();
  } catch (e) {
    err = e;
  }
  expect(err).toMatchObject({ code: 'CORRUPTION' });
}

describe('catalog corruption', () => {
  it('a file that is not a database is CORRUPTION', () => {
    const file = goodCatalog();
    fs.writeFileSync(file, Buffer.from('this is not an SQLite database, just text '.repeat(200)));
    expectCorruption(file);
  });

  it('a damaged header is CORRUPTION', () => {
    const file = goodCatalog();
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, 0, 16);
    fs.writeFileSync(file, bytes);
    expectCorruption(file);
  });

  it('damaged b-tree pages are CORRUPTION (quick_check on open)', () => {
    const file = goodCatalog();
    const pristine = fs.readFileSync(file);
    const pageSize = pristine.readUInt16BE(16);
    const pages = pristine.length / pageSize;
    expect(pages).toBeGreaterThan(3);
    let detected = 0;
    for (let page = 1; page < pages; page++) {
      const bytes = Buffer.from(pristine);
      const rng = new Rng(page);
      for (let i = 0; i < 64; i++) bytes[page * pageSize + rng.int(40)] = rng.int(256);
      fs.writeFileSync(file, bytes);
      expectCorruption(file);
      detected++;
    }
    expect(detected).toBe(pages - 1);
  });

  it('a truncated file is CORRUPTION', () => {
    const file = goodCatalog();
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectCorruption(file);
  });

  it('unparsable JSON in a row is CORRUPTION naming the row', () => {
    const file = goodCatalog();
    const db = new Database(file);
    db.prepare("UPDATE spaces SET config = '{broken' WHERE name = 'space-3'").run();
    db.close();
    const c = Catalog.open(file);
    expect(() => c.getSpace('space-3')).toThrow(expect.objectContaining({ code: 'CORRUPTION', message: expect.stringContaining("space 'space-3'") }));
    expect(c.getSpace('space-4')?.name).toBe('space-4');
    c.close();
  });

  it('a missing segment-id sequence row is CORRUPTION, not a TypeError', () => {
    const file = goodCatalog();
    const db = new Database(file);
    db.exec('DELETE FROM sequences');
    db.close();
    const c = Catalog.open(file);
    expect(() => c.nextSegmentId()).toThrow(expect.objectContaining({ code: 'CORRUPTION', message: expect.stringContaining('segment_id') }));
    expect(() => c.commitSegments({ add: [], remove: [], checkpointLsn: 8 })).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    c.close();
  });

  it('a negative schema version is CORRUPTION (it must not re-run migrations)', () => {
    const file = goodCatalog();
    const db = new Database(file);
    db.pragma('user_version = -1');
    db.close();
    expect(() => Catalog.open(file)).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    expect(() => Catalog.open(file, { readOnly: true })).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
  });

  it('a segment row naming a path outside the database directory, or with impossible numbers, is CORRUPTION', () => {
    for (const update of ["path = '/etc/passwd'", "hnsw_path = '../../x'", 'rows = -1', 'min_lsn = max_lsn + 1']) {
      const file = goodCatalog();
      const db = new Database(file);
      db.prepare(`UPDATE segments SET ${update} WHERE id = 5`).run();
      db.close();
      const c = Catalog.open(file);
      expect(() => c.liveSegments(), update).toThrow(expect.objectContaining({ code: 'CORRUPTION', message: expect.stringContaining('segment 5') }));
      if (update.includes('path')) expect(() => c.referencedPaths(), update).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
      else expect(c.referencedPaths().size, update).toBe(120);
      c.close();
    }
  });
});
