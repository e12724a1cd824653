/**
 * The WAL's `whileSyncing` hook (docs/storage.md, "Write path"): the store applies a batch to its
 * memtable while the batch's fdatasync is in flight. The hook must run once the group's write and
 * sync are under way in `full` mode (after the write in the others; before the acknowledgement in
 * every mode), in LSN order across appends and groups; a hook that throws rejects its own append
 * only; a write or sync that fails after the hook ran still rejects the append.
 */
import { describe, expect, it } from 'vitest';
import { FaultEnv, type Env } from '../src/storage/env/index.js';
import { Wal, type WalOptions } from '../src/storage/wal/index.js';
import { batchFor, HeldSyncEnv, lsns, range, WAL_DIR } from './wal-helpers.js';

async function open(env: Env, extra: Partial<WalOptions> = {}) {
  return Wal.open(WAL_DIR, { env, durability: 'full', fromLsn: 0, preallocateBytes: 0, ...extra });
}

const settle = async (rounds = 20): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

describe('WAL whileSyncing hook', () => {
  it('full: runs after the write, while the sync is in flight, before the acknowledgement', async () => {
    const env = new HeldSyncEnv(new FaultEnv());
    const { wal } = await open(env);
    env.hold = true;
    env.events.length = 0;
    let acked = false;
    const ack = wal.append(batchFor(1), (lsn) => env.events.push(`hook ${lsn}`)).then((lsn) => {
      acked = true;
      return lsn;
    });
    await settle();
    expect(env.events).toEqual(['write', 'sync start', 'hook 1']);
    expect(acked).toBe(false);
    env.release();
    expect(await ack).toBe(1);
    expect(env.events).toEqual(['write', 'sync start', 'hook 1', 'sync end']);
    env.hold = false;
    await wal.close();
  });

  it('normal and off: runs after the write and before the acknowledgement', async () => {
    for (const durability of ['normal', 'off'] as const) {
      const env = new HeldSyncEnv(new FaultEnv());
      const { wal } = await open(env, { durability });
      env.events.length = 0;
      const ack = await wal.append(batchFor(1), (lsn) => env.events.push(`hook ${lsn}`));
      env.events.push(`ack ${ack}`);
      expect(env.events, durability).toEqual(['write', 'hook 1', 'ack 1']);
      await wal.close();
    }
  });

  it('runs in LSN order across concurrent appends and groups, once each', async () => {
    const env = new HeldSyncEnv(new FaultEnv());
    const { wal } = await open(env);
    env.hold = true;
    const order: number[] = [];
    const hook = (lsn: number): void => void order.push(lsn);
    const first = Promise.all(range(1, 5).map((i) => wal.append(batchFor(i), hook)));
    await settle();
    expect(order).toEqual(range(1, 5));
    // Queued behind the held sync: the next group, whose hooks run only at its own sync.
    const second = Promise.all(range(6, 9).map((i) => wal.append(batchFor(i), i === 7 ? undefined : hook)));
    await settle();
    expect(order).toEqual(range(1, 5));
    env.release();
    await first;
    await settle();
    expect(order).toEqual([...range(1, 6), 8, 9]);
    env.hold = false;
    env.release();
    expect(await second).toEqual(range(6, 9));
    expect(order).toEqual([...range(1, 6), 8, 9]);
    await wal.close();
  });

  it('a hook that throws rejects its own append only; its batch stays logged and the log carries on', async () => {
    const env = new FaultEnv();
    const { wal } = await open(env);
    const results = await Promise.allSettled(
      range(1, 3).map((i) =>
        wal.append(batchFor(i), () => {
          if (i === 2) throw new Error('apply failed');
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'apply failed' });
    expect(wal.failed).toBeNull();
    expect(await wal.append(batchFor(4), () => undefined)).toBe(4);
    await wal.close();
    const r = await open(env, { readOnly: true });
    await r.wal.close();
    expect(lsns(r.batches)).toEqual(range(1, 4));
  });

  it('a sync that fails after the hook ran rejects the append with IO_ERROR and fails the log', async () => {
    const env = new HeldSyncEnv(new FaultEnv());
    const { wal } = await open(env);
    env.hold = true;
    const hooked: number[] = [];
    const ack = wal.append(batchFor(1), (lsn) => void hooked.push(lsn));
    await settle();
    expect(hooked).toEqual([1]);
    env.release(new Error('injected EIO on fdatasync'));
    await expect(ack).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(wal.failed).toMatchObject({ code: 'IO_ERROR' });
    // Refused appends are never written, so their hooks never run.
    await expect(wal.append(batchFor(2), (lsn) => void hooked.push(lsn))).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(hooked).toEqual([1]);
    await wal.close();
  });

  it('a failed write: full (write and sync one job) may have run the hook, normal has not; the append rejects either way', async () => {
    for (const durability of ['full', 'normal'] as const) {
      const env = new FaultEnv();
      const { wal } = await open(env, { durability });
      env.inject({ op: 'write', nth: env.counts.write + 1 });
      const hooked: number[] = [];
      await expect(wal.append(batchFor(1), (lsn) => void hooked.push(lsn)), durability).rejects.toMatchObject({ code: 'IO_ERROR' });
      expect(hooked, durability).toEqual(durability === 'full' ? [1] : []);
      expect(wal.failed, durability).toMatchObject({ code: 'IO_ERROR' });
      await wal.close();
    }
  });
});
