/**
 * Corruption at the store level (testing.md "corruption"): flip or truncate bytes at seeded offsets
 * of the WAL files and segment files of a closed store, then reopen. A WAL hit must give either a
 * clean recovery of a prefix of the batches (every segment batch plus WAL batches 0..j−1, no
 * gaps, nothing partial) or a typed CORRUPTION error — in strict mode, CORRUPTION unless nothing
 * was lost; a segment hit must give CORRUPTION — at open, or (for a byte of a section that segment
 * format v2 verifies lazily, docs/segment_format.md §4 step 6) at the first read of it: every
 * reopen reads everything (a scan of every memory and of every association). Never a crash or
 * another kind of error. WAL damage targets the bytes written (the zero tail of preallocation has
 * its own trials). Default 80 + 10 WAL and 60 segment trials; MNEMO_LONG=1: 5×.
 */
import { cpSync, existsSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMnemoError } from '../src/index.js';
import { openStore } from '../src/storage/index.js';
import { cleanupDirs, remember, tempDir } from './helpers/store-fixtures.js';
import { sectionOf } from './segment-fixtures.js';

const SCALE = process.env.MNEMO_LONG === '1' ? 5 : 1;
const SEG_BATCHES = 10;
const WAL_BATCHES = 20;
let golden = '';

afterAll(cleanupDirs);

