/**
 * Progress reporting (QueryOptions.onProgress): CONSOLIDATE reports per cluster, COMPACT its two
 * steps, and the HNSW builds of the segments it writes are counted; nothing is reported unasked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { open, type Progress } from '../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('onProgress', () => {
  it('reports CONSOLIDATE clusters, COMPACT steps and index builds', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mnemo-progress-'));
    dirs.push(dir);
    const db = await open(dir, { durability: 'off', clock: () => Date.UTC(2026, 0, 1) });
    try {
      const batch = [];
      for (let i = 0; i < 4; i++) batch.push({ id: `c${i}`, content: `ordered a flat white with oat milk number ${i}` });
      for (let i = 0; i < 4; i++) batch.push({ id: `r${i}`, content: `went running along the river for ${i + 5} km` });
      await db.query('REMEMBER $batch', { batch });
      const seen: Progress[] = [];
      const r = await db.query('CONSOLIDATE * SIMILARITY 0.5 MIN_SIZE 3', undefined, { onProgress: (p) => seen.push({ ...p }) });
      const consolidate = seen.filter((p) => p.task === 'consolidate');
      expect(r.rows.length).toBe(2);
      expect(consolidate.map((p) => [p.done, p.total])).toEqual([[0, 2], [0, 2], [1, 2]]);
      seen.length = 0;
      await db.query('COMPACT', undefined, { onProgress: (p) => seen.push({ ...p }) });
      expect(seen.filter((p) => p.task === 'compact').map((p) => p.done)).toEqual([0, 1, 2]);
      expect(seen.filter((p) => p.task === 'index build').length).toBeGreaterThanOrEqual(1);
      // No callback, no reports, and a later statement does not reuse an old callback.
      seen.length = 0;
      await db.query('COMPACT');
      expect(seen).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
