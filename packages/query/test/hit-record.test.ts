/**
 * HitRecord (ops/hit-record.ts): a vector hit's record read field by field. Every field equals the
 * whole record the segment view reads (decay updates above the segment included); the content,
 * meta and embedding of a hit are read only when asked; and a vector RECALL reads them for the
 * rows it returns only, with the same rows as the whole-record path (CONSOLIDATE's VectorSearch).
 */
import { SegmentReader, type MemoryRecord } from '@mnemo/engine';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HitRecord } from '../src/ops/hit-record.js';
import { DAY, freshDb, HOUR, T0, type TestDb } from './helpers/db.js';

let t: TestDb;
beforeEach(async () => {
  t = await freshDb();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.cleanup();
});

const FIELDS = ['id', 'space', 'content', 'embedding', 'kind', 'created', 'recorded', 'confidence', 'decay', 'meta'] as const;
const fields = (r: MemoryRecord): unknown[] => FIELDS.map((f) => r[f]);

/** 120 memories in two segments and the memtable, some presented after the flushes. */
async function populate(): Promise<void> {
  await t.db.query('CREATE SPACE h DIM 3');
  const batch = (from: number, to: number) => Array.from({ length: to - from }, (_, j) => {
    const i = from + j;
    return {
      id: `m${String(i).padStart(3, '0')}`, content: `memory ${i}`, embedding: [Math.cos(i), Math.sin(i), (i % 7) / 7],
      kind: i % 4 === 0 ? 'semantic' : 'episodic', at: new Date(T0 - i * HOUR), meta: i % 3 === 0 ? null : { n: i % 5 },
      confidence: [0.5 + (i % 5) / 10, 1],
    };
  });
  await t.db.query('REMEMBER $b IN SPACE h', { b: batch(0, 50) });
  await t.db.query('CHECKPOINT');
  await t.db.query('REMEMBER $b IN SPACE h', { b: batch(50, 100) });
  await t.db.query('CHECKPOINT');
  await t.db.query('REMEMBER $b IN SPACE h', { b: batch(100, 120) });
  await t.db.query('REINFORCE m003 TIMES 2 IN SPACE h; REINFORCE m061 IN SPACE h; REINFORCE m007 IN SPACE h');
  t.clock.now += DAY;
}

describe('HitRecord', () => {
  it('has every field of the whole record, for every live row of every segment', async () => {
    await populate();
    const snap = t.db.store.snapshot();
    try {
      const views = snap.segments('h');
      expect(views.length).toBe(2);
      let rows = 0;
      for (const v of views) {
        for (let row = 0; row < v.reader.rows; row++) {
          if (((v.live[row >>> 3]! >>> (row & 7)) & 1) === 0) continue;
          const whole = v.record(row);
          expect(fields(new HitRecord(whole.id, 'h', v, row))).toEqual(fields(whole));
          rows++;
        }
      }
      expect(rows).toBe(100);
    } finally {
      snap.release();
    }
  });

  it('reads content, meta and embedding only when asked, and once', async () => {
    await populate();
    const snap = t.db.store.snapshot();
    try {
      const v = snap.segments('h')[0]!;
      const content = vi.spyOn(SegmentReader.prototype, 'content');
      const meta = vi.spyOn(SegmentReader.prototype, 'meta');
      const embedding = vi.spyOn(SegmentReader.prototype, 'embeddingCopy');
      const r = new HitRecord(v.reader.id(1), 'h', v, 1);
      expect(r.decay.count).toBeGreaterThanOrEqual(1);
      expect(r.created).toBe(v.reader.created(1));
      expect([content, meta, embedding].map((s) => s.mock.calls.length)).toEqual([0, 0, 0]);
      expect(r.content).toBe(r.content);
      expect(r.meta).toBe(r.meta);
      expect(r.embedding).toBe(r.embedding);
      expect([content, meta, embedding].map((s) => s.mock.calls.length)).toEqual([1, 1, 1]);
    } finally {
      snap.release();
    }
  });
});

describe('a vector RECALL over HitRecords', () => {
  it('reads the content and meta of the rows it returns only, never an embedding, and returns the rows whole records give', async () => {
    await populate();
    const content = vi.spyOn(SegmentReader.prototype, 'content');
    const meta = vi.spyOn(SegmentReader.prototype, 'meta');
    const embedding = vi.spyOn(SegmentReader.prototype, 'embeddingCopy');
    const r = await t.db.query('RECALL [1, 0.2, 0.5] IN SPACE h LIMIT 5 NO REINFORCE');
    expect(r.rows).toHaveLength(5);
    // 26 neighbours ranked (2·5 + 16); only the 5 returned are read (memtable hits are whole records)
    expect(content.mock.calls.length).toBeLessThanOrEqual(5);
    expect(meta.mock.calls.length).toBeLessThanOrEqual(5);
    expect(embedding).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    // the same rows as a plan of whole records: every memory's row, by id, from RECALL * (Scan)
    const byId = new Map((await t.db.query('RECALL * IN SPACE h NO REINFORCE')).rows.map((x) => [x.id, x]));
    for (const row of r.rows) {
      const whole = byId.get(row.id as string)!;
      for (const c of ['content', 'kind', 'retention', 'confidence', 'created', 'last_access', 'access_count', 'meta']) expect(row[c], `${String(row.id)} ${c}`).toEqual(whole[c]);
    }
    // with a WHERE on stored and computed columns, and ORDER BY a stored one
    const w = await t.db.query("RECALL [1, 0.2, 0.5] IN SPACE h WHERE kind = 'episodic' AND retention > 0 ORDER BY created DESC LIMIT 8 NO REINFORCE");
    expect(w.rows.length).toBeGreaterThan(0);
    for (const row of w.rows) expect(row.content).toBe(byId.get(row.id as string)!.content);
  });
});
