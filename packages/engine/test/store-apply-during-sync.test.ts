/**
 * A batch is applied to the memtable while its fdatasync is in flight (docs/storage.md, "Write
 * path"), under an LSN above store.lastLsn. These tests hold the WAL's sync open and check what
 * that must never change: no read or snapshot sees the batch before its acknowledgement (not even
 * for a key it rewrites: the version reads still see is kept), a flush in that window waits for
 * the acknowledgement and checkpoints past the batch (a reopen replays nothing twice), and when
 * the sync fails the batch stays invisible and no segment takes it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { WriteOp } from '../src/model.js';
import { FaultEnv, openStore, type Store } from '../src/storage/index.js';
import { cleanupDirs, remember, tempDir } from './helpers/store-fixtures.js';
import { HeldSyncEnv } from './wal-helpers.js';

afterAll(cleanupDirs);

const settle = async (rounds = 20): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

/** A one-hot embedding of the default space's 256 dimensions. */
function vec(i: number): Float32Array {
  const v = new Float32Array(256);
  v[i] = 1;
  return v;
}

function segments(store: Store): number {
  return store.stats().spaces.find((s) => s.name === 'default')?.segments ?? -1;
}

function present(id: string, at: number): WriteOp {
  return { op: 'present', space: 'default', id, at, times: 1 };
}

async function setup(): Promise<{ dir: string; env: HeldSyncEnv; fault: FaultEnv }> {
  const dir = tempDir('mnemo-apply-sync-');
  const fault = new FaultEnv();
  const env = new HeldSyncEnv(fault);
  return { dir, env, fault };
}

describe('apply while the sync is in flight', () => {
  it('reads and snapshots see the batch only after its acknowledgement; a rewritten key keeps its visible version', async () => {
    const { dir, env } = await setup();
    const store = await openStore(dir, { env });
    await store.write([remember('default', 'a', 'first', vec(0))]);
    const lastLsn = store.stats().lastLsn;
    env.hold = true;
    let acked = false;
    const pending = store.write([remember('default', 'a', 'second', vec(1)), remember('default', 'b', 'new', vec(2))]).then((r) => {
      acked = true;
      return r;
    });
    await env.waitHeld();
    expect(acked).toBe(false);
    // No snapshot is open: the rewrite of 'a' must still keep the version at lastLsn.
    expect(store.get('default', 'a')?.content).toBe('first');
    expect(store.get('default', 'b')).toBeUndefined();
    expect(store.stats().lastLsn).toBe(lastLsn);
    const during = store.snapshot();
    expect(during.get('default', 'a')?.content).toBe('first');
    expect([...during.scan('default')].map((m) => `${m.id}:${m.content}`)).toEqual(['a:first']);
    env.hold = false;
    env.release();
    const r = await pending;
    expect(r.lsn).toBe(lastLsn + 1);
    expect(store.get('default', 'a')?.content).toBe('second');
    expect(store.get('default', 'b')?.content).toBe('new');
    expect(during.get('default', 'a')?.content).toBe('first');
    during.release();
    await store.close();
  });

  it('a flush in that window waits for the acknowledgement and checkpoints past the batch: after a power cut it is applied once', async () => {
    const { dir, env, fault } = await setup();
    const store = await openStore(dir, { env });
    await store.write([remember('default', 'a', 'seen', vec(0), { created: 1_600_000_000_000 })]);
    env.hold = true;
    const write = store.write([present('a', 1_600_000_060_000), remember('default', 'c', 'other', vec(1))]);
    await env.waitHeld();
    let flushed = false;
    const flush = store.flush().then(() => (flushed = true));
    await settle();
    expect(flushed).toBe(false);
    expect(segments(store)).toBe(0);
    env.hold = false;
    env.release();
    const { lsn } = await write;
    // A later batch, applied to the new active memtable and held at its sync, keeps that memtable
    // non-empty while the flush finishes: the checkpoint is then the frozen memtable's alone.
    env.hold = true;
    const later = store.write([remember('default', 'd', 'unacknowledged', vec(2))]);
    await env.waitHeld();
    await flush;
    expect(segments(store)).toBe(1);
    expect(store.get('default', 'a')?.decay.count).toBe(2);
    // The segment holds the batch, so the checkpoint must pass it (or recovery would replay it).
    expect(store.stats().checkpointLsn).toBe(lsn);
    fault.crash();
    env.hold = false;
    env.release();
    await expect(later).rejects.toMatchObject({ code: 'IO_ERROR' });
    await store.close().catch(() => undefined);
    const again = await openStore(dir, { env: fault });
    expect(again.get('default', 'a')?.decay.count).toBe(2);
    expect(again.get('default', 'c')?.content).toBe('other');
    expect(again.get('default', 'd')).toBeUndefined();
    await again.close();
  });

  it('a failed sync leaves the batch invisible; a flush in that window fails and writes no segment', async () => {
    const { dir, env, fault } = await setup();
    const store = await openStore(dir, { env });
    await store.write([remember('default', 'a', 'seen', vec(0))]);
    env.hold = true;
    const write = store.write([present('a', 1_600_000_060_000), remember('default', 'lost', 'never acknowledged', vec(1))]);
    await env.waitHeld();
    const flush = store.flush();
    await settle();
    env.hold = false;
    env.release(new Error('injected EIO on fdatasync'));
    await expect(write).rejects.toMatchObject({ code: 'IO_ERROR' });
    await expect(flush).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(store.get('default', 'lost')).toBeUndefined();
    expect(store.get('default', 'a')?.decay.count).toBe(1);
    const snap = store.snapshot();
    expect([...snap.scan('default')].map((m) => m.id)).toEqual(['a']);
    snap.release();
    expect(segments(store)).toBe(0);
    await store.close().catch(() => undefined);
    // After a power cut, whatever the failed sync left: the batch is whole or absent, applied at most once.
    fault.crash();
    const again = await openStore(dir, { env: fault });
    const lost = again.get('default', 'lost');
    expect(again.get('default', 'a')?.decay.count).toBe(lost === undefined ? 1 : 2);
    await again.close();
  });
});
