/**
 * The WAL's zero top-up runs on the thread pool while commits go on (docs/durability.md
 * "Preallocation"): a group never writes where that zero-filling write is still landing, a failed
 * zero-filling write fails the log like any write, and appends' payloads encoded into the shared
 * slab stay intact across groups and rotations.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMnemoError } from '../src/index.js';
import type { WriteOp } from '../src/model.js';
import { FaultEnv, type Env } from '../src/storage/env/index.js';
import { Wal, type WalOptions } from '../src/storage/wal/index.js';
import { lsns, range, recordsOf, rememberOp, WAL_DIR, WrappedEnv } from './wal-helpers.js';

const Z = 4096;

/**
 * FaultEnv whose asynchronous `write` (the zero top-up's; groups use writeSync) can be held until
 * released, or made to fail, once `armed`.
 */
class HoldEnv extends WrappedEnv {
  armed = false;
  fail = false;
  held: Array<() => void> = [];
  /** Hold every datasync while set. */
  holdSync = false;
  heldSyncs: Array<() => void> = [];
  constructor(fault: FaultEnv) {
    super(fault, (f) => {
      const write = f.write.bind(f);
      f.write = async (buf, pos) => {
        if (this.armed && this.fail) throw new Error('injected EIO on the zero-filling write');
        if (this.armed) await new Promise<void>((resolve) => this.held.push(resolve));
        return write(buf, pos);
      };
      const datasync = f.datasync.bind(f);
      f.datasync = async () => {
        if (this.holdSync) await new Promise<void>((resolve) => this.heldSyncs.push(resolve));
        return datasync();
      };
    });
  }
}

/** A one-row batch the WAL writes as a columnar payload (every MemoryRecord field, `recorded` too). */
function columnar(n: number, contentBytes = 40): WriteOp[] {
  const op = rememberOp(`c${n}`, 8, n, contentBytes) as WriteOp & { op: 'remember' };
  return [{ op: 'remember', record: { ...op.record, recorded: 1_700_000_000_000 + n } }];
}

async function open(env: Env, extra: Partial<WalOptions> = {}) {
  return Wal.open(WAL_DIR, { env, durability: 'full', fromLsn: 0, preallocateBytes: Z, ...extra });
}

/** Replay the log read-only (strict: any damage is CORRUPTION). */
async function replay(env: Env, strict: boolean) {
  const r = await open(env, { readOnly: true, strict });
  await r.wal.close();
  return r;
}

const ticks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** Append sequentially until a zero-filling write has started (it is held or fails). */
async function untilTopUp(wal: Wal, env: HoldEnv, from: number): Promise<number> {
  let n = from;
  const started = (): boolean => env.held.length > 0 || wal.failed !== null;
  while (!started() && n < from + 50) await wal.append(columnar(n++)).catch(() => undefined);
  expect(started()).toBe(true);
  return n;
}

/** A log whose first zero top-up is held; `n` is the next batch number to append. */
async function withHeldTopUp(seed: number) {
  const fault = new FaultEnv({ seed });
  const env = new HoldEnv(fault);
  const { wal } = await open(env);
  env.armed = true;
  const n = await untilTopUp(wal, env, 1);
  return { fault, env, wal, n };
}

describe('WAL zero top-up in the background', () => {
  it('a group that would pass the zeroes in place waits for the zero-filling write; nothing is lost or overwritten', async () => {
    const { fault, env, wal, n: first } = await withHeldTopUp(11);
    let n = first;
    const file = path.join(WAL_DIR, '000001.log');
    const physical = fault.contents(file).length;
    // Enough concurrent appends to pass the end of the zeroes already in place.
    const acked: number[] = [];
    const pending = range(n, n + 15).map((k) => wal.append(columnar(k, 200)).then((lsn) => acked.push(lsn)));
    n += 16;
    await ticks(20);
    expect(acked.length).toBeLessThan(16);
    expect(fault.contents(file).length).toBe(physical);
    env.armed = false;
    for (const release of env.held.splice(0)) release();
    await Promise.all(pending);
    expect(acked.sort((a, b) => a - b)).toEqual(range(n - 16, n - 1));
    await wal.close();
    const r = await replay(fault, true);
    expect(r.report.end).toBeNull();
    expect(lsns(r.batches)).toEqual(range(1, n - 1));
    expect(r.batches.map((b) => b.ops)).toEqual(range(1, n - 1).map((k) => columnar(k, k >= n - 16 ? 200 : 40)));
  });

  it('a failed zero-filling write fails the log: later appends reject with IO_ERROR, acknowledged batches survive', async () => {
    const fault = new FaultEnv({ seed: 12 });
    const env = new HoldEnv(fault);
    const { wal } = await open(env);
    const acked: number[] = [];
    env.armed = true;
    env.fail = true;
    let n = 1;
    for (; n < 60 && wal.failed === null; n++) await wal.append(columnar(n)).then((lsn) => acked.push(lsn), () => undefined);
    expect(wal.failed?.code).toBe('IO_ERROR');
    const err = await wal.append(columnar(n)).catch((e: unknown) => e);
    expect(isMnemoError(err) && err.code === 'IO_ERROR').toBe(true);
    await wal.close();
    const r = await replay(fault, false);
    expect(acked.length).toBeGreaterThan(0);
    expect(lsns(r.batches).slice(0, acked.length)).toEqual(acked);
  });

  it('an append made while a group waits keeps its payload when appends after that group reuse the slab', async () => {
    const { fault, env, wal, n } = await withHeldTopUp(14);
    // B passes the zeroes in place, so its group waits for the held zero-filling write.
    const b = wal.append(columnar(n, 2000));
    await ticks(5);
    const c1 = wal.append(columnar(n + 1, 300));
    env.armed = false;
    env.holdSync = true;
    for (const release of env.held.splice(0)) release();
    await ticks(10);
    expect(env.heldSyncs.length).toBe(1); // B is written, its sync waits; C1 is still queued
    const c2 = wal.append(columnar(n + 2, 3000));
    env.holdSync = false;
    for (const release of env.heldSyncs.splice(0)) release();
    expect(await Promise.all([b, c1, c2])).toEqual([n, n + 1, n + 2]);
    await wal.close();
    const r = await replay(fault, true);
    expect(r.batches.slice(-3).map((x) => x.ops)).toEqual([columnar(n, 2000), columnar(n + 1, 300), columnar(n + 2, 3000)]);
  });

  it('payloads encoded into the shared slab stay intact across concurrent groups and rotations', async () => {
    const fault = new FaultEnv({ seed: 13 });
    const { wal } = await open(fault, { maxFileBytes: 3000 });
    const all: Array<Promise<number>> = [];
    for (let round = 0; round < 20; round++) {
      // Bursts of different sizes: some groups need a rotation part-way, while more appends arrive.
      for (let k = 0; k < 1 + (round % 7); k++) all.push(wal.append(columnar(all.length + 1, 30 + 37 * k)));
      if (round % 3 === 0) await all[all.length - 1];
    }
    await Promise.all(all);
    expect(wal.fileNames.length).toBeGreaterThan(3);
    await wal.close();
    const r = await replay(fault, true);
    const expected: WriteOp[][] = [];
    let i = 0;
    for (let round = 0; round < 20; round++) for (let k = 0; k < 1 + (round % 7); k++) expected.push(columnar(++i, 30 + 37 * k));
    expect(r.batches.map((b) => b.ops)).toEqual(expected);
    for (const name of wal.fileNames) expect(recordsOf(fault.contents(path.join(WAL_DIR, name))).length).toBeGreaterThan(0);
  });
});
