/**
 * The WAL writer: rotation and removal, group commit (sync counts through FaultEnv and a counting
 * real Env), failure semantics (an I/O error fails the log; no acknowledgement after it), the
 * durability modes' sync behaviour and the API's refusals. docs/durability.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaultEnv, NodeEnv, type Env } from '../src/storage/env/index.js';
import { Wal, type WalOptions } from '../src/storage/wal/index.js';
import { batchFor, lsns, range, tempDir, WAL_DIR, WrappedEnv } from './wal-helpers.js';

async function open(env: Env, extra: Partial<WalOptions> = {}, dir = WAL_DIR) {
  return Wal.open(dir, { env, durability: 'full', fromLsn: 0, preallocateBytes: 0, ...extra });
}

async function replayAll(env: Env, dir = WAL_DIR) {
  const r = await open(env, { readOnly: true }, dir);
  await r.wal.close();
  return r;
}

const settle = async (rounds = 20): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

/** Wraps a real Env and counts fdatasync calls (alone or after a write, as one writeAndSync job). */
class CountingEnv extends WrappedEnv {
  datasyncs = 0;
  constructor(inner: Env) {
    super(inner, (f) => {
      const datasync = f.datasync.bind(f);
      const writeAndSync = f.writeAndSync.bind(f);
      f.datasync = () => {
        this.datasyncs++;
        return datasync();
      };
      f.writeAndSync = (buf, position) => {
        this.datasyncs++;
        return writeAndSync(buf, position);
      };
    });
  }
}

let cleanup: () => void = () => undefined;
afterEach(() => {
  cleanup();
  cleanup = () => undefined;
  vi.useRealTimers();
});

describe('WAL rotation and removal', () => {
  it('rotates before a file would pass maxFileBytes; batches never span files', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env, { maxFileBytes: 400 });
    for (let i = 1; i <= 30; i++) await wal.append(batchFor(i));
    await wal.close();
    expect(wal.fileNames.length).toBeGreaterThan(4);
    for (const name of wal.fileNames) expect(env.contents(path.join(WAL_DIR, name)).length).toBeLessThanOrEqual(400);
    expect(lsns((await replayAll(env)).batches)).toEqual(range(1, 30));
  });

  it('rotate() starts a new file whose header starts at the next LSN', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env);
    await wal.append(batchFor(1));
    await wal.rotate();
    await wal.append(batchFor(2));
    await wal.close();
    expect(wal.fileNames).toEqual(['000001.log', '000002.log']);
    const r = await replayAll(env);
    expect(lsns(r.batches)).toEqual([1, 2]);
    expect(r.report.end).toBeNull();
  });

  it('removeUpTo deletes only files whose batches are all ≤ lsn, never the active one, and fsyncs the directory', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env);
    for (let i = 1; i <= 9; i++) {
      await wal.append(batchFor(i));
      if (i % 3 === 0) await wal.rotate();
    }
    const dirsyncs = env.counts.dirsync;
    expect(await wal.removeUpTo(5)).toBe(1);
    expect(env.counts.dirsync).toBe(dirsyncs + 1);
    expect(await wal.removeUpTo(9)).toBe(2);
    expect(await wal.removeUpTo(1000)).toBe(0);
    expect(await env.readdir(WAL_DIR)).toEqual(['000004.log']);
    await wal.append(batchFor(10));
    await wal.close();
    const r = await Wal.open(WAL_DIR, { env, durability: 'full', fromLsn: 9, strict: true, readOnly: true });
    expect(lsns(r.batches)).toEqual([10]);
  });
});

