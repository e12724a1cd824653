/**
 * The flush hand-over to the segment worker (docs/storage.md "Compaction off the main thread",
 * docs/wal_format.md "v2: columnar remember batch"): rows travel as one columnar buffer and the
 * worker's write job produces the very file an inline writeSegment of the same content does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MemoryRecord } from '../src/model.js';
import { SEGMENT_FILE_NAME, writeSegment, type SegmentContent } from '../src/storage/segment/index.js';
import { runSegmentJob } from '../src/storage/store/segment-worker.js';
import { columnarRows, encodeColumnar } from '../src/storage/wal/wal-columnar.js';
import { tempDir } from './wal-helpers.js';

function rows(n: number, dim: number): MemoryRecord[] {
  const block = new Float32Array(n * dim).map((_, k) => Math.cos(k));
  return Array.from({ length: n }, (_, i) => ({
    id: `r${String(i).padStart(5, '0')}`, space: 'sp', content: i % 4 === 0 ? `ü ${i} 😀` : `row ${i}`,
    embedding: block.subarray(i * dim, (i + 1) * dim), kind: i % 3 === 0 ? 'semantic' : 'episodic', created: 1000 + i, recorded: 2000,
    confidence: { lo: 0.5, hi: 1 }, decay: { count: 2, first: 10, last: 20 + i, recentTimes: [10, 20 + i], recentDecays: [0.5, 0.4], olderDecay: 0 },
    meta: i % 5 === 0 ? { i, tags: ['x'] } : null,
  }));
}

describe('flush hand-over to the segment worker', () => {
  it('a write job decoding the columnar rows writes the same file byte for byte as writeSegment inline', async () => {
    const t = tempDir('handover');
    try {
      const content: SegmentContent = {
        space: 'sp', segmentId: 7, dim: 8, minLsn: 3, maxLsn: 9, created: 12345, rows: rows(300, 8),
        decayUpdates: [], tombstones: ['r99999'], associations: [], assocTombstones: [],
      };
      const inline = await writeSegment(path.join(t.dir, 'a'), content);
      const accepted = columnarRows(content.rows);
      expect(accepted).not.toBeNull();
      const payload = encodeColumnar(accepted!, 1 << 30);
      expect(payload).toBeInstanceOf(Uint8Array);
      const { rows: _omit, ...rest } = content;
      const viaJob = await runSegmentJob({ kind: 'write', finalDir: path.join(t.dir, 'b'), rows: payload as Uint8Array, content: rest });
      expect(viaJob).toMatchObject({ bytes: inline.bytes, rows: 300, checksum: inline.checksum });
      const a = fs.readFileSync(path.join(t.dir, 'a', SEGMENT_FILE_NAME));
      const b = fs.readFileSync(path.join(t.dir, 'b', SEGMENT_FILE_NAME));
      expect(Buffer.compare(a, b)).toBe(0);
    } finally {
      t.cleanup();
    }
  });

  it('rows the columnar form cannot carry exactly are refused (the flush then writes inline)', () => {
    const r = rows(2, 4);
    expect(columnarRows([])).toBeNull();
    expect(columnarRows([r[0], { ...r[1]!, embedding: new Float32Array(5) }])).toBeNull();
    expect(columnarRows([{ ...r[0]!, extra: true }])).toBeNull();
    expect(encodeColumnar(r, 100)).toBeGreaterThan(100);
  });
});
