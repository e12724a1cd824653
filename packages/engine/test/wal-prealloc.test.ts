/**
 * WAL preallocation (docs/durability.md "Preallocation", docs/wal_format.md "Padding / zeroes"):
 * new files are zero-filled ahead, small commits top the zeroes up, bulk groups just extend the
 * file, and an all-zero remainder is the clean end of the log while anything else in it is still
 * a torn tail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaultEnv } from '../src/storage/env/index.js';
import { Wal, type WalOptions } from '../src/storage/wal/index.js';
import { batchFor, bigBatch, lsns, range, recordsOf, tempDir, WAL_DIR } from './wal-helpers.js';

const F1 = path.join(WAL_DIR, '000001.log');
const Z = 4096;

async function open(env: FaultEnv, extra: Partial<WalOptions> = {}) {
  return Wal.open(WAL_DIR, { env, durability: 'full', fromLsn: 0, preallocateBytes: Z, ...extra });
}

async function replay(env: FaultEnv, strict = false) {
  const r = await open(env, { readOnly: true, strict });
  await r.wal.close();
  return r;
}

/** End of the last record of a file (its logical end). */
function logicalEnd(file: Uint8Array): number {
  const recs = recordsOf(file);
  return recs.length === 0 ? 32 : recs[recs.length - 1]!.end;
}

describe('WAL preallocation', () => {
  it('a new file is its header plus preallocateBytes of zeroes, and reopens clean (strict too)', async () => {
    const env = new FaultEnv({ seed: 1 });
    const { wal } = await open(env);
    const file = env.contents(F1);
    expect(file.length).toBe(32 + Z);
    expect(file.subarray(32).every((b) => b === 0)).toBe(true);
    await wal.close();
    const r = await replay(env, true);
    expect(r.batches).toEqual([]);
    expect(r.report.end).toBeNull();
  });

  it('small commits overwrite the zeroes and top them up before less than half is left; never past maxFileBytes', async () => {
    const env = new FaultEnv({ seed: 2 });
    const maxFileBytes = 6_000;
    const { wal } = await open(env, { maxFileBytes });
    for (let i = 1; i <= 120; i++) {
      await wal.append(batchFor(i));
      const names = wal.fileNames;
      const file = env.contents(path.join(WAL_DIR, names[names.length - 1]!));
      const end = logicalEnd(file);
      expect(file.length).toBeLessThanOrEqual(maxFileBytes);
      if (file.length < maxFileBytes) expect(file.length - end).toBeGreaterThanOrEqual(Z / 2);
      expect(file.subarray(end).every((b) => b === 0)).toBe(true);
    }
    expect(wal.fileNames.length).toBeGreaterThan(1);
    await wal.close();
    const r = await replay(env, true);
    expect(lsns(r.batches)).toEqual(range(1, 120));
    expect(r.batches.map((b) => b.ops)).toEqual(range(1, 120).map((i) => batchFor(i)));
  });

  it('a group of a quarter of preallocateBytes or more extends the file without zero-filling ahead of it', async () => {
    const env = new FaultEnv({ seed: 3 });
    const { wal } = await open(env);
    await wal.append(bigBatch(1, 60, 16));
    const file = env.contents(F1);
    expect(logicalEnd(file)).toBeGreaterThan(32 + Z);
    expect(file.length).toBe(logicalEnd(file));
    await wal.close();
    expect(lsns((await replay(env, true)).batches)).toEqual([1]);
  });

  it('a batch torn inside the preallocated space is a tail (strict: CORRUPTION); one stray byte in the zeroes is reported too', async () => {
    const env = new FaultEnv({ seed: 4 });
    const { wal } = await open(env);
    for (let i = 1; i <= 3; i++) await wal.append(batchFor(i));
    await wal.close();
    const full = env.contents(F1);
    const last = recordsOf(full)[2]!;
    const torn = full.slice();
    torn.fill(0, last.offset + 30, last.end);
    env.setContents(F1, torn);
    let r = await replay(env);
    expect(lsns(r.batches)).toEqual([1, 2]);
    expect(r.report.end).toMatchObject({ kind: 'tail', offset: last.offset, reason: 'checksum mismatch' });
    await expect(replay(env, true)).rejects.toMatchObject({ code: 'CORRUPTION' });
    const stray = full.slice();
    stray[full.length - 1] = 0x5a;
    env.setContents(F1, stray);
    r = await replay(env);
    expect(lsns(r.batches)).toEqual([1, 2, 3]);
    expect(r.report.end).toMatchObject({ kind: 'tail', offset: last.end, bytesDropped: full.length - last.end });
  });

  it('a torn FIRST fragment followed by zeroes is still a batch without its commit marker', async () => {
    const env = new FaultEnv({ seed: 5 });
    const { wal } = await open(env, { fragmentBytes: 64 });
    await wal.append(batchFor(1));
    await wal.append(bigBatch(2, 3, 8));
    await wal.close();
    const full = env.contents(F1);
    const second = recordsOf(full).filter((x) => x.lsn === 2);
    expect(second.length).toBeGreaterThan(2);
    const cut = full.slice();
    cut.fill(0, second[1]!.end);
    env.setContents(F1, cut);
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual([1]);
    expect(r.report.end).toMatchObject({ kind: 'tail', reason: 'zero-filled record header', offset: second[1]!.end });
  });

  it('on a real disk: a new file starts with 64 KiB of zeroes, the first commit tops up to 1 MiB ahead, batches round-trip; without the option nothing is preallocated', async () => {
    const t = tempDir('wal-prealloc');
    try {
      const dir = path.join(t.dir, 'wal');
      const file = path.join(dir, '000001.log');
      const { wal } = await Wal.open(dir, { durability: 'full', fromLsn: 0, preallocateBytes: 1 << 20 });
      expect(fs.statSync(file).size).toBe(32 + (64 << 10));
      for (let i = 1; i <= 5; i++) await wal.append(batchFor(i));
      await wal.close();
      const bytes = new Uint8Array(fs.readFileSync(file));
      const recs = recordsOf(bytes);
      expect(recs.length).toBe(5);
      expect(bytes.length).toBe(recs[0]!.end + (1 << 20));
      expect(bytes.subarray(recs[4]!.end).every((b) => b === 0)).toBe(true);
      const plainDir = path.join(t.dir, 'plain');
      const p = await Wal.open(plainDir, { durability: 'full', fromLsn: 0 });
      await p.wal.close();
      expect(fs.statSync(path.join(plainDir, '000001.log')).size).toBe(32);
      const r = await Wal.open(dir, { durability: 'full', fromLsn: 0, readOnly: true, strict: true });
      await r.wal.close();
      expect(r.batches.map((b) => b.ops)).toEqual(range(1, 5).map((i) => batchFor(i)));
    } finally {
      t.cleanup();
    }
  });

  it('preallocateBytes must be a non-negative integer', async () => {
    await expect(open(new FaultEnv({ seed: 6 }), { preallocateBytes: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(open(new FaultEnv({ seed: 6 }), { preallocateBytes: 1.5 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
