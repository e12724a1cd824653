/**
 * Power-loss simulation (testing.md "power loss"): random workloads on FaultEnv cut at a random
 * operation, with unsynced data dropped, torn or zero-filled and un-fsynced directory changes
 * randomly lost; then recovery. `full`: every acknowledged batch survives, the log is an LSN
 * prefix, no partial batch. `normal`/`off`: only acknowledged-but-unsynced batches may be lost.
 * Some rounds end in a process crash instead (the Wal is abandoned, unsynced bytes stay in the
 * page cache): then nothing acknowledged may be lost, in any mode, also after later power cuts.
 * Two lives in three preallocate zeroes ahead of the writes; half of the lives recycle retired files
 * (docs/durability.md "Recycling"), so cuts also land in renames, fresh headers and END records.
 * Default run: ≥ 240 cuts in `full`; MNEMO_LONG=1 runs ten times more.
 */
import { describe, expect, it } from 'vitest';
import type { Durability, WriteOp } from '../src/model.js';
import { FaultEnv, Rng, type CrashMode } from '../src/storage/env/index.js';
import { Wal } from '../src/storage/wal/index.js';
import { bigBatch, range, rememberOp, WAL_DIR } from './wal-helpers.js';

const LONG = process.env.MNEMO_LONG === '1';
const ROUNDS = 5;
/** Share of rounds that end in a process crash (no power cut). */
const PROCESS_CRASH = 0.25;
const MODES: CrashMode[] = ['drop', 'tear', 'zero'];

function randomBatch(rng: Rng, n: number): WriteOp[] {
  const r = rng.next();
  if (r < 0.1) return bigBatch(n, 1 + rng.int(4), 8 + rng.int(24));
  const ops: WriteOp[] = [];
  for (let i = 0, k = 1 + rng.int(3); i < k; i++) {
    if (rng.next() < 0.4) ops.push(rememberOp(`m${n}-${i}`, 4 + rng.int(12), n * 10 + i));
    else if (rng.next() < 0.5) ops.push({ op: 'present', space: 's', id: `m${rng.int(n + 1)}`, at: n });
    else ops.push({ op: 'forget', space: 's', id: `m${rng.int(n + 1)}` });
  }
  return ops;
}

interface Stats {
  cuts: number;
  processCrashes: number;
  acked: number;
  lostAcked: number;
  replayed: number;
  /** Log files made from recycled ones (renames of a `.recycle` file). */
  reuses: number;
}

/** One database's life: ROUNDS of open → random workload → power cut; checks each recovery. */
async function life(seed: number, durability: Durability, stats: Stats, recycleAll = false): Promise<void> {
  const env = new FaultEnv({ seed });
  const rng = new Rng(seed * 7919 + 13);
  const opts = {
    env, durability, maxFileBytes: 300 + rng.int(2000), fragmentBytes: 32 + rng.int(400), normalIntervalMs: 3_600_000,
    // Zero-filled space ahead of the writes in two lives of three (docs/durability.md "Preallocation").
    preallocateBytes: seed % 3 === 0 ? 0 : 64 + rng.int(1500),
    // Retired files kept and reused in every other life (docs/durability.md "Recycling").
    recycleFiles: recycleAll || seed % 2 === 1 ? 1 + (seed % 3) : 0,
  };
  const rename = env.rename.bind(env);
  env.rename = (from: string, to: string) => {
    if (from.endsWith('.recycle')) stats.reuses++;
    return rename(from, to);
  };
  const truth = new Map<number, WriteOp[]>();
  let checkpoint = 0;
  let mustSurvive = 0;
  let allAckedSurvive = false;
  let acked = new Set<number>();
  for (let round = 0; round <= ROUNDS; round++) {
    const { wal, batches } = await Wal.open(WAL_DIR, { ...opts, fromLsn: checkpoint });
    const got = batches.map((b) => b.lsn);
    expect(got).toEqual(range(checkpoint + 1, checkpoint + got.length));
    for (const b of batches) expect(b.ops).toEqual(truth.get(b.lsn));
    const last = checkpoint + got.length;
    for (const lsn of acked) if (lsn > checkpoint && lsn > last) stats.lostAcked++;
    expect(last).toBeGreaterThanOrEqual(Math.max(checkpoint, mustSurvive));
    if (allAckedSurvive) for (const lsn of acked) if (lsn > checkpoint) expect(lsn).toBeLessThanOrEqual(last);
    stats.replayed += got.length;
    for (const lsn of [...truth.keys()]) if (lsn > last) truth.delete(lsn);
    if (round === ROUNDS) {
      await wal.close();
      return;
    }
    acked = new Set<number>();
    const cpRate = recycleAll ? 0.8 : 0.3;
    const res = await workload(wal, rng, truth, acked, () => checkpoint, (cp) => (checkpoint = cp), env, cpRate);
    stats.acked += acked.size;
    allAckedSurvive = durability === 'full' || res.processCrash;
    mustSurvive = allAckedSurvive ? Math.max(0, ...acked) : res.durable;
    if (res.processCrash) stats.processCrashes++;
    else stats.cuts++;
  }
}

