#!/usr/bin/env node
// `npm test`: build every package (turbo: build → test), run each package's vitest suite,
// then print one closing line "N passed, N failed" summed over all packages' JSON reports.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, '.vitest-results');
rmSync(resultsDir, { recursive: true, force: true });

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
const turbo = spawnSync(
  'npx',
  ['turbo', 'run', 'test', '--concurrency=1', '--continue', '--output-logs=full', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env },
);

let passed = 0;
let failed = 0;
let skipped = 0;
let suites = 0;
if (existsSync(resultsDir)) {
  for (const f of readdirSync(resultsDir).filter((n) => n.endsWith('.json')).sort()) {
    const r = JSON.parse(readFileSync(path.join(resultsDir, f), 'utf8'));
    // A file that failed without a failing test (e.g. it could not load) counts as one failure.
    const brokenFiles = (r.testResults ?? []).filter(
      (t) => t.status === 'failed' && !(t.assertionResults ?? []).some((a) => a.status === 'failed'),
    ).length;
    passed += r.numPassedTests ?? 0;
    failed += (r.numFailedTests ?? 0) + brokenFiles;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    suites += 1;
    console.log(`${path.basename(f, '.json')}: ${r.numPassedTests} passed, ${(r.numFailedTests ?? 0) + brokenFiles} failed`);
  }
}
const status = turbo.status ?? 1;
if (status !== 0 && failed === 0) failed = 1; // a package failed to build or crashed before reporting
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status !== 0 || failed > 0 || suites === 0 ? 1 : 0);
