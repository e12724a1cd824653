/**
 * The examples under examples/ run: every .mql script through the `mnemo` CLI (with --bail, so
 * any failing statement fails the test) on a fresh database, and the host-API example with node.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'packages', 'repl', 'bin', 'mnemo.js');
const work = mkdtempSync(path.join(tmpdir(), 'mnemo-examples-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const scripts = readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.mql')).sort();

describe('examples', () => {
  it('has example scripts', () => expect(scripts.length).toBeGreaterThanOrEqual(4));

  for (const script of scripts) {
    it(`${script} runs without error`, () => {
      const dir = path.join(work, script.replace(/\W/g, '_'));
      const r = spawnSync(process.execPath, [bin, dir, '--bail', '--json', '-f', path.join(root, 'examples', script)], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 120_000,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(docs.length).toBeGreaterThan(3);
      for (const d of docs) expect(Object.keys(d)).toEqual(['columns', 'rows', 'stats']);
    });
  }

  it('host-api.mjs runs and shows that parameters are never executed', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'examples', 'host-api.mjs'), path.join(work, 'host')], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('allergy');
    expect(r.stdout).toContain("x'; FORGET WHERE id != '' --");
  });
});