async function workload(
  wal: Wal, rng: Rng, truth: Map<number, WriteOp[]>, acked: Set<number>,
  getCp: () => number, setCp: (cp: number) => void, env: FaultEnv, cpRate: number,
): Promise<{ durable: number; processCrash: boolean }> {
  const mode = rng.pick(MODES);
  env.scheduleCrash(1 + rng.int(45), mode);
  const crashesBefore = env.crashes;
  for (let wave = 0, waves = 1 + rng.int(6); wave < waves && env.crashes === crashesBefore; wave++) {
    const pending = range(1, 1 + rng.int(6)).map(() => {
      const ops = randomBatch(rng, wal.lastLsn + 1);
      const p = wal.append(ops);
      truth.set(wal.lastLsn, ops);
      return p.then((lsn) => acked.add(lsn));
    });
    await Promise.allSettled(pending);
    if (rng.next() < 0.25) await wal.sync().catch(() => undefined);
    if (rng.next() < cpRate) await checkpointTo(wal, truth, acked, getCp, setCp);
  }
  const durable = wal.durableLsn;
  const processCrash = env.crashes === crashesBefore && rng.next() < PROCESS_CRASH;
  env.clearFaults();
  if (env.crashes === crashesBefore && !processCrash) env.crash(mode);
  return { durable, processCrash };
}

/** As the store would: the catalog durably records a checkpoint covering acknowledged batches, then old files go. */
async function checkpointTo(wal: Wal, truth: Map<number, WriteOp[]>, acked: Set<number>, getCp: () => number, setCp: (cp: number) => void): Promise<void> {
  let cp = getCp();
  while (acked.has(cp + 1)) cp++;
  if (cp === getCp()) return;
  setCp(cp);
  await wal.removeUpTo(cp).catch(() => undefined);
}

describe('WAL power cuts', () => {
  it(`full: every acknowledged batch survives ${LONG ? 2400 : 240} random power cuts; no partial batch`, async () => {
    const stats: Stats = { cuts: 0, processCrashes: 0, acked: 0, lostAcked: 0, replayed: 0, reuses: 0 };
    for (let seed = 1; seed <= (LONG ? 800 : 80); seed++) await life(seed, 'full', stats);
    expect(stats.cuts).toBeGreaterThanOrEqual(240);
    expect(stats.processCrashes).toBeGreaterThan(20);
    expect(stats.lostAcked).toBe(0);
    expect(stats.acked).toBeGreaterThan(300);
    console.log(`power cuts (full): ${stats.cuts} cuts, ${stats.processCrashes} process crashes, ${stats.acked} acknowledged batches, ${stats.lostAcked} lost, ${stats.replayed} replayed, ${stats.reuses} log files made from recycled ones`);
  });

  it(`full, recycling in every life: every acknowledged batch survives ${LONG ? 1200 : 120} power cuts`, async () => {
    const stats: Stats = { cuts: 0, processCrashes: 0, acked: 0, lostAcked: 0, replayed: 0, reuses: 0 };
    for (let seed = 1; seed <= (LONG ? 400 : 40); seed++) await life(5000 + seed, 'full', stats, true);
    expect(stats.cuts).toBeGreaterThanOrEqual(120);
    expect(stats.lostAcked).toBe(0);
    expect(stats.reuses).toBeGreaterThan(60);
    console.log(`power cuts (full, recycling): ${stats.cuts} cuts, ${stats.processCrashes} process crashes, ${stats.acked} acknowledged, ${stats.lostAcked} lost, ${stats.reuses} log files made from recycled ones`);
  });

  it('normal and off: a power cut loses at most the acknowledged-but-unsynced batches, always an LSN prefix', async () => {
    for (const durability of ['normal', 'off'] as const) {
      const stats: Stats = { cuts: 0, processCrashes: 0, acked: 0, lostAcked: 0, replayed: 0, reuses: 0 };
      for (let seed = 1; seed <= (LONG ? 300 : 30); seed++) await life(1000 + seed, durability, stats);
      expect(stats.cuts).toBeGreaterThanOrEqual(90);
      expect(stats.processCrashes).toBeGreaterThan(8);
      expect(stats.lostAcked).toBeGreaterThan(0);
      console.log(`power cuts (${durability}): ${stats.cuts} cuts, ${stats.processCrashes} process crashes, ${stats.acked} acknowledged, ${stats.lostAcked} acknowledged-but-unsynced lost`);
    }
  });
});

describe('WAL process crash, reopen, then power cut', () => {
  it('batches replayed from the page cache are made durable before the log continues (no gap after a later power cut)', async () => {
    for (const durability of ['off', 'full'] as const) {
      const env = new FaultEnv({ seed: 3 });
      const first = await Wal.open(WAL_DIR, { env, durability, fromLsn: 0 });
      expect(await first.wal.append(bigBatch(1, 1, 4))).toBe(1);
      // Batch 2 reaches the page cache but is never synced: acknowledged in `off`; in `full` its sync fails.
      if (durability === 'full') env.inject({ op: 'sync', nth: env.counts.sync + 1 });
      await first.wal.append(bigBatch(2, 1, 4)).catch(() => undefined);
      env.clearFaults();
      // Process crash: the first Wal is abandoned (no close); the OS keeps the written bytes.
      const second = await Wal.open(WAL_DIR, { env, durability: 'full', fromLsn: 0 });
      expect(second.batches.map((b) => b.lsn)).toEqual([1, 2]);
      expect(await second.wal.append(bigBatch(3, 1, 4))).toBe(3);
      env.crash('drop');
      const third = await Wal.open(WAL_DIR, { env, durability: 'full', fromLsn: 0, readOnly: true });
      expect(third.batches.map((b) => b.lsn), durability).toEqual([1, 2, 3]);
      expect(third.report.end).toBeNull();
    }
  });
});
