/**
 * Test helpers for @mnemo/native: a seeded RNG (mulberry32), random f32 vectors, temp
 * directories cleaned up after each suite, and a runner for small node child scripts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PKG_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The built entry point, for child processes (run `npx tsc -b` first). */
export const DIST_INDEX = path.join(PKG_DIR, 'dist', 'index.js');

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n floats uniform in [-1, 1). */
export function randomF32(next: () => number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = next() * 2 - 1;
  return out;
}

export function randomBytes(next: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
  return out;
}

export function tempDir(prefix = 'mnemo-native-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run an ES module snippet in a fresh node; `$native` is replaced by the import of the built package. */
export function runChild(code: string, env: Record<string, string> = {}, args: string[] = []) {
  const src = code.replaceAll('$native', JSON.stringify(DIST_INDEX));
  const r = spawnSync(process.execPath, [...args, '--input-type=module', '-e', src], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