describe('WAL group commit', () => {
  it('sequential appends pay one sync each (the counter is real)', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env);
    const base = env.counts.sync;
    for (let i = 1; i <= 10; i++) await wal.append(batchFor(i));
    expect(env.counts.sync - base).toBe(10);
    await wal.close();
  });

  it('N concurrent appends share syncs; all are acknowledged in LSN order and replayed', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env);
    const base = { sync: env.counts.sync, write: env.counts.write };
    const acks = await Promise.all(range(1, 64).map((i) => wal.append(batchFor(i))));
    expect(acks).toEqual(range(1, 64));
    expect(env.counts.sync - base.sync).toBeLessThanOrEqual(2);
    expect(env.counts.write - base.write).toBeLessThanOrEqual(2);
    await wal.close();
    expect((await replayAll(env)).batches.map((b) => b.ops)).toEqual(range(1, 64).map((i) => batchFor(i)));
  });

  it('appends queued while a sync is in flight are written together and acknowledged by the next single sync', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env);
    const base = env.counts.sync;
    const first = wal.append(batchFor(1));
    while (env.counts.sync === base) await new Promise((r) => setImmediate(r));
    const writes = env.counts.write;
    const rest = Promise.all(range(2, 11).map((i) => wal.append(batchFor(i))));
    await first;
    expect(await rest).toEqual(range(2, 11));
    expect(env.counts.sync - base).toBe(2);
    expect(env.counts.write - writes).toBe(1);
    await wal.close();
  });

  it('on a real disk, 32 concurrent appends need fewer fdatasyncs than appends', async () => {
    const t = tempDir('wal-gc');
    cleanup = t.cleanup;
    const env = new CountingEnv(new NodeEnv());
    const dir = path.join(t.dir, 'wal');
    const { wal } = await open(env, {}, dir);
    const base = env.datasyncs;
    for (let round = 0; round < 4; round++) {
      await Promise.all(range(1, 32).map((i) => wal.append(batchFor(round * 32 + i))));
    }
    expect(env.datasyncs - base).toBeLessThan(128 / 4);
    expect(env.datasyncs - base).toBeGreaterThanOrEqual(4);
    await wal.close();
    expect(lsns((await replayAll(env, dir)).batches)).toEqual(range(1, 128));
  });
});

describe('WAL failure is final', () => {
  it('an fsync error rejects the group and everything queued with IO_ERROR; later appends too', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env);
    expect(await wal.append(batchFor(1))).toBe(1);
    env.inject({ op: 'sync', nth: env.counts.sync + 1 });
    const results = await Promise.allSettled(range(2, 6).map((i) => wal.append(batchFor(i))));
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'IO_ERROR', message: 'write-ahead log is failed; reopen the database' });
    }
    expect(wal.failed).toMatchObject({ code: 'IO_ERROR' });
    expect(wal.failed?.cause).toMatchObject({ message: expect.stringContaining('injected fault') });
    await expect(wal.append(batchFor(7))).rejects.toMatchObject({ code: 'IO_ERROR' });
    await expect(wal.sync()).rejects.toMatchObject({ code: 'IO_ERROR' });
    await wal.close();
    expect(lsns((await replayAll(env)).batches)[0]).toBe(1);
  });

  it('a failed write is not retried: the log stays failed though the next write would succeed', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env);
    env.inject({ op: 'write', nth: env.counts.write + 1 });
    await expect(wal.append(batchFor(1))).rejects.toMatchObject({ code: 'IO_ERROR' });
    await expect(wal.append(batchFor(2))).rejects.toMatchObject({ code: 'IO_ERROR' });
    await wal.close();
    expect((await replayAll(env)).batches).toEqual([]);
  });

  it('fault at every I/O step of a workload: no false acknowledgements, no corruption', async () => {
    for (const op of ['write', 'sync', 'dirsync', 'open'] as const) {
      for (let nth = 1; nth <= 12; nth++) {
        const env = new FaultEnv({ seed: nth });
        env.inject({ op, nth });
        const acked: number[] = [];
        try {
          const { wal } = await open(env, { maxFileBytes: 300 });
          const all = range(1, 12).map((i) => wal.append(batchFor(i)).then((lsn) => acked.push(lsn)));
          await Promise.allSettled(all);
          await wal.close().catch(() => undefined);
        } catch (e) {
          expect(e).toMatchObject({ code: 'IO_ERROR' });
        }
        env.clearFaults();
        const r = await replayAll(env);
        const got = lsns(r.batches);
        expect(got).toEqual(range(1, got.length));
        for (const lsn of acked) expect(got).toContain(lsn);
        r.batches.forEach((b) => expect(b.ops).toEqual(batchFor(b.lsn)));
      }
    }
  });

  it('normal mode: a failed background sync stops later acknowledgements', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const env = new FaultEnv();
    const { wal } = await open(env, { durability: 'normal', normalIntervalMs: 50 });
    await wal.append(batchFor(1));
    env.inject({ op: 'sync', nth: env.counts.sync + 1, persistent: true });
    vi.advanceTimersByTime(50);
    await settle();
    expect(wal.failed).not.toBeNull();
    await expect(wal.append(batchFor(2))).rejects.toMatchObject({ code: 'IO_ERROR' });
    await wal.close();
  });
});

