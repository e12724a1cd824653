/**
 * Both backends of @mnemo/native (testing.md "native parity"): re-runs the segment round-trip,
 * lifetime and corruption suites in a child process with the other backend — MNEMO_NATIVE=0 (JS
 * fallback: heap-copy "mappings", JS CRC32C) when this process is native, and vice versa.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeInfo } from '@mnemo/native';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

describe('segment suites on the other native backend', () => {
  const here = nativeInfo().backend;
  const other = here === 'native' ? 'js' : 'native';

  it(`round-trip, lifetime and corruption suites pass with backend '${other}' (this process: '${here}')`, () => {
    const out = mkdtempSync(join(tmpdir(), 'mnemo-seg-child-'));
    try {
      const env = { ...process.env };
      if (other === 'js') env.MNEMO_NATIVE = '0';
      else delete env.MNEMO_NATIVE;
      const res = spawnSync(process.execPath, [
        vitestBin, 'run', 'test/segment-roundtrip.test.ts', 'test/segment-lifetime.test.ts', 'test/segment-corruption.test.ts',
        '--reporter=dot', `--outputFile.json=${join(out, 'r.json')}`,
      ], { cwd: pkgDir, env, encoding: 'utf8', timeout: 110_000 });
      // eslint-disable-next-line no-control-regex
      const text = `${res.stdout}\n${res.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
      expect(res.status, text.slice(-4000)).toBe(0);
      expect(text).not.toMatch(/failed/);
      expect(Number(/Tests\s+(\d+) passed/.exec(text)?.[1] ?? 0)).toBeGreaterThan(50);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
