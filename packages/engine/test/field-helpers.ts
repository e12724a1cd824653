/**
 * Shared helpers of the field-*.test.ts suites: seeded RNG, temp directories, disk usage in
 * allocated blocks (like du), and the backends to run each suite on (native mapping and the JS
 * heap-copy fallback selected with the `backend` option).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nativeInfo } from '@mnemo/native';
import { seededRandom as rng } from '../src/index.js';
export { rng };

const made: string[] = [];

export function tempDir(prefix = 'mnemo-field-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Bytes of disk allocated under `dir` (st_blocks × 512, like du), and the file count. */
export function diskUsage(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const st = fs.statSync(path.join(e.parentPath, e.name));
    bytes += st.blocks * 512;
    if (e.isFile()) files++;
  }
  return { bytes, files };
}

/** Backends to run on: native only when the addon is active. */
export const BACKENDS: ('native' | 'js')[] = nativeInfo().backend === 'native' ? ['native', 'js'] : ['js'];