describe('WAL durability modes', () => {
  it('normal: acknowledged after the write, synced by the interval timer and on close', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const env = new FaultEnv();
    const { wal } = await open(env, { durability: 'normal', normalIntervalMs: 100 });
    const base = env.counts.sync;
    await Promise.all(range(1, 5).map((i) => wal.append(batchFor(i))));
    expect(env.counts.sync).toBe(base);
    expect(wal.durableLsn).toBe(0);
    vi.advanceTimersByTime(100);
    await settle();
    expect(env.counts.sync).toBe(base + 1);
    expect(wal.durableLsn).toBe(5);
    vi.advanceTimersByTime(300);
    await settle();
    expect(env.counts.sync).toBe(base + 1);
    await wal.append(batchFor(6));
    await wal.close();
    expect(env.counts.sync).toBe(base + 2);
  });

  it('off: never synced until sync() or close()', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env, { durability: 'off' });
    const base = env.counts.sync;
    for (let i = 1; i <= 5; i++) await wal.append(batchFor(i));
    expect(env.counts.sync).toBe(base);
    await wal.sync();
    expect(env.counts.sync).toBe(base + 1);
    expect(wal.durableLsn).toBe(5);
    await wal.append(batchFor(6));
    await wal.close();
    expect(env.counts.sync).toBe(base + 2);
  });

  it('process crash (no close, no power cut) loses nothing acknowledged in normal and off', async () => {
    for (const durability of ['normal', 'off'] as const) {
      const env = new FaultEnv();
      const { wal } = await open(env, { durability, normalIntervalMs: 60_000 });
      await Promise.all(range(1, 20).map((i) => wal.append(batchFor(i))));
      expect(wal.durableLsn).toBe(0);
      const r = await replayAll(env);
      expect(lsns(r.batches)).toEqual(range(1, 20));
      await wal.close();
    }
  });

  it('power cut in off mode loses exactly the acknowledged batches after the last sync', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env, { durability: 'off' });
    for (let i = 1; i <= 5; i++) await wal.append(batchFor(i));
    await wal.sync();
    for (let i = 6; i <= 9; i++) await wal.append(batchFor(i));
    env.crash('drop');
    expect(lsns((await replayAll(env)).batches)).toEqual(range(1, 5));
  });
});

describe('WAL API', () => {
  it('read-only open creates nothing and refuses appends with READ_ONLY', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env, { readOnly: true });
    expect(await env.stat(WAL_DIR)).toBeNull();
    await expect(wal.append(batchFor(1))).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(wal.removeUpTo(10)).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(wal.rotate()).rejects.toMatchObject({ code: 'READ_ONLY' });
    await wal.close();
  });

  it('append after close is CLOSED; invalid batches are INVALID_ARGUMENT and use no LSN', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env);
    await expect(wal.append([{ op: 'nope' } as never])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const bad = batchFor(3);
    (bad[1] as { record: { embedding: unknown } }).record.embedding = [1, 2];
    await expect(wal.append(bad)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await wal.append(batchFor(1))).toBe(1);
    await wal.close();
    await expect(wal.append(batchFor(2))).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('rejects bad options with INVALID_ARGUMENT', async () => {
    const env = new FaultEnv();
    await expect(open(env, { fromLsn: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(open(env, { fragmentBytes: 2 << 20 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(open(env, { durability: 'sometimes' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('on a real disk: log files are 0600, the directory 0700, and batches round-trip', async () => {
    const t = tempDir('wal-node');
    cleanup = t.cleanup;
    const dir = path.join(t.dir, 'db', 'wal');
    const { wal } = await open(new NodeEnv(), {}, dir);
    await Promise.all(range(1, 10).map((i) => wal.append(batchFor(i))));
    await wal.close();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, '000001.log')).mode & 0o777).toBe(0o600);
    const r = await replayAll(new NodeEnv(), dir);
    expect(r.batches.map((b) => b.ops)).toEqual(range(1, 10).map((i) => batchFor(i)));
    fs.truncateSync(path.join(dir, '000001.log'), fs.statSync(path.join(dir, '000001.log')).size - 5);
    const torn = await open(new NodeEnv(), {}, dir);
    expect(lsns(torn.batches)).toEqual(range(1, 9));
    expect(torn.report.end).toMatchObject({ kind: 'tail' });
    await torn.wal.close();
    expect(fs.readdirSync(dir)).toEqual(['000001.log', '000002.log']);
  });
});
