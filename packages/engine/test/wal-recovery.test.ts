/**
 * WAL recovery, one named test per format edge case (LevelDB's log_test / recovery_test style):
 * empty log, one and many batches, fragmentation, torn tails at every byte, bad checksums in the
 * tail and in the middle (default vs strict), zeroed tails, stale salts, missing commit markers,
 * gaps, headers, undecodable payloads and checkpoint skipping. docs/wal_format.md "Recovery".
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WriteOp } from '../src/model.js';
import { FaultEnv } from '../src/storage/env/index.js';
import { Wal, type WalOptions } from '../src/storage/wal/index.js';
import { frameBatch, parseRecord } from '../src/storage/wal/wal-format.js';
import { batchFor, bigBatch, concat, lsns, range, recordsOf, rememberOp, saltOf, WAL_DIR } from './wal-helpers.js';

const F1 = path.join(WAL_DIR, '000001.log');

async function open(env: FaultEnv, extra: Partial<WalOptions> = {}) {
  return Wal.open(WAL_DIR, { env, durability: 'full', fromLsn: 0, preallocateBytes: 0, ...extra });
}

/** Replay read-only (leaves the files untouched, so one env serves many variants). */
async function replay(env: FaultEnv, extra: Partial<WalOptions> = {}) {
  const r = await open(env, { readOnly: true, ...extra });
  await r.wal.close();
  return r;
}

/** A log in file 000001 holding batches 1..n made by `make`. */
async function logWith(n: number, make: (i: number) => WriteOp[] = batchFor, extra: Partial<WalOptions> = {}): Promise<FaultEnv> {
  const env = new FaultEnv({ seed: n });
  const { wal } = await open(env, extra);
  for (let i = 1; i <= n; i++) await wal.append(make(i));
  await wal.close();
  return env;
}

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  out[at]! ^= 0x40;
  return out;
}

describe('WAL recovery: well-formed logs', () => {
  it('empty directory: no batches, no files, clean end', async () => {
    const r = await replay(new FaultEnv());
    expect(r.batches).toEqual([]);
    expect(r.report).toMatchObject({ files: [], lastLsn: 0, end: null, batchesReplayed: 0 });
  });

  it('empty log file (header only) reopens clean', async () => {
    const env = new FaultEnv();
    await (await open(env)).wal.close();
    const r = await replay(env);
    expect(r.report).toMatchObject({ files: ['000001.log'], end: null, lastLsn: 0 });
    expect(env.contents(F1)).toHaveLength(32);
  });

  it('one batch round-trips exactly, Float32Array embeddings included', async () => {
    const env = await logWith(3);
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual([1, 2, 3]);
    expect(r.batches[2]!.ops).toEqual(batchFor(3));
    const emb = (r.batches[2]!.ops[1] as { record: { embedding: Float32Array } }).record.embedding;
    expect(emb).toBeInstanceOf(Float32Array);
  });

  it('many batches come back in LSN order', async () => {
    const env = await logWith(400);
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual(range(1, 400));
    expect(r.batches.map((b) => b.ops)).toEqual(range(1, 400).map((i) => batchFor(i)));
  });

  it('a batch larger than a fragment is split FIRST/MIDDLE/LAST and reassembled', async () => {
    const env = await logWith(3, (i) => (i === 2 ? bigBatch(2, 6, 16) : batchFor(i)), { fragmentBytes: 100 });
    const recs = recordsOf(env.contents(F1));
    expect(recs.filter((r) => r.lsn === 1).map((r) => r.type)).toEqual([1]);
    const types = recs.filter((r) => r.lsn === 2).map((r) => r.type);
    expect(types.length).toBeGreaterThan(4);
    expect(types).toEqual([2, ...Array(types.length - 2).fill(3), 4]);
    expect(recs.every((r) => r.length <= 100)).toBe(true);
    const r = await replay(env);
    expect(r.batches[1]!.ops).toEqual(bigBatch(2, 6, 16));
  });

  it('a payload of exactly fragmentBytes is one FULL record', async () => {
    const probe = await logWith(1);
    const len = recordsOf(probe.contents(F1))[0]!.length;
    const env = await logWith(1, batchFor, { fragmentBytes: len });
    expect(recordsOf(env.contents(F1)).map((r) => r.type)).toEqual([1]);
    const env2 = await logWith(1, batchFor, { fragmentBytes: len - 1 });
    expect(recordsOf(env2.contents(F1)).map((r) => r.type)).toEqual([2, 4]);
    expect((await replay(env2)).batches[0]!.ops).toEqual(batchFor(1));
  });

  it('fromLsn skips checkpointed batches and counts them', async () => {
    const env = await logWith(10);
    const r = await replay(env, { fromLsn: 6 });
    expect(lsns(r.batches)).toEqual([7, 8, 9, 10]);
    expect(r.report).toMatchObject({ batchesSkipped: 6, batchesReplayed: 4, lastLsn: 10 });
  });

  it('a checkpoint ahead of the log (lost unsynced tail) continues LSNs after the checkpoint', async () => {
    const env = await logWith(5);
    const { wal, batches } = await open(env, { fromLsn: 8 });
    expect(batches).toEqual([]);
    expect(wal.lastLsn).toBe(8);
    expect(await wal.append(batchFor(9))).toBe(9);
    await wal.close();
    const r = await replay(env, { fromLsn: 8, strict: true });
    expect(lsns(r.batches)).toEqual([9]);
    expect(r.report.end).toBeNull();
  });
});

