/**
 * Field in child processes (built package, run `npx tsc -b` first): the whole API under
 * MNEMO_NATIVE=0 (heap-copy mappings) in a fresh process, and a SIGKILL crash test
 * (testing.md "crash"): a child acknowledges each set() on stdout and is killed at seeded random
 * points; every acknowledged element must be present after reopen, without any flush (a process
 * crash keeps what pwrite handed to the kernel). Half the runs use MNEMO_NATIVE=0.
 * Default 20 kills; MNEMO_LONG=1: 200.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Field } from '../src/field/index.js';
import { cleanupTempDirs, rng, tempDir } from './field-helpers.js';

afterAll(cleanupTempDirs);

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'field', 'index.js');
const KILLS = process.env.MNEMO_LONG === '1' ? 200 : 20;
const SHAPE = [1000, 50];

function runScript(code: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('MNEMO_NATIVE=0 in a child process', () => {
  it('runs the API on heap copies and keeps them current', () => {
    const dir = tempDir();
    const code = `
      import { Field } from ${JSON.stringify(DIST)};
      const f = Field.create(${JSON.stringify(dir)}, [64, 64], { dtype: 'f32', chunkBytes: 4096, maxMappedChunks: 1 });
      for (let i = 0; i < 64; i++) f.setRow([i], Array.from({ length: 64 }, (_, j) => i * 100 + j));
      const v = f.row(3);
      for (let i = 0; i < 64; i++) f.get(i, 0);
      f.set(3, 5, -7);
      const out = {
        native: f.nativeMapping, v5: v[5], retained: f.stats().mapped.retainedChunks,
        batch: Array.from(f.batchGet([[63, 1], [3, 5]])), slice: Array.from(f.slice([10, 2], [12, 4])),
      };
      f.close();
      const g = Field.open(${JSON.stringify(dir)});
      out.reopened = g.get(3, 5);
      g.close();
      out.detached = v.length;
      console.log(JSON.stringify(out));`;
    const r = runScript(code, { MNEMO_NATIVE: '0' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      native: false,
      v5: -7,
      retained: 1,
      batch: [6301, -7],
      slice: [1002, 1003, 1102, 1103],
      reopened: -7,
      detached: 0,
    });
  });
});

function child(dir: string, start: number, native: boolean): ReturnType<typeof spawn> {
  const code = `
    import fs from 'node:fs';
    import { Field } from ${JSON.stringify(DIST)};
    const dir = ${JSON.stringify(dir)};
    const f = fs.existsSync(dir + '/FIELD') ? Field.open(dir) : Field.create(dir, ${JSON.stringify(SHAPE)}, { dtype: 'f32', chunkBytes: 8192 });
    for (let k = ${start}; k < ${SHAPE[0]! * SHAPE[1]!}; k++) {
      f.set(Math.floor(k / ${SHAPE[1]}), k % ${SHAPE[1]}, k + 1);
      if (k % 97 === 0) f.flush();
      process.stdout.write(k + '\\n');
    }`;
  return spawn(process.execPath, ['--input-type=module', '-e', code], {
    env: { ...process.env, MNEMO_NATIVE: native ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Start a child at `start`, kill it after `after` acks; resolves with the last acknowledged k. */
function killAfter(dir: string, start: number, after: number, native: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = child(dir, start, native);
    let buf = '';
    let last = start - 1;
    let stderr = '';
    c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    c.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) last = Number(l);
      if (last - start + 1 >= after) c.kill('SIGKILL');
    });
    c.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited without being killed: ${stderr}`));
      else resolve(last);
    });
  });
}

describe('SIGKILL crash', () => {
  it(`keeps every acknowledged element across ${KILLS} kills`, async () => {
    const dir = tempDir();
    const r = rng(99);
    let next = 0;
    let kills = 0;
    while (kills < KILLS && next < 40_000) {
      // Writes per child: fewer in the long run so ${KILLS} kills fit in the 40 000 elements.
      const last = await killAfter(dir, next, 1 + Math.floor(r() * (KILLS > 20 ? 150 : 400)), kills % 2 === 0);
      kills++;
      const f = Field.open(dir, { readOnly: true });
      const got = f.slice([0, 0], SHAPE);
      f.close();
      const lost: number[] = [];
      for (let k = 0; k <= last; k++) if (got[k] !== k + 1) lost.push(k);
      expect(lost).toEqual([]);
      // writes after the last ack may or may not have landed, but nothing else is there
      for (let k = last + 1; k < got.length; k++) if (got[k] !== 0 && got[k] !== k + 1) lost.push(-k);
      expect(lost).toEqual([]);
      next = last + 1;
    }
    expect(kills).toBe(KILLS);
    // A kill between a chunk's create and its rename leaves a temp file in chunks/.staging; the
    // next writable open removes it, so no temporary file survives anywhere in the tree.
    Field.open(dir).close();
    const temps = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.tmp/.test(f));
    expect(temps).toEqual([]);
  });
});
