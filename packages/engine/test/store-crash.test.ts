/**
 * SIGKILL crash test (testing.md "crash"): a child process (helpers/crash-child.mjs, the built
 * package) writes batches with `full` durability and prints each acknowledged batch; the parent
 * kills it at seeded random points — after a number of acks, right after a flush or compaction
 * started, or at a random time — reopens the store and checks that every acknowledged batch is
 * present in full (memories and edges) and that no batch is visible in part.
 * A second run does the same with WAL file recycling on (child and reopen: walRecycleFiles 2).
 * Default: 100 kills (+ 40 recycling); MNEMO_CRASH_LONG=1: 1000 (+ 400); MNEMO_CRASH_KILLS=n overrides.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/index.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'crash-child.mjs');
const KILLS = Number(process.env.MNEMO_CRASH_KILLS ?? (process.env.MNEMO_CRASH_LONG === '1' ? 1000 : 100));
const RUNS_PER_DIR = 10;
const MEMBERS = 4;
const dirs: string[] = [];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface RunResult {
  acked: number[];
  phase: string;
  stderr: string;
  signal: NodeJS.Signals | null;
}

/** Run the child until the kill policy fires; resolves after the child exited. */
function runChild(dir: string, start: number, seed: number, r: () => number, recycle: number): Promise<RunResult> {
  const policy = r();
  const ackTarget = 1 + Math.floor(r() * 40);
  const delayMs = Math.floor(r() * 15);
  return new Promise((resolve) => {
    const env = { ...process.env, MNEMO_CRASH_RECYCLE: String(recycle) };
    const child = spawn(process.execPath, [CHILD, dir, String(start), String(seed)], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const acked: number[] = [];
    let phase = 'start';
    let stderr = '';
    let buf = '';
    let killing = false;
    const kill = (why: string): void => {
      if (killing) return;
      killing = true;
      phase = why;
      child.kill('SIGKILL');
    };
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('ack ') && !killing) acked.push(Number(line.slice(4)));
        if (line === 'ready' && policy >= 0.7) setTimeout(() => kill('timer'), Math.floor(r() * 300));
        if (policy < 0.4 && acked.length >= ackTarget) kill('acks');
        if (policy >= 0.4 && policy < 0.7 && (line === 'flush' || line === 'compact')) {
          if (delayMs === 0) kill(line);
          else setTimeout(() => kill(line), delayMs);
        }
      }
    });
    const guard = setTimeout(() => kill('guard'), 5000);
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      resolve({ acked, phase, stderr, signal });
    });
  });
}

describe('crash: SIGKILL during writes, flushes and compactions', () => {
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it(`${KILLS} kills: 0 acknowledged batches lost, 0 torn batches`, { timeout: 900_000 }, async () => {
    await killRuns(KILLS, 0, 20261121);
  });

  it(`${Math.round(KILLS * 0.4)} kills with WAL recycling: 0 acknowledged batches lost, 0 torn batches`, { timeout: 900_000 }, async () => {
    await killRuns(Math.round(KILLS * 0.4), 2, 20261122);
  });
});

/** `kills` child runs, RUNS_PER_DIR per directory, each checked by a reopen (walRecycleFiles `recycle` in both). */
async function killRuns(kills: number, recycle: number, seed: number): Promise<void> {
  {
    const r = rng(seed);
    let dir = '';
    let next = 0;
    const acked = new Set<number>();
    let lost = 0;
    let torn = 0;
    let ackTotal = 0;
    const phases: Record<string, number> = {};
    for (let i = 0; i < kills; i++) {
      if (i % RUNS_PER_DIR === 0) {
        dir = mkdtempSync(path.join(os.tmpdir(), 'mnemo-crash-'));
        dirs.push(dir);
        next = 0;
        acked.clear();
      }
      const res = await runChild(dir, next, 1000 + i, r, recycle);
      expect(res.signal, `child exited by itself: ${res.stderr}`).toBe('SIGKILL');
      phases[res.phase] = (phases[res.phase] ?? 0) + 1;
      for (const k of res.acked) acked.add(k);
      ackTotal += res.acked.length;
      const store = await openStore(dir, { walRecycleFiles: recycle });
      try {
        const groups = new Map<number, number>();
        const hasSpace = store.listSpaces().some((s) => s.name === 'crash');
        if (hasSpace) {
          const snap = store.snapshot();
          for (const m of snap.scan('crash')) {
            const k = (m.meta as { batch: number }).batch;
            groups.set(k, (groups.get(k) ?? 0) + 1);
          }
          for (const [k, n] of groups) {
            const edges = snap.associationsFrom('crash', `b${k}-0`).length;
            if (n !== MEMBERS || edges !== MEMBERS - 1) torn++;
          }
          snap.release();
        }
        for (const k of acked) if (groups.get(k) !== MEMBERS) lost++;
        next = Math.max(next, ...acked, ...groups.keys()) + 1;
      } finally {
        await store.close();
      }
    }
    const recycled = recycle > 0 ? `, ${dirs.slice(-Math.ceil(kills / RUNS_PER_DIR)).filter((d) => readdirSync(path.join(d, 'wal')).some((n) => n.endsWith('.recycle'))).length} dirs holding recycled WAL files` : '';
    console.log(`crash: ${kills} kills (${JSON.stringify(phases)}), ${ackTotal} acked batches, ${lost} lost, ${torn} torn${recycled}`);
    expect(lost).toBe(0);
    expect(torn).toBe(0);
    expect(ackTotal).toBeGreaterThan(kills);
  }
}