describe('WAL recovery: LSN range and batch size', () => {
  it('LSNs above 2^32 are stored as u64 and come back exactly', async () => {
    const env = new FaultEnv();
    const base = 2 ** 40 + 7;
    const { wal } = await open(env, { fromLsn: base });
    expect(await wal.append(batchFor(1))).toBe(base + 1);
    expect(await wal.append(batchFor(2))).toBe(base + 2);
    await wal.close();
    const r = await replay(env, { fromLsn: base, strict: true });
    expect(lsns(r.batches)).toEqual([base + 1, base + 2]);
    await expect(open(env, { fromLsn: Number.MAX_SAFE_INTEGER + 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it.runIf(process.env.MNEMO_LONG === '1')('a batch above 256 MiB is LIMIT_EXCEEDED and uses no LSN (MNEMO_LONG=1)', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env);
    const huge = rememberOp('huge', 4, 1, (256 << 20) + 1);
    await expect(wal.append([huge])).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(await wal.append(batchFor(1))).toBe(1);
    await wal.close();
  });
});

describe('WAL recovery: torn and bad tails', () => {
  it('a log written on a fault Env is the same bytes for the same seed (salts come from the Env)', async () => {
    const a = (await logWith(3)).contents(F1);
    const b = (await logWith(3)).contents(F1);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const other = new FaultEnv({ seed: 4 });
    expect(other.random32()).not.toBe(new FaultEnv({ seed: 3 }).random32());
  });

  it('torn tail at every byte offset of the last batch: a clean end, earlier batches intact', async () => {
    for (const fragmentBytes of [1 << 16, 64]) {
      const env = await logWith(3, (i) => (i === 3 ? bigBatch(3, 2, 8) : batchFor(i)), { fragmentBytes });
      const full = env.contents(F1);
      const start = recordsOf(full).find((r) => r.lsn === 3)!.offset;
      for (let cut = start; cut < full.length; cut++) {
        env.setContents(F1, full.subarray(0, cut));
        const r = await replay(env);
        expect(lsns(r.batches)).toEqual([1, 2]);
        // only zeroes after the last whole batch (none at all, or a torn record whose first bytes
        // are zero) is the clean end of the log, in strict mode too (wal_format.md "Padding / zeroes")
        if (full.subarray(start, cut).every((b) => b === 0)) {
          expect(r.report.end).toBeNull();
          expect(lsns((await replay(env, { strict: true })).batches)).toEqual([1, 2]);
        } else {
          expect(r.report.end).toMatchObject({ kind: 'tail', file: '000001.log', recordsDropped: 0, bytesDropped: cut - start });
          await expect(replay(env, { strict: true })).rejects.toMatchObject({ code: 'CORRUPTION', details: { file: '000001.log' } });
        }
      }
    }
  });

  it('bad checksum in the tail record: end of log; strict names file and offset', async () => {
    const env = await logWith(3);
    const full = env.contents(F1);
    const last = recordsOf(full)[2]!;
    env.setContents(F1, flip(full, last.offset + 30));
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual([1, 2]);
    expect(r.report.end).toMatchObject({ kind: 'tail', offset: last.offset, reason: 'checksum mismatch' });
    await expect(replay(env, { strict: true })).rejects.toMatchObject({ code: 'CORRUPTION', details: { file: '000001.log', offset: last.offset } });
  });

  it('zeroed tail (preallocated or zero-filled after power loss) is the clean end of the log, also in strict mode', async () => {
    const env = await logWith(4);
    const full = env.contents(F1);
    env.setContents(F1, concat(full, new Uint8Array(4096)));
    let r = await replay(env);
    expect(lsns(r.batches)).toEqual([1, 2, 3, 4]);
    expect(r.report.end).toBeNull();
    expect(lsns((await replay(env, { strict: true })).batches)).toEqual([1, 2, 3, 4]);
    const dirty = concat(full, new Uint8Array(4096));
    dirty[full.length + 4000] = 1; // not all zero: a torn tail again
    env.setContents(F1, dirty);
    r = await replay(env);
    expect(r.report.end).toMatchObject({ kind: 'tail', reason: 'zero-filled record header', bytesDropped: 4096 });
    const last = recordsOf(full)[3]!;
    const zeroedRecord = full.slice();
    zeroedRecord.fill(0, last.offset + 24);
    env.setContents(F1, zeroedRecord);
    r = await replay(env);
    expect(lsns(r.batches)).toEqual([1, 2, 3]);
    expect(r.report.end).toMatchObject({ kind: 'tail', reason: 'checksum mismatch' });
  });

  it('a batch without its commit marker (LAST) is never replayed', async () => {
    const env = await logWith(2, (i) => (i === 2 ? bigBatch(2, 3, 8) : batchFor(i)), { fragmentBytes: 64 });
    const full = env.contents(F1);
    const recs = recordsOf(full);
    const lastFrag = recs[recs.length - 1]!;
    expect(lastFrag.type).toBe(4);
    env.setContents(F1, full.subarray(0, lastFrag.offset));
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual([1]);
    expect(r.report.end).toMatchObject({ kind: 'tail', reason: expect.stringContaining('without commit marker') });
  });

  it('stale records of an earlier incarnation of a reused file are rejected by the salt', async () => {
    const old = await logWith(10, batchFor);
    const fresh = await logWith(3, batchFor);
    const oldBytes = old.contents(F1);
    const newBytes = fresh.contents(F1);
    expect(saltOf(oldBytes)).not.toBe(saltOf(newBytes));
    const reused = concat(newBytes, oldBytes.subarray(newBytes.length));
    const stale = recordsOf(oldBytes)[3]!;
    expect(stale.offset).toBe(newBytes.length);
    expect(parseRecord(reused, stale.offset, saltOf(oldBytes)).ok).toBe(true); // valid under the old salt, LSN 4 = next expected
    fresh.setContents(F1, reused);
    const r = await replay(fresh);
    expect(lsns(r.batches)).toEqual([1, 2, 3]);
    expect(r.report.end).toMatchObject({ kind: 'tail', reason: 'salt mismatch (record of an earlier file)', recordsDropped: 0 });
  });

  it('record length above the 1 MiB fragment limit is a bad record, not an allocation', async () => {
    const env = await logWith(2);
    const full = env.contents(F1).slice();
    const rec = recordsOf(full)[1]!;
    new DataView(full.buffer).setUint32(rec.offset + 4, 0xfffffff0, true);
    env.setContents(F1, full);
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual([1]);
    expect(r.report.end).toMatchObject({ reason: expect.stringContaining('bad record length') });
  });
});

describe('WAL recovery: damage in the middle', () => {
  it('bad checksum mid-file: default stops there and reports what was dropped; strict fails', async () => {
    const env = await logWith(10);
    const full = env.contents(F1);
    const bad = recordsOf(full)[4]!;
    env.setContents(F1, flip(full, bad.offset + 26));
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual([1, 2, 3, 4]);
    expect(r.report.end).toMatchObject({ kind: 'corruption', offset: bad.offset, recordsDropped: 5, bytesDropped: full.length - bad.offset });
    await expect(replay(env, { strict: true })).rejects.toMatchObject({ code: 'CORRUPTION', details: { offset: bad.offset, kind: 'corruption' } });
  });

  it('after a default-mode cut the log continues in a new file and later opens (also strict) agree', async () => {
    const env = await logWith(10);
    const full = env.contents(F1);
    env.setContents(F1, flip(full, recordsOf(full)[4]!.offset + 26));
    const first = await open(env);
    expect(first.wal.lastLsn).toBe(4);
    expect(await first.wal.append(batchFor(105))).toBe(5);
    await first.wal.close();
    const again = await replay(env, { strict: true });
    expect(again.batches.map((b) => b.ops)).toEqual([1, 2, 3, 4, 105].map((i) => batchFor(i)));
    expect(again.report.end).toBeNull();
    expect(again.report.ignoredTails).toEqual([{ file: '000001.log', offset: recordsOf(full)[4]!.offset, bytes: full.length - recordsOf(full)[4]!.offset }]);
  });

  it('a new batch starting inside an unfinished one (lost LAST mid-file) stops recovery there', async () => {
    const env = await logWith(3, (i) => (i === 2 ? bigBatch(2, 3, 8) : batchFor(i)), { fragmentBytes: 64 });
    const full = env.contents(F1);
    const recs = recordsOf(full);
    const lastOf2 = recs.find((r) => r.type === 4)!;
    env.setContents(F1, concat(full.subarray(0, lastOf2.offset), full.subarray(lastOf2.end)));
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual([1]);
    const after = recs.filter((rec) => rec.lsn === 3).length;
    expect(r.report.end).toMatchObject({ kind: 'corruption', reason: expect.stringContaining('inside batch 2'), recordsDropped: after });
  });

  it('a checksum-valid record that does not decode is CORRUPTION in every mode', async () => {
    const env = await logWith(2);
    const full = env.contents(F1);
    const junk = new TextEncoder().encode('not msgpack [1, ops]');
    const rec = new Uint8Array(24 + junk.length);
    frameBatch(rec, 0, junk, 3, saltOf(full), 1 << 16);
    env.setContents(F1, concat(full, rec));
    await expect(replay(env)).rejects.toMatchObject({ code: 'CORRUPTION', details: { file: '000001.log', offset: full.length } });
  });
});

describe('WAL recovery: across files', () => {
  async function threeFiles(): Promise<FaultEnv> {
    const env = new FaultEnv({ seed: 9 });
    const { wal } = await open(env);
    for (let i = 1; i <= 9; i++) {
      await wal.append(batchFor(i));
      if (i % 3 === 0) await wal.rotate();
    }
    await wal.close();
    return env;
  }

  it('LSNs continue across files and reopens; each file header starts where the last ended', async () => {
    const env = await threeFiles();
    const r = await open(env);
    expect(lsns(r.batches)).toEqual(range(1, 9));
    expect(r.report.files).toEqual(['000001.log', '000002.log', '000003.log', '000004.log']);
    expect(await r.wal.append(batchFor(10))).toBe(10);
    await r.wal.close();
    const again = await replay(env, { strict: true });
    expect(lsns(again.batches)).toEqual(range(1, 10));
    expect(again.report.files).toHaveLength(5);
  });

  it('a missing middle file is a gap: default stops and quarantines later files; strict fails', async () => {
    const env = await threeFiles();
    await env.unlink(path.join(WAL_DIR, '000002.log'));
    await expect(replay(env, { strict: true })).rejects.toMatchObject({ code: 'CORRUPTION', details: { kind: 'gap', file: '000003.log' } });
    const r = await open(env);
    expect(lsns(r.batches)).toEqual([1, 2, 3]);
    expect(r.report.end).toMatchObject({ kind: 'gap', file: '000003.log', recordsDropped: 3 });
    expect(r.report.quarantined).toEqual(['lost/000003.log', 'lost/000004.log']);
    expect(await r.wal.append(batchFor(4))).toBe(4);
    await r.wal.close();
    expect(await env.readdir(WAL_DIR)).toEqual(['000001.log', '000005.log', 'lost']);
    const again = await replay(env, { strict: true });
    expect(lsns(again.batches)).toEqual([1, 2, 3, 4]);
  });

  it('checkpointed files removed from the front are not a gap', async () => {
    const env = await threeFiles();
    await env.unlink(path.join(WAL_DIR, '000001.log'));
    const r = await replay(env, { fromLsn: 3, strict: true });
    expect(lsns(r.batches)).toEqual(range(4, 9));
    await expect(replay(env, { fromLsn: 2, strict: true })).rejects.toMatchObject({ details: { kind: 'gap' } });
  });

  it('bad header of the last file is a tail (crash during rotation); of a middle file, corruption', async () => {
    const env = await threeFiles();
    const f4 = path.join(WAL_DIR, '000004.log');
    env.setContents(f4, env.contents(f4).subarray(0, 20));
    let r = await replay(env);
    expect(lsns(r.batches)).toEqual(range(1, 9));
    expect(r.report.end).toMatchObject({ kind: 'tail', file: '000004.log', offset: 0 });
    const f2 = path.join(WAL_DIR, '000002.log');
    env.setContents(f2, flip(env.contents(f2), 3));
    r = await replay(env);
    expect(lsns(r.batches)).toEqual([1, 2, 3]);
    expect(r.report.end).toMatchObject({ kind: 'corruption', file: '000002.log', reason: 'file header checksum mismatch' });
  });

  it('a torn tail in a middle file that the next file does not continue is corruption', async () => {
    const env = await threeFiles();
    const f2 = path.join(WAL_DIR, '000002.log');
    const bytes = env.contents(f2);
    env.setContents(f2, bytes.subarray(0, bytes.length - 3));
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual([1, 2, 3, 4, 5]);
    expect(r.report.end).toMatchObject({ kind: 'corruption', file: '000002.log' });
  });
});
