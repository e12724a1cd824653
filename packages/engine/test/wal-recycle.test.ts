/**
 * WAL file recycling (docs/wal_format.md "Recycled files", "END record", "Stale header", "Stale
 * bytes of a recycled file"; docs/durability.md "Recycling"): retired files are kept and reused in
 * place, and recovery reads exactly the new life — stale tails end the log cleanly (strict too),
 * torn records of the new life stay tails, mid-log damage stays corruption, a rename without its
 * new header is an empty file, and a power cut at any step of a recycling rotation loses nothing.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaultEnv, nodeEnv, type CrashMode } from '../src/storage/env/index.js';
import { encodeEndRecord } from '../src/storage/wal/wal-format.js';
import { Wal, type WalOptions } from '../src/storage/wal/index.js';
import { batchFor, bigBatch, lsns, range, recordsOf, saltOf, tempDir, WAL_DIR } from './wal-helpers.js';

const OPTS = { durability: 'full', fromLsn: 0, recycleFiles: 2, maxFileBytes: 64 << 10 } as const;
/** Batches written into the file that gets retired (LSN 1..OLD). */
const OLD = 6;
const at = (name: string): string => path.join(WAL_DIR, name);
const flagsOf = (file: Uint8Array): number => file[10]! | (file[11]! << 8);

async function open(env: FaultEnv, extra: Partial<WalOptions> = {}) {
  return Wal.open(WAL_DIR, { env, ...OPTS, fromLsn: OLD, ...extra });
}

async function replay(env: FaultEnv, extra: Partial<WalOptions> = {}) {
  const r = await open(env, { readOnly: true, ...extra });
  await r.wal.close();
  return r;
}

/**
 * File 1 holds batches 1..OLD (about 40 KB), file 2 is empty; a checkpoint at OLD retires file 1
 * to 000001.recycle, and the next rotation makes 000003.log from it. Returns the open log.
 */
async function recycledLog(env: FaultEnv): Promise<{ wal: Wal; oldFile: Uint8Array }> {
  const { wal } = await Wal.open(WAL_DIR, { env, ...OPTS });
  for (let i = 1; i <= OLD; i++) await wal.append(bigBatch(i, 20, 64));
  await wal.rotate();
  const oldFile = env.contents(at('000001.log'));
  expect(await wal.removeUpTo(OLD)).toBe(1);
  expect(await env.readdir(WAL_DIR)).toEqual(['000001.recycle', '000002.log']);
  expect(wal.recycleCandidates).toBe(1);
  await wal.rotate();
  expect(await env.readdir(WAL_DIR)).toEqual(['000002.log', '000003.log']);
  return { wal, oldFile };
}

/**
 * recycledLog, then batch OLD+1 into 000003.log, a rotation (000004.log, fresh: the pool is empty)
 * and a checkpoint at OLD+1 that retires 000003.log to 000003.recycle.
 */
async function recycledAgain(env: FaultEnv): Promise<Wal> {
  const { wal } = await recycledLog(env);
  await wal.append(bigBatch(OLD + 1, 20, 64));
  await wal.rotate();
  await wal.removeUpTo(OLD + 1);
  return wal;
}

/** recycledLog, then small batches OLD+1..OLD+n in 000003.log; closed when asked. Returns that file's bytes. */
async function recycledWith(env: FaultEnv, n: number, close: boolean): Promise<Uint8Array> {
  const { wal } = await recycledLog(env);
  for (let i = OLD + 1; i <= OLD + n; i++) await wal.append(batchFor(i));
  if (close) await wal.close();
  return env.contents(at('000003.log'));
}

/** Offsets of the first `n` records of the new life (walked by their length fields). */
function recordOffsets(file: Uint8Array, n: number): number[] {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: number[] = [];
  for (let pos = 32; out.length < n; pos += 24 + v.getUint32(pos + 4, true)) out.push(pos);
  return out;
}

