/**
 * Segment reader lifetime (docs/segment_format.md §4 "Lifetime"): reference counting by
 * snapshots, close() by the owner, unmap at the last release, RELEASED afterwards, and views
 * handed out earlier detached (length 0) instead of dangling.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MnemoError } from '@mnemo/native';
import { openSegment, writeSegment } from '../src/storage/segment/index.js';
import type { SegmentReader } from '../src/storage/segment/index.js';
import { mixedContent, tempDir } from './segment-fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let path: string;
beforeEach(async () => {
  tmp = tempDir();
  path = (await writeSegment(join(tmp.dir, 'spaces', 'notes', 'seg-000001'), mixedContent(3, 20, 8))).path;
});
afterEach(() => tmp.cleanup());

function codeOf(f: () => unknown): string {
  try { f(); return 'ok'; } catch (e) { return (e as MnemoError).code ?? String(e); }
}

const accessors: [string, (r: SegmentReader) => unknown][] = [
  ['findRow', (r) => r.findRow('m00001')], ['id', (r) => r.id(0)], ['content', (r) => r.content(0)],
  ['embedding', (r) => r.embedding(0)], ['embeddings', (r) => r.embeddings()], ['record', (r) => r.record(0)],
  ['meta', (r) => r.meta(0)], ['decay', (r) => r.decay(0)], ['createdColumn', (r) => r.createdColumn()],
  ['decayUpdate', (r) => r.decayUpdate('old1')], ['isTombstoned', (r) => r.isTombstoned('gone1')],
  ['associationsFrom', (r) => r.associationsFrom('m00000')], ['associations', (r) => [...r.associations()]],
  ['assocTombstones', (r) => r.assocTombstones()], ['retain', (r) => r.retain()],
];

describe('segment lifetime', () => {
  it('close() with no references unmaps at once; every accessor then throws RELEASED', () => {
    const r = openSegment(path);
    r.close();
    expect(r.released).toBe(true);
    for (const [name, f] of accessors) expect([name, codeOf(() => f(r))]).toEqual([name, 'RELEASED']);
  });

  it('close() while retained keeps the data readable until the last release', () => {
    const r = openSegment(path);
    r.retain();
    r.retain();
    const view = r.embeddings();
    const first = view[0];
    r.close();
    expect(r.released).toBe(false);
    expect(r.embeddings()[0]).toBe(first);
    expect(r.id(0)).toBe('m00000é');
    r.release();
    expect(r.released).toBe(false);
    expect(r.record(1).id).toBe('m00001');
    r.release();
    expect(r.released).toBe(true);
    expect(codeOf(() => r.id(0))).toBe('RELEASED');
  });

  it('views handed out before the unmap are detached (length 0), records were copied', () => {
    const r = openSegment(path);
    const view = r.embedding(2);
    const col = r.createdColumn();
    const rec = r.record(2);
    const copy = Array.from(view);
    r.close();
    expect(view.length).toBe(0);
    expect(col.length).toBe(0);
    expect(view[0]).toBeUndefined();
    expect(Array.from(rec.embedding)).toEqual(copy);
  });

  it('release() without retain() is INVALID_ARGUMENT; retain() after close() is RELEASED; close() is idempotent', () => {
    const r = openSegment(path);
    expect(codeOf(() => r.release())).toBe('INVALID_ARGUMENT');
    r.retain();
    r.close();
    r.close();
    expect(codeOf(() => r.retain())).toBe('RELEASED');
    expect(r.refCount).toBe(1);
    r.release();
    expect(r.released).toBe(true);
  });

  it('retain/release without close() never unmaps', () => {
    const r = openSegment(path);
    for (let i = 0; i < 5; i++) { r.retain(); r.release(); }
    expect(r.released).toBe(false);
    expect(r.rowCount).toBe(20);
    r.close();
  });

  it('row ids outside the segment are INVALID_ARGUMENT, not a silent undefined', () => {
    const r = openSegment(path);
    for (const row of [-1, 20, 1.5, Number.NaN]) expect(codeOf(() => r.id(row))).toBe('INVALID_ARGUMENT');
    r.close();
  });

  it('a missing file is IO_ERROR (not CORRUPTION)', () => {
    expect(codeOf(() => openSegment(join(tmp.dir, 'nope.seg')))).toBe('IO_ERROR');
  });
});
