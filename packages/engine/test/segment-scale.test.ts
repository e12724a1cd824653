/**
 * Segment scale (docs/segment_format.md §3–§4): writes and reopens a large segment and checks it
 * at seeded rows, reporting write/open/lookup times. Default 50k rows × 128-d; MNEMO_LONG=1 runs
 * 1M rows × 128-d (the size the writer must handle in a few seconds).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Association } from '../src/model.js';
import { openSegment, writeSegment } from '../src/storage/segment/index.js';
import type { SegmentContent, SegmentRow } from '../src/storage/segment/index.js';
import { decayState, emptyContent, rng, tempDir } from './segment-fixtures.js';

const LONG = process.env.MNEMO_LONG === '1';
const ROWS = LONG ? 1_000_000 : 50_000;
const DIM = 128;

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => { tmp = tempDir(); });
afterAll(() => tmp.cleanup());

function bigContent(): SegmentContent {
  const r = rng(99);
  const emb = new Float32Array(ROWS * DIM);
  for (let i = 0; i < emb.length; i++) emb[i] = r() - 0.5;
  const decay = { count: 3, first: 1, last: 3, recentTimes: [1, 2, 3], recentDecays: [0.5, 0.4, 0.3], olderDecay: 0 };
  const rows: SegmentRow[] = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    rows[i] = {
      id: `mem-${String(i).padStart(8, '0')}`, content: `memory number ${i} about topic ${i % 97}`,
      embedding: emb.subarray(i * DIM, (i + 1) * DIM), kind: i % 3 === 0 ? 'semantic' : 'episodic',
      created: 1_700_000_000_000 + i, recorded: 1_700_000_000_000 + i, confidence: { lo: 0.5, hi: 0.9 },
      decay, meta: i % 10 === 0 ? { i } : null,
    };
  }
  const associations: Association[] = [];
  for (let i = 0; i < ROWS; i += 10) {
    associations.push({ from: rows[i]!.id, to: rows[(i + 1) % ROWS]!.id, kind: 'next', weight: 1, confidence: { lo: 1, hi: 1 }, created: 1, recorded: 1 });
  }
  return emptyContent({ dim: DIM, rows, associations });
}

describe(`segment at scale (${ROWS} rows × ${DIM})`, () => {
  it('writes, reopens and reads back seeded rows', async () => {
    const c = bigContent();
    let t = performance.now();
    let cpu = process.cpuUsage();
    const info = await writeSegment(join(tmp.dir, 'spaces', 'notes', 'seg-000001'), c);
    const writeMs = performance.now() - t;
    cpu = process.cpuUsage(cpu);
    const writeCpu = (cpu.user + cpu.system) / 1000;
    t = performance.now();
    cpu = process.cpuUsage();
    const rd = openSegment(info.path, { bytes: info.bytes, checksum: info.checksum });
    const openMs = performance.now() - t;
    cpu = process.cpuUsage(cpu);
    const openCpu = (cpu.user + cpu.system) / 1000;
    const r = rng(5);
    const probes = Array.from({ length: 10_000 }, () => Math.floor(r() * ROWS));
    const keys = probes.map((i) => `mem-${String(i).padStart(8, '0')}`);
    let wrong = 0;
    t = performance.now();
    for (let k = 0; k < keys.length; k++) if (rd.findRow(keys[k] as string) !== probes[k]) wrong++;
    const findUs = ((performance.now() - t) / keys.length) * 1000;
    expect(wrong).toBe(0);
    expect(rd.findRow('mem-x')).toBe(-1);
    for (let k = 0; k < 200; k++) {
      const i = Math.floor(r() * ROWS);
      const want = c.rows[i]!;
      expect(rd.content(i)).toBe(want.content);
      expect(Array.from(rd.embedding(i))).toEqual(Array.from(want.embedding));
      expect(rd.meta(i)).toEqual(want.meta);
    }
    expect(rd.associationsFrom('mem-00000010').map((a) => a.to)).toEqual(['mem-00000011']);
    expect(rd.embeddings().length).toBe(ROWS * DIM);
    t = performance.now();
    rd.verifyAll();
    const verifyMs = performance.now() - t;
    console.log(`segment scale: ${ROWS} rows × ${DIM}: ${(info.bytes / 2 ** 20).toFixed(1)} MiB, write ${writeMs.toFixed(0)} ms (cpu ${writeCpu.toFixed(0)} ms), `
      + `open ${openMs.toFixed(0)} ms (cpu ${openCpu.toFixed(0)} ms; id columns verified, the rest lazily), rest of verifyAll ${verifyMs.toFixed(0)} ms, findRow ${findUs.toFixed(2)} µs`);
    rd.close();
  });

  it('columns longer than one 1 MiB write chunk: every decay window (varied lengths, zero padding) reads back', async () => {
    // 140k rows: the recent-times/decays columns (64 B per row) span nine chunks, so chunk
    // boundaries and the zeroing of slots past each window are exercised.
    const r = rng(21);
    const n = 140_000;
    // 5 states: 16384 rows per chunk (8 f64 a row) is not a multiple of 5, so stale slots would differ.
    const states = [0, 8, 3, 1, 6].map((w) => decayState(r, w));
    const rows: SegmentRow[] = Array.from({ length: n }, (_, i) => ({
      id: `r${String(i).padStart(7, '0')}`, content: '', embedding: new Float32Array([i, -i, i / 3, 0.5]), kind: 'episodic',
      created: i, recorded: i + 0.5, confidence: { lo: 0, hi: 1 }, decay: states[i % 5]!, meta: null,
    }));
    const info = await writeSegment(join(tmp.dir, 'spaces', 'notes', 'seg-000002'), emptyContent({ dim: 4, rows }));
    const rd = openSegment(info.path);
    const dc = rd.decayColumns();
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const want = states[i % 5]!;
      const len = dc.recentLen[i]!;
      if (len !== want.recentTimes.length || dc.count[i] !== want.count || rd.recorded(i) !== i + 0.5) bad++;
      for (let j = 0; j < dc.K; j++) {
        const t = dc.times[i * dc.K + j]!;
        if (j < len ? t !== want.recentTimes[j] : t !== 0) bad++;
      }
      if (rd.embedding(i)[2] !== Math.fround(i / 3)) bad++;
    }
    expect(bad).toBe(0);
    rd.close();
  });
});