describe('WAL recycling: the writer', () => {
  it('a retired file becomes the next log file in place: RECYCLED header, new salt, END at close; reopens clean in strict mode', async () => {
    const env = new FaultEnv({ seed: 1 });
    const { wal, oldFile } = await recycledLog(env);
    const fresh = env.contents(at('000003.log'));
    expect(fresh.length).toBe(oldFile.length);
    expect(flagsOf(fresh)).toBe(1);
    expect(flagsOf(env.contents(at('000002.log')))).toBe(0);
    expect(saltOf(fresh)).not.toBe(saltOf(oldFile));
    for (let i = OLD + 1; i <= OLD + 3; i++) expect(await wal.append(batchFor(i))).toBe(i);
    await wal.close();
    const file = env.contents(at('000003.log'));
    expect(file.length).toBe(oldFile.length);
    const end = recordOffsets(file, 4)[3]!;
    expect(file[end + 8]).toBe(5);
    expect(file.subarray(end, end + 32)).toEqual(encodeEndRecord(end, OLD + 4, saltOf(file)));
    // The old life's bytes are still there after the END record.
    expect(file.subarray(end + 32, end + 1000)).toEqual(oldFile.subarray(end + 32, end + 1000));
    const r = await replay(env, { strict: true });
    expect(lsns(r.batches)).toEqual(range(OLD + 1, OLD + 3));
    expect(r.batches[1]!.ops).toEqual(batchFor(OLD + 2));
    expect(r.report.end).toBeNull();
    expect(r.report.ignoredTails).toEqual([]);
  });

  it('rotating away from a recycled file ends it with END; a chain of recycled files replays whole', async () => {
    const env = new FaultEnv({ seed: 2 });
    const { wal } = await recycledLog(env);
    let lsn = OLD;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3; i++) expect(await wal.append(bigBatch(++lsn, 20, 64))).toBe(lsn);
      await wal.rotate();
      await wal.removeUpTo(lsn - 3);
    }
    // Each rotation takes the candidate the previous removal retired.
    expect(wal.recycleCandidates).toBe(1);
    const logs = wal.fileNames;
    expect(logs.map((n) => flagsOf(env.contents(at(n))))).toEqual(logs.map(() => 1));
    await wal.close();
    const r = await replay(env, { strict: true, fromLsn: lsn - 3 });
    expect(lsns(r.batches)).toEqual(range(lsn - 2, lsn));
    expect(r.report.end).toBeNull();
    expect(r.report.ignoredTails).toEqual([]);
  });

  it('a group that rotates into a recycled file in the same round as close() still ends that file with END', async () => {
    const env = new FaultEnv({ seed: 4 });
    const { wal } = await Wal.open(WAL_DIR, { env, ...OPTS });
    for (let i = 1; i <= OLD; i++) await wal.append(bigBatch(i, 20, 64));
    await wal.rotate();
    expect(await wal.removeUpTo(OLD)).toBe(1);
    expect(await wal.append(batchFor(OLD + 1))).toBe(OLD + 1);
    // Same tick: one round takes the batch (too big for 000002.log: it rotates into the candidate)
    // and close()'s final sync, which must write END after it.
    const big = wal.append(bigBatch(OLD + 2, 250, 64));
    const closed = wal.close();
    expect(await big).toBe(OLD + 2);
    await closed;
    expect(await env.readdir(WAL_DIR)).toEqual(['000002.log', '000003.log']);
    const file = env.contents(at('000003.log'));
    expect(flagsOf(file)).toBe(1);
    // The batch's fragment records, then END (the old life's records follow, under another salt).
    const records = recordsOf(file);
    const end = records.findIndex((x) => x.type === 5);
    expect(end).toBeGreaterThan(0);
    expect(records.slice(0, end).every((x) => x.lsn === OLD + 2)).toBe(true);
    const at0 = records[end]!.offset;
    expect(file.subarray(at0, at0 + 32)).toEqual(encodeEndRecord(at0, OLD + 3, saltOf(file)));
    const r = await replay(env, { strict: true });
    expect(lsns(r.batches)).toEqual(range(OLD + 1, OLD + 2));
    expect(r.report.end).toBeNull();
  });

  it('a recycled file shorter than the new log grows past its old end', async () => {
    const env = new FaultEnv({ seed: 3 });
    const { wal, oldFile } = await recycledLog(env);
    let lsn = OLD;
    while (env.contents(at('000003.log')).length <= oldFile.length) expect(await wal.append(bigBatch(++lsn, 20, 64))).toBe(lsn);
    await wal.close();
    const r = await replay(env, { strict: true });
    expect(lsns(r.batches)).toEqual(range(OLD + 1, lsn));
    expect(r.report.end).toBeNull();
  });

  it('an open keeps at most recycleFiles candidates (0 deletes them all); a read-only open touches none', async () => {
    const env = new FaultEnv({ seed: 4 });
    const { wal } = await recycledLog(env);
    // Two files of ~20 KB retired by one removal: both kept.
    for (let i = 1; i <= 2; i++) {
      await wal.append(bigBatch(OLD + i, 60, 64));
      await wal.rotate();
    }
    await wal.append(batchFor(OLD + 3));
    await wal.removeUpTo(OLD + 2);
    await wal.close();
    const recycles = async () => (await env.readdir(WAL_DIR)).filter((n) => n.endsWith('.recycle'));
    expect(await recycles()).toHaveLength(2);
    await replay(env, { recycleFiles: 0 });
    expect(await recycles()).toHaveLength(2);
    await (await open(env, { fromLsn: OLD + 3, recycleFiles: 1 })).wal.close();
    expect(await recycles()).toHaveLength(0); // one trimmed, the other made the new file
    await (await open(env, { fromLsn: OLD + 3, recycleFiles: 0 })).wal.close();
    expect(await recycles()).toHaveLength(0);
  });

  it('rejects a recycleFiles outside 0..16', async () => {
    const env = new FaultEnv({ seed: 5 });
    for (const recycleFiles of [-1, 17, 1.5]) {
      await expect(open(env, { recycleFiles })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('a candidate whose header does not check out is deleted, and a fresh file is created instead', async () => {
    const env = new FaultEnv({ seed: 6 });
    const wal = await recycledAgain(env);
    expect(await env.readdir(WAL_DIR)).toEqual(['000003.recycle', '000004.log']);
    const bytes = env.contents(at('000003.recycle'));
    bytes[3] = bytes[3]! ^ 0xff;
    env.setContents(at('000003.recycle'), bytes);
    await wal.rotate();
    expect(await env.readdir(WAL_DIR)).toEqual(['000004.log', '000005.log']);
    expect(flagsOf(env.contents(at('000005.log')))).toBe(0);
    await wal.close();
  });
});

describe('WAL recycling: recovery of stale bytes', () => {
  it('a crash before END: the stale rest ends the log cleanly (strict too), after a process crash and after a power cut', async () => {
    for (const cut of [false, true]) {
      const env = new FaultEnv({ seed: 10 });
      const { wal } = await recycledLog(env);
      for (let i = OLD + 1; i <= OLD + 4; i++) await wal.append(batchFor(i));
      if (cut) env.crash('drop'); // every batch was acknowledged, so synced
      const r = await replay(env, { strict: true });
      expect(lsns(r.batches)).toEqual(range(OLD + 1, OLD + 4));
      expect(r.report.end).toBeNull();
      // The next writer continues after it (a new file; the stale file stays readable).
      const next = await open(env);
      expect(lsns(next.batches)).toEqual(range(OLD + 1, OLD + 4));
      expect(await next.wal.append(batchFor(OLD + 5))).toBe(OLD + 5);
      await next.wal.close();
      expect(lsns((await replay(env, { strict: true })).batches)).toEqual(range(OLD + 1, OLD + 5));
    }
  });

  it('a torn record of this life over stale bytes is a tail (strict: CORRUPTION); torn before its salt landed it reads as stale', async () => {
    const env = new FaultEnv({ seed: 11 });
    const file = await recycledWith(env, 3, false); // a process crash: never closed
    const third = recordOffsets(file, 3)[2]!;
    // The header of batch OLD+3 landed (salt and all), its payload did not.
    const torn = file.slice();
    torn[third + 30] = torn[third + 30]! ^ 0x5a;
    env.setContents(at('000003.log'), torn);
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual(range(OLD + 1, OLD + 2));
    expect(r.report.end).toMatchObject({ kind: 'tail', file: '000003.log', offset: third, recordsDropped: 0 });
    await expect(replay(env, { strict: true })).rejects.toMatchObject({ code: 'CORRUPTION', details: { file: '000003.log', offset: third } });
    // Its first 16 bytes (up to the salt) are still the old life's: indistinguishable from stale bytes.
    torn[third + 12] = torn[third + 12]! ^ 0xff;
    env.setContents(at('000003.log'), torn);
    const s = await replay(env, { strict: true });
    expect(lsns(s.batches)).toEqual(range(OLD + 1, OLD + 2));
    expect(s.report.end).toBeNull();
  });

  it('damage in the middle of a recycled file is corruption; stale records of the old life never count', async () => {
    const env = new FaultEnv({ seed: 12 });
    const file = await recycledWith(env, 4, true);
    const second = recordOffsets(file, 2)[1]!;
    file[second + 26] = file[second + 26]! ^ 0x01;
    env.setContents(at('000003.log'), file);
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual([OLD + 1]);
    // Batches OLD+3, OLD+4 and the END record are valid records of this salt; the old life's are not counted.
    expect(r.report.end).toMatchObject({ kind: 'corruption', offset: second, recordsDropped: 3 });
    await expect(replay(env, { strict: true })).rejects.toMatchObject({ code: 'CORRUPTION', details: { kind: 'corruption' } });
  });

  it('an END record out of place (wrong LSN) is a bad record, not a clean end', async () => {
    const env = new FaultEnv({ seed: 13 });
    const file = await recycledWith(env, 2, true);
    const endAt = recordOffsets(file, 3)[2]!;
    file.set(encodeEndRecord(endAt, OLD + 7, saltOf(file)), endAt);
    env.setContents(at('000003.log'), file);
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual(range(OLD + 1, OLD + 2));
    // A checksum-valid record of this salt at the stop point counts as a record after it (as an LSN out of sequence does).
    expect(r.report.end).toMatchObject({ kind: 'corruption', offset: endAt });
    expect(r.report.end!.reason).toMatch(/END record out of place/);
  });

  it('a recycled file larger than 1 MiB that ends in END is read only up to its 1 MiB prefix', async () => {
    const env = new FaultEnv({ seed: 14 });
    const opts = { recycleFiles: 1, maxFileBytes: 4 << 20 };
    const { wal } = await Wal.open(WAL_DIR, { env, ...OPTS, ...opts });
    for (let i = 1; i <= 40; i++) await wal.append(bigBatch(i, 100, 128));
    expect(env.contents(at('000001.log')).length).toBeGreaterThan(2 << 20);
    await wal.rotate();
    await wal.removeUpTo(40);
    await wal.rotate();
    await wal.append(batchFor(41));
    await wal.close();
    const whole: string[] = [];
    const readFile = env.readFile.bind(env);
    env.readFile = (p: string) => (whole.push(path.basename(p)), readFile(p));
    const r = await Wal.open(WAL_DIR, { env, ...OPTS, ...opts, fromLsn: 40, readOnly: true, strict: true });
    expect(lsns(r.batches)).toEqual([41]);
    expect(whole).toEqual(['000002.log']);
    await r.wal.close();
  });
});

describe('WAL recycling: crashes around the rename', () => {
  it('a rename that reached the disk without the new header is an empty file (strict too), never the old log', async () => {
    const env = new FaultEnv({ seed: 20 });
    const wal = await recycledAgain(env);
    await wal.append(batchFor(OLD + 2));
    // The next rotation renames 000003.recycle to 000005.log and fsyncs the directory; the header write fails.
    env.inject({ op: 'write', nth: env.counts.write + 1 });
    await expect(wal.rotate()).rejects.toMatchObject({ code: 'IO_ERROR' });
    env.clearFaults();
    env.crash('drop');
    expect(await env.readdir(WAL_DIR)).toEqual(['000004.log', '000005.log']);
    const stale = env.contents(at('000005.log'));
    expect(new DataView(stale.buffer, stale.byteOffset).getUint32(24, true)).toBe(3); // its old file number
    const cp = OLD + 1;
    const r = await replay(env, { strict: true, fromLsn: cp });
    expect(lsns(r.batches)).toEqual([OLD + 2]);
    expect(r.report.end).toBeNull();
    // A writer continues after it; the empty file in the middle of the log is not a gap.
    const next = await open(env, { fromLsn: cp });
    expect(lsns(next.batches)).toEqual([OLD + 2]);
    expect(await next.wal.append(batchFor(OLD + 3))).toBe(OLD + 3);
    await next.wal.close();
    const again = await replay(env, { strict: true, fromLsn: cp });
    expect(lsns(again.batches)).toEqual(range(OLD + 2, OLD + 3));
    expect(again.report.end).toBeNull();
    expect(again.report.files).toContain('000005.log');
  });

  it('a power cut at every operation of a recycling rotation loses no acknowledged batch', async () => {
    const seen = { staleHeader: 0, cuts: 0 };
    for (const mode of ['drop', 'tear', 'zero'] as CrashMode[]) {
      for (let op = 1; op <= 16; op++) {
        const env = new FaultEnv({ seed: 100 + op });
        const wal = await recycledAgain(env);
        const acked: number[] = [];
        env.scheduleCrash(op, mode);
        const crashes = env.crashes;
        await wal.append(batchFor(OLD + 2)).then((l) => acked.push(l), () => undefined);
        await wal.rotate().catch(() => undefined);
        await wal.append(batchFor(OLD + 3)).then((l) => acked.push(l), () => undefined);
        if (env.crashes === crashes) continue;
        seen.cuts++;
        env.clearFaults();
        const names = await env.readdir(WAL_DIR);
        const last = names.filter((n) => n.endsWith('.log')).pop()!;
        const head = env.contents(at(last));
        if (head.length >= 32 && new DataView(head.buffer, head.byteOffset).getUint32(24, true) < Number(last.slice(0, 6))) seen.staleHeader++;
        const cp = OLD + 1;
        const r = await open(env, { fromLsn: cp });
        const got = lsns(r.batches);
        expect(got).toEqual(range(cp + 1, cp + got.length));
        for (const l of acked) expect(got).toContain(l);
        expect(await r.wal.append(batchFor(100))).toBe(cp + got.length + 1);
        await r.wal.close();
        expect(lsns((await replay(env, { fromLsn: cp })).batches)).toEqual(range(cp + 1, cp + got.length + 1));
      }
    }
    expect(seen.cuts).toBeGreaterThan(30);
    expect(seen.staleHeader).toBeGreaterThan(0);
  });
});

describe('WAL recycling on the real disk', () => {
  it('reuses a retired file in place and reopens clean in strict mode', async () => {
    const { dir, cleanup } = tempDir('wal-recycle');
    try {
      const wdir = path.join(dir, 'wal');
      const o = { durability: 'full', recycleFiles: 2, maxFileBytes: 1 << 20, preallocateBytes: 1 << 16 } as const;
      const { wal } = await Wal.open(wdir, { ...o, fromLsn: 0 });
      for (let i = 1; i <= 5; i++) await wal.append(bigBatch(i, 50, 128));
      await wal.rotate();
      await wal.removeUpTo(5);
      await wal.rotate();
      for (let i = 6; i <= 8; i++) await wal.append(bigBatch(i, 5, 128));
      await wal.close();
      const names = await nodeEnv.readdir(wdir);
      expect(names).toEqual(['000002.log', '000003.log']);
      const r = await Wal.open(wdir, { ...o, fromLsn: 5, strict: true, readOnly: true });
      expect(lsns(r.batches)).toEqual(range(6, 8));
      expect(r.batches[2]!.ops).toEqual(bigBatch(8, 5, 128));
      expect(r.report.end).toBeNull();
      await r.wal.close();
    } finally {
      cleanup();
    }
  });
});
