/**
 * Power-loss test (testing.md "power loss"): the store's WAL runs on the fault-injecting FaultEnv,
 * which at a seeded random operation simulates a power cut (unsynced log data dropped, torn or
 * zero-filled; unsynced directory changes partly lost). The store is reopened on the surviving
 * state and every batch acknowledged before the cut must be there, whole; nothing partial.
 * Segments and the catalog live on the real disk (they are mmapped / SQLite): this test covers
 * the WAL, its checkpointing and file removal around flushes, not a cut inside those files.
 * The first run has WAL file recycling off, the second on (docs/durability.md "Recycling").
 * Default 120 cuts (+ 60 recycling); MNEMO_LONG=1: 1000 (+ 500).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WriteOp } from '../src/model.js';
import { FaultEnv, openStore, type Store, type StoreOptions } from '../src/storage/index.js';

const CUTS = Number(process.env.MNEMO_CUTS ?? (process.env.MNEMO_LONG === '1' ? 1000 : 120));
const dirs: string[] = [];

function batch(k: number): WriteOp[] {
  return [0, 1, 2].map((j) => ({
    op: 'remember' as const,
    record: { id: `p${k}-${j}`, space: 'default', content: `cut batch ${k}`, embedding: new Float32Array(256).fill(k % 7), kind: 'episodic' as const, created: k, confidence: { lo: 1, hi: 1 }, decay: undefined as never, meta: { k } },
  }));
}

describe('power loss: FaultEnv cuts under the WAL', () => {
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it(`${CUTS} cuts: 0 acknowledged batches lost, 0 torn`, async () => {
    await cutRounds(CUTS, { walRecycleFiles: 0 });
  });

  it(`${CUTS / 2} cuts with WAL recycling: 0 acknowledged batches lost, 0 torn`, async () => {
    await cutRounds(CUTS / 2, { walRecycleFiles: 2 });
  });
});

/** CUTS power cuts in rounds of 10 per directory; `extra` goes to every openStore. */
async function cutRounds(cuts: number, extra: StoreOptions): Promise<void> {
  {
    let lost = 0;
    let torn = 0;
    let acks = 0;
    let reuses = 0;
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let round = 0; round < cuts / 10; round++) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'mnemo-cut-'));
      dirs.push(dir);
      const env = new FaultEnv({ seed: round + 1 });
      const rename = env.rename.bind(env);
      env.rename = (from: string, to: string) => {
        if (from.endsWith('.recycle')) reuses++;
        return rename(from, to);
      };
      const acked = new Set<number>();
      let next = 0;
      for (let cut = 0; cut < 10; cut++) {
        const store: Store = await openStore(dir, { ...extra, env, memtableBytes: 16 * 1024, compaction: { auto: true, minRun: 2 }, clock: () => 1e12 });
        const crashesBefore = env.crashes;
        env.scheduleCrash(5 + rand(60), rand(3) === 0 ? 'zero' : 'tear');
        // The process "dies" at the cut: acknowledgements after it do not count, and the loop stops.
        const alive = (): boolean => env.crashes === crashesBefore;
        for (;;) {
          const k = next++;
          const pair = rand(4) === 0;
          const ks = pair ? [k, next++] : [k];
          const res = await Promise.allSettled(ks.map((x) => store.write(batch(x)).then(() => alive() && acked.add(x))));
          if (res.some((r) => r.status === 'rejected') || !alive()) break;
          if (rand(10) === 0) await store.flush().catch(() => undefined);
          if (!alive()) break;
        }
        await store.close().catch(() => undefined);
        env.clearFaults();
        const check = await openStore(dir, { ...extra, env, clock: () => 1e12 });
        const snap = check.snapshot();
        const seen = new Map<number, number>();
        for (const m of snap.scan('default')) {
          const k = (m.meta as { k: number }).k;
          seen.set(k, (seen.get(k) ?? 0) + 1);
        }
        snap.release();
        await check.close();
        for (const n of seen.values()) if (n !== 3) torn++;
        for (const k of acked) if (seen.get(k) !== 3) lost++;
        next = Math.max(next, ...seen.keys()) + 1;
      }
      acks += acked.size;
    }
    console.log(`power loss: ${cuts} cuts${extra.walRecycleFiles ? ' (WAL recycling)' : ''}, ${acks} acknowledged batches, ${lost} lost, ${torn} torn, ${reuses} WAL files made from recycled ones`);
    if (extra.walRecycleFiles) expect(reuses).toBeGreaterThan(cuts / 2);
    expect(lost).toBe(0);
    expect(torn).toBe(0);
    expect(acks).toBeGreaterThan(cuts);
  }
}
