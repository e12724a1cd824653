/**
 * I/O faults under the store (testing.md "I/O faults", as SQLite's test VFS): the WAL runs on
 * FaultEnv, which fails the Nth write, sync, open or dirsync once or persistently. Once a write
 * fails, nothing may be acknowledged after it (the log is failed; writes keep rejecting with a
 * typed error), and after a reopen every acknowledged batch is present whole — 0 false acks,
 * 0 torn batches, 0 untyped errors. Default nth ∈ {1, 3, 8}; MNEMO_LONG=1 tries more.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isMnemoError } from '../src/index.js';
import type { WriteOp } from '../src/model.js';
import { FaultEnv, openStore, type FaultOp } from '../src/storage/index.js';
import { cleanupDirs, tempDir } from './helpers/store-fixtures.js';

afterAll(cleanupDirs);

function batch(k: number): WriteOp[] {
  return [0, 1].map((j) => ({
    op: 'remember' as const,
    record: { id: `f${k}-${j}`, space: 'default', content: `fault batch ${k}`, embedding: new Float32Array(256).fill(j), kind: 'episodic' as const, created: k, confidence: { lo: 1, hi: 1 }, decay: undefined as never, meta: { k } },
  }));
}

const OPS: FaultOp[] = ['write', 'sync', 'open', 'dirsync', 'unlink'];

describe('I/O faults: failed writes and syncs never produce false acks', () => {
  it('every op kind × nth × once/persistent: 0 false acks, 0 torn, typed errors only', async () => {
    let cases = 0;
    let failuresSeen = 0;
    for (const op of OPS) {
      for (const nth of process.env.MNEMO_LONG === "1" ? [1, 2, 3, 5, 8, 13, 21] : [1, 3, 8]) {
        for (const persistent of [false, true]) {
          cases++;
          const dir = tempDir('mnemo-fault-');
          const env = new FaultEnv({ seed: nth });
          const store = await openStore(dir, { env, memtableBytes: 6 * 1024, compaction: { auto: true, minRun: 2 } });
          env.inject({ op, nth: env.counts[op] + nth, persistent });
          const acked: number[] = [];
          let failed = false;
          for (let k = 0; k < 30; k++) {
            try {
              await store.write(batch(k));
              expect(failed, `${op}#${nth}: a write was acknowledged after the log failed`).toBe(false);
              acked.push(k);
            } catch (e) {
              expect(isMnemoError(e), String(e)).toBe(true);
              failed = true;
            }
            if (k % 6 === 5) await store.flush().catch((e: unknown) => expect(isMnemoError(e)).toBe(true));
          }
          if (failed) failuresSeen++;
          await store.close().catch((e: unknown) => expect(isMnemoError(e)).toBe(true));
          env.clearFaults();
          const check = await openStore(dir, { env });
          const seen = new Map<number, number>();
          const snap = check.snapshot();
          for (const m of snap.scan('default')) {
            const k = (m.meta as { k: number }).k;
            seen.set(k, (seen.get(k) ?? 0) + 1);
          }
          snap.release();
          await check.close();
          for (const k of acked) expect(seen.get(k), `${op}#${nth}${persistent ? '+' : ''}: acked batch ${k} lost`).toBe(2);
          for (const [k, n] of seen) expect(n, `${op}#${nth}: batch ${k} torn`).toBe(2);
        }
      }
    }
    console.log(`I/O faults: ${cases} fault cases (${failuresSeen} hit a write), 0 false acks, 0 torn batches`);
    expect(failuresSeen).toBeGreaterThan(cases / 3);
  });
});