function files(dir: string, pred: (p: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (pred(p)) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

/** Damage one file of a fresh copy of the golden store; returns the copy. */
function damaged(rel: string, offset: number, how: 'flip' | 'truncate'): string {
  const dir = tempDir('mnemo-corrupt-');
  cpSync(golden, dir, { recursive: true });
  const p = path.join(dir, rel);
  if (how === 'truncate') truncateSync(p, offset);
  else {
    const b = readFileSync(p);
    b[offset] = (b[offset] as number) ^ (1 << (offset % 8));
    writeFileSync(p, b);
  }
  return dir;
}

type Outcome = { kind: 'ok'; batches: number[] } | { kind: 'error'; code: string };

async function reopen(dir: string, strictWal: boolean): Promise<Outcome> {
  try {
    const s = await openStore(dir, { strictWal, compaction: { auto: false } });
    try {
      const snap = s.snapshot();
      const batches = [...snap.scan('k')].map((m) => (m.meta as { k: number }).k).sort((a, b) => a - b);
      // The golden store has no associations; reading them still touches (and verifies) every
      // association section of every segment.
      expect([...snap.associations('k')]).toEqual([]);
      snap.release();
      return { kind: 'ok', batches };
    } finally {
      await s.close();
    }
  } catch (e) {
    if (isMnemoError(e)) return { kind: 'error', code: e.code };
    throw e;
  }
}

const isPrefix = (b: number[]): boolean => b.length >= SEG_BATCHES && b.every((k, i) => k === i);

beforeAll(async () => {
  // The golden image is a copy taken while the store is open (as after a crash): close() would
  // flush the memtable and leave no batch in the WAL.
  const live = tempDir('mnemo-live-');
  golden = tempDir('mnemo-golden-');
  const s = await openStore(live, { compaction: { auto: false } });
  await s.createSpace({ name: 'k', dim: 4 });
  for (let k = 0; k < SEG_BATCHES + WAL_BATCHES; k++) {
    await s.write([remember('k', `w${k}`, `batch ${k} `.repeat(k % 5 + 1), [k, 1, 2, 3], { meta: { k } })]);
    if (k === SEG_BATCHES / 2 - 1 || k === SEG_BATCHES - 1) await s.flush();
  }
  cpSync(live, golden, { recursive: true });
  await s.close();
});

/**
 * End of the bytes a WAL file's writer actually wrote: one past its last non-zero byte. The store
 * keeps 1 MiB of zeroes ahead of its writes (docs/durability.md "Preallocation"), so offsets drawn
 * over the whole file would nearly all land in that zero tail.
 */
function writtenEnd(p: string): number {
  const b = readFileSync(p);
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return end;
}

describe('corruption: WAL files', () => {
  it(`${80 * SCALE} flips/truncations of the written bytes (+ ${10 * SCALE} in the zero tail) → prefix recovery or CORRUPTION, never a crash`, async () => {
    const wal = files(golden, (p) => p.endsWith('.log')).map((rel) => ({ rel, size: statSync(path.join(golden, rel)).size, end: writtenEnd(path.join(golden, rel)) }));
    expect(wal.length).toBeGreaterThan(0);
    // The golden log is preallocated: a zero tail follows the records.
    expect(wal.some((f) => f.size > f.end)).toBe(true);
    const r = rng(99);
    const tally = { prefix: 0, full: 0, corruption: 0, strictCorruption: 0, tail: 0 };
    const trials = 80 * SCALE;
    const tailTrials = 10 * SCALE;
    for (let i = 0; i < trials + tailTrials; i++) {
      const inTail = i >= trials;
      const candidates = inTail ? wal.filter((f) => f.size > f.end) : wal;
      const f = candidates[r(candidates.length)]!;
      const how = i % 3 === 0 ? 'truncate' : 'flip';
      const offset = inTail ? f.end + r(f.size - f.end) : r(f.end);
      const what = `${how} ${f.rel}@${offset} (written ${f.end} of ${f.size})`;
      const lax = await reopen(damaged(f.rel, offset, how), false);
      if (inTail) {
        // Damage after the last record (a stray byte or a shorter zero tail) loses nothing.
        expect(lax, what).toEqual({ kind: 'ok', batches: Array.from({ length: SEG_BATCHES + WAL_BATCHES }, (_, k) => k) });
        tally.tail++;
      } else if (lax.kind === 'error') {
        expect(lax.code, what).toBe('CORRUPTION');
        tally.corruption++;
      } else {
        expect(isPrefix(lax.batches), `${what}: ${lax.batches.join(',')}`).toBe(true);
        if (lax.batches.length === SEG_BATCHES + WAL_BATCHES) tally.full++;
        else tally.prefix++;
      }
      const strict = await reopen(damaged(f.rel, offset, how), true);
      if (strict.kind === 'error') {
        expect(strict.code, `strict ${what}`).toBe('CORRUPTION');
        tally.strictCorruption++;
      } else expect(strict.batches.length, `strict ${what}`).toBe(SEG_BATCHES + WAL_BATCHES);
    }
    console.log(`corruption (WAL): ${trials + tailTrials} damaged copies, 0 crashes: ${JSON.stringify(tally)}`);
    // Coverage: most damage to written bytes must actually cost batches (or be reported); only
    // damage to a file whose batches the checkpoint already covers may leave every batch.
    expect(tally.prefix + tally.corruption).toBeGreaterThanOrEqual(trials / 2);
  });
});

describe('corruption: segment files', () => {
  it(`${60 * SCALE} flips/truncations → CORRUPTION at open or at the first read of the damaged section`, async () => {
    const segs = files(golden, (p) => p.endsWith('.seg'));
    expect(segs.length).toBe(2);
    const r = rng(7);
    for (let i = 0; i < 60 * SCALE; i++) {
      const rel = segs[r(segs.length)] as string;
      const size = statSync(path.join(golden, rel)).size;
      const how = i % 4 === 0 ? 'truncate' : 'flip';
      const offset = r(size);
      const out = await reopen(damaged(rel, offset, how), false);
      expect(out, `${how} ${rel}@${offset}`).toEqual({ kind: 'error', code: 'CORRUPTION' });
    }
    console.log(`corruption (segments): ${60 * SCALE} damaged copies, all CORRUPTION, 0 crashes`);
  });

  it('an undamaged copy opens with every batch', async () => {
    const dir = tempDir('mnemo-corrupt-');
    cpSync(golden, dir, { recursive: true });
    const out = await reopen(dir, true);
    expect(out).toEqual({ kind: 'ok', batches: Array.from({ length: SEG_BATCHES + WAL_BATCHES }, (_, i) => i) });
  });
});

describe('corruption: a bad block of a lazily verified segment column (format v2)', () => {
  it('the store opens; only reads touching the block fail, with CORRUPTION naming file, section and block; backup and compaction refuse', async () => {
    const live = tempDir('mnemo-lazy-');
    const s = await openStore(live, { compaction: { auto: false } });
    await s.createSpace({ name: 'v', dim: 4 });
    // 10,000 rows × 16-byte embeddings = 160 KB: three 64 KiB blocks (4096 rows each).
    const id = (i: number): string => `m${String(i).padStart(5, '0')}`;
    for (let b = 0; b < 10; b++) {
      await s.write(Array.from({ length: 1000 }, (_, j) => remember('v', id(b * 1000 + j), `c${b * 1000 + j}`, [b, j, 1, 2])));
    }
    await s.flush();
    await s.write([remember('v', 'z-newer', 'newer segment', [9, 9, 9, 9])]);
    await s.flush();
    await s.close();
    const seg = files(live, (p) => p.endsWith('.seg')).map((rel) => path.join(live, rel)).find((p) => statSync(p).size > 100_000) as string;
    const img = new Uint8Array(readFileSync(seg));
    const emb = sectionOf(img, 5);
    img[emb.offset + 65536 + 100] = (img[emb.offset + 65536 + 100] as number) ^ 0x40; // block 1: rows 4096..8191
    writeFileSync(seg, img);

    const st = await openStore(live, { compaction: { auto: false } });
    try {
      expect(st.get('v', id(5))?.content).toBe('c5');
      expect(st.get('v', id(9000))?.content).toBe('c9000');
      for (const bad of [id(4096), id(4102), id(8191)]) {
        let err: unknown;
        try { st.get('v', bad); } catch (e) { err = e; }
        expect(isMnemoError(err) && err.code === 'CORRUPTION', String(err)).toBe(true);
        expect((err as Error).message).toMatch(new RegExp(`${seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: section 'embedding' \\(id 5\\): block 1 `));
      }
      expect(st.get('v', id(4095))?.content).toBe('c4095');
      const snap = st.snapshot();
      expect(() => [...snap.scan('v')]).toThrow(/block 1/);
      snap.release();
      // The newer segment is copied before the damaged one fails its verification: the failed
      // backup must leave the destination as it was (empty, or absent) and no staging directory.
      const bk = tempDir('mnemo-lazy-backup-');
      await expect(st.backup(bk)).rejects.toSatisfy((e: unknown) => isMnemoError(e) && e.code === 'CORRUPTION');
      expect(readdirSync(bk)).toEqual([]);
      const absent = path.join(bk, 'not-yet');
      await expect(st.backup(absent)).rejects.toSatisfy((e: unknown) => isMnemoError(e) && e.code === 'CORRUPTION');
      expect(existsSync(absent)).toBe(false);
      const nested = path.join(bk, 'a', 'b');
      await expect(st.backup(nested)).rejects.toSatisfy((e: unknown) => isMnemoError(e) && e.code === 'CORRUPTION');
      expect(readdirSync(bk)).toEqual([]);
      await expect(st.compact('v')).rejects.toSatisfy((e: unknown) => isMnemoError(e) && /embedding/.test((e as Error).message));
      expect(st.get('v', 'z-newer')?.content).toBe('newer segment');
    } finally {
      await st.close();
    }
  });
});
