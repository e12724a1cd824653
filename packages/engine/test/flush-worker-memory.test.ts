/**
 * Memory lifetime of a flush on the segment worker (docs/storage.md, "Flush and compaction off the
 * main thread"): once a flush is committed, the flushed memtable's row blocks (shared memory the
 * worker read) are released — the worker does not keep them alive until its own garbage collector
 * happens to run. Runs the built package in a child process with --expose-gc, so the test can
 * collect the main thread's garbage and read the process's array-buffer bytes.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './segment-fixtures.js';

const DIST = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'index.js')).href;
const temps: Array<() => void> = [];
afterAll(() => temps.forEach((c) => c()));

/** Fills a memtable with ~20 MiB of row blocks, flushes it, and reports array-buffer bytes before and after. */
const CHILD = `
import { openStore } from ${JSON.stringify(DIST)};
const dir = process.argv[2];
const ab = () => process.memoryUsage().arrayBuffers;
const settle = async () => { for (let k = 0; k < 3; k++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); } };
const store = await openStore(dir, { durability: 'off', memtableBytes: 1 << 30, compaction: { auto: false } });
await store.createSpace({ name: 's', dim: 256 });
for (let b = 0; b < 20; b++) {
  const ops = [];
  for (let i = 0; i < 1000; i++) ops.push({ op: 'remember', record: { id: 'r' + b + '-' + i, space: 's', content: 'c' + i, embedding: new Float32Array(256).fill(i), meta: { b } } });
  await store.write(ops);
}
await settle();
const before = ab();
await store.flush();
let after = ab();
// The worker is retired after a second of idleness (segment-worker-client.ts): wait up to 3 s.
for (let k = 0; k < 50 && after > before / 2; k++) { await settle(); after = ab(); }
const mode = store.stats().segmentThread;
await store.close();
console.log(JSON.stringify({ mode, before, after }));
`;

describe('flush on the segment worker: memory lifetime', () => {
  it("the flushed memtable's row blocks are released after the flush (the worker keeps no reference)", () => {
    const t = tempDir();
    temps.push(t.cleanup);
    // A script file, not --eval: the worker thread inherits the process's execArgv.
    const script = join(t.dir, 'child.mjs');
    writeFileSync(script, CHILD);
    const res = spawnSync(process.execPath, ['--expose-gc', script, join(t.dir, 'db')], { encoding: 'utf8', timeout: 60_000 });
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout.trim().split('\n').pop() as string) as { mode: string; before: number; after: number };
    expect(out.mode).toBe('thread');
    // 20,000 rows × 256 floats: ~20 MiB of blocks before the flush.
    expect(out.before).toBeGreaterThan(20_000 * 256 * 4);
    expect(out.after, `array-buffer bytes after the flush: ${out.after} of ${out.before}`).toBeLessThan(out.before / 2);
  });
});
