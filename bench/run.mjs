#!/usr/bin/env node
/**
 * Benchmark harness: `node bench/run.mjs [name...]` runs bench/<name>.bench.mjs (all of them by
 * default), each in its own node process with --expose-gc so memory is isolated. Each module
 * exports `run({ quick })` returning a markdown section; the harness writes bench/results/<name>.md
 * and regenerates BENCHMARKS.md (machine, versions, every section in name order).
 * MNEMO_BENCH_QUICK=1 (or --quick) runs small sizes; --index-only only rebuilds BENCHMARKS.md from
 * bench/results (after an analysis was added by hand). A failed bench does not stop the others,
 * but makes the harness exit non-zero. See docs/native_api.md "Benchmarks" and testing.md.
 */
import { fork } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const RESULTS = path.join(BENCH_DIR, 'results');
const SUFFIX = '.bench.mjs';
/** Third-party packages whose versions matter for the comparisons. */
const VERSIONED = ['better-sqlite3', 'hnswlib-node', 'msgpackr', 'node-addon-api', 'typescript'];

// ---- child mode: run one bench module and send its markdown back ----
if (process.argv[2] === '--child') {
  const file = process.argv[3];
  const quick = process.argv[4] === 'quick';
  try {
    const mod = await import(pathToFileURL(file).href);
    if (typeof mod.run !== 'function') throw new Error(`${file} does not export run({ quick })`);
    const markdown = await mod.run({ quick });
    if (typeof markdown !== 'string' || markdown.trim() === '') throw new Error(`${file}: run() returned no markdown`);
    process.send({ ok: true, markdown });
  } catch (e) {
    process.send({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
  process.disconnect();
} else {
  await main();
}

function discover(names) {
  const all = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
  if (names.length === 0) return { run: all, unknown: [] };
  const clean = names.map((n) => n.replace(/\.bench\.mjs$/, ''));
  return { run: clean.filter((n) => all.includes(n)), unknown: clean.filter((n) => !all.includes(n)) };
}

function runOne(name, quick) {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', path.join(BENCH_DIR, name + SUFFIX), quick ? 'quick' : 'full'], {
      execArgv: ['--expose-gc', '--max-old-space-size=8192'],
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    let result = null;
    child.on('message', (m) => (result = m));
    child.on('exit', (code, signal) => {
      if (result === null) result = { ok: false, error: `process exited (code ${code}, signal ${signal}) without a result` };
      resolve(result);
    });
  });
}

async function main() {
  const args = process.argv.slice(2);
  const quick = process.env.MNEMO_BENCH_QUICK === '1' || args.includes('--quick');
  if (args.includes('--index-only')) {
    // results files edited by hand (an analysis added below a measured section): only rebuild the index
    writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), benchmarksMd());
    console.log('wrote BENCHMARKS.md from bench/results (no bench run)');
    return;
  }
  const { run, unknown } = discover(args.filter((a) => !a.startsWith('--')));
  let failed = unknown.length;
  for (const u of unknown) console.error(`bench: no bench/${u}${SUFFIX}`);
  mkdirSync(RESULTS, { recursive: true });
  for (const name of run) {
    console.log(`\n=== bench ${name} (${quick ? 'quick' : 'full'}) ===`);
    const t0 = performance.now();
    const res = await runOne(name, quick);
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    if (!res.ok) {
      failed++;
      console.error(`bench ${name} FAILED after ${secs} s:\n${res.error}`);
      continue;
    }
    const stamp = `\n_Measured ${new Date().toISOString()} (${quick ? 'quick sizes, MNEMO_BENCH_QUICK=1' : 'full sizes'}), ${secs} s._\n`;
    writeFileSync(path.join(RESULTS, `${name}.md`), res.markdown.trimEnd() + '\n' + stamp);
    console.log(res.markdown);
  }
  writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), benchmarksMd());
  console.log(`\nwrote BENCHMARKS.md (${run.length - Math.min(failed, run.length)} of ${run.length} benches ok)`);
  if (failed > 0) process.exitCode = 1;
}

function version(pkg) {
  const p = path.join(ROOT, 'node_modules', pkg, 'package.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')).version : 'not installed';
}

function machine() {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  const lines = [
    `- CPU: ${cpus[0]?.model ?? 'unknown'} (${cpus.length} logical cores, ${os.arch()})`,
    `- RAM: ${gib} GiB`,
    `- OS: ${os.type()} ${os.release()}`,
    `- Node: ${process.version}`,
    `- Packages: ${VERSIONED.map((p) => `${p} ${version(p)}`).join(', ')}`,
  ];
  return lines.join('\n');
}

function benchmarksMd() {
  const sections = readdirSync(RESULTS)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => readFileSync(path.join(RESULTS, f), 'utf8').trimEnd());
  return [
    '# Mnemo benchmarks',
    '',
    `Generated ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (bench/run.mjs); every figure below was`,
    'measured by the bench file named in its section, each bench in its own node process. Numbers from',
    'one machine are comparable only side by side within a section (ratios), not across machines.',
    '',
    '## Machine',
    '',
    machine(),
    '',
    '## Results',
    '',
    sections.join('\n\n'),
    '',
  ].join('\n');
}
