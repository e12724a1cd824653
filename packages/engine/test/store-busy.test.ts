/**
 * One writer per database (docs/storage.md, "Locking and read-only opens"): a second writer —
 * another process or the same one — gets BUSY; a read-only open works alongside the writer,
 * sees what was committed, refuses writes with READ_ONLY and creates or deletes no file.
 * Also: backup produces a directory that opens with identical contents.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fromSystemError } from '@mnemo/native';
import { isMnemoError } from '../src/index.js';
import { nodeEnv, openStore, type Env } from '../src/storage/index.js';
import { associate, cleanupDirs, remember, tempDir } from './helpers/store-fixtures.js';

afterAll(cleanupDirs);
const HOLD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'hold-child.mjs');

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (isMnemoError(e)) return e.code;
    throw e;
  }
  return undefined;
}

function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (!n.endsWith('-shm') && !n.endsWith('-wal')) out.push(`${path.relative(dir, p)}:${statSync(p).size}`);
    }
  };
  walk(dir);
  return out.sort();
}

describe('locking', () => {
  it('a second writer process gets BUSY; read-only opens work alongside', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [HOLD, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (c) => reject(new Error(`holder exited ${c}`)));
    });
    try {
      expect(await codeOf(openStore(dir))).toBe('BUSY');
      const before = listing(dir);
      const ro = await openStore(dir, { readOnly: true });
      expect(ro.get('default', 'held')?.content).toBe('written by the lock holder');
      expect(await codeOf(ro.write([remember('default', 'x', 'x', new Float32Array(256))]))).toBe('READ_ONLY');
      expect(await codeOf(ro.flush())).toBe('READ_ONLY');
      await ro.close();
      expect(listing(dir)).toEqual(before);
    } finally {
      child.stdin.end();
      await new Promise((r) => child.on('exit', r));
    }
    const w = await openStore(dir);
    expect(w.get('default', 'held')).toBeDefined();
    expect(await codeOf(openStore(dir))).toBe('BUSY');
    await w.close();
  });

  it('read-only opens stay consistent while the writer flushes and compacts', async () => {
    const dir = tempDir();
    const w = await openStore(dir, { memtableBytes: 8 * 1024, compaction: { auto: true, minRun: 2 } });
    await w.createSpace({ name: 'r', dim: 8 });
    let acked = 0;
    let stop = false;
    const writer = (async () => {
      for (let k = 0; !stop; k++) {
        await w.write([remember('r', `a${k}`, `x${k}`.repeat(40), new Float32Array(8).fill(k)), remember('r', `b${k}`, 'y', new Float32Array(8))]);
        acked = k + 1;
        if (k % 7 === 0) await w.compact('r');
      }
    })();
    let opens = 0;
    // keep opening until the writer has flushed and compacted under us a few times
    while ((opens < 15 || w.stats().flushes < 3 || w.stats().compactions < 1) && opens < 2000) {
      const floor = acked;
      const ro = await openStore(dir, { readOnly: true });
      const snap = ro.snapshot();
      const ids = new Set([...snap.scan('r')].map((m) => m.id));
      snap.release();
      await ro.close();
      // every batch acknowledged before the open began is there, whole
      for (let k = 0; k < floor; k++) expect(ids.has(`a${k}`) && ids.has(`b${k}`), `batch ${k} of ${floor}`).toBe(true);
      for (const id of ids) expect(ids.has(`a${id.slice(1)}`) && ids.has(`b${id.slice(1)}`)).toBe(true);
      opens++;
    }
    stop = true;
    await writer;
    expect(w.stats().flushes).toBeGreaterThanOrEqual(3);
    expect(w.stats().compactions).toBeGreaterThanOrEqual(1);
    await w.close();
  });

  it('a read-only open retries when a log file vanishes under it (the writer removed it), and gives up after 5 tries', async () => {
    const dir = tempDir();
    const w = await openStore(dir, { compaction: { auto: false } });
    await w.createSpace({ name: 'v', dim: 2 });
    await w.write([remember('v', 'a', 'x', [1, 0]), remember('v', 'b', 'y', [0, 1])]);
    await w.close();
    // an Env whose first `failures` reads of a log file fail as if the writer had just removed it
    const vanishing = (failures: number): { env: Env; reads: () => number } => {
      let reads = 0;
      const env = Object.create(nodeEnv) as Env & { readFile(p: string): Promise<Uint8Array> };
      env.readFile = async (p: string): Promise<Uint8Array> => {
        if (p.endsWith('.log') && reads++ < failures) {
          throw fromSystemError(Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT', syscall: 'open', path: p }), `read of ${p} failed`);
        }
        return nodeEnv.readFile(p);
      };
      return { env, reads: () => reads };
    };
    const once = vanishing(1);
    const ro = await openStore(dir, { readOnly: true, env: once.env });
    const snap = ro.snapshot();
    expect([...snap.scan('v')].map((m) => m.id)).toEqual(['a', 'b']);
    snap.release();
    await ro.close();
    expect(once.reads()).toBeGreaterThan(1);
    const always = vanishing(Infinity);
    const err = await openStore(dir, { readOnly: true, env: always.env }).then(() => null, (e: unknown) => e);
    expect(isMnemoError(err, 'IO_ERROR') && err.details.errno).toBe('ENOENT');
    expect(always.reads()).toBe(5);
    // a writer's open does not retry: the same failure is its error at once
    const wOnce = vanishing(1);
    const werr = await openStore(dir, { env: wOnce.env }).then(async (s) => { await s.close(); return null; }, (e: unknown) => e);
    expect(isMnemoError(werr, 'IO_ERROR')).toBe(true);
    expect(wOnce.reads()).toBe(1);
  });

  it('a read-only open of a missing directory fails and creates nothing', async () => {
    const dir = path.join(tempDir(), 'absent');
    expect(await codeOf(openStore(dir, { readOnly: true }))).toBe('IO_ERROR');
    expect(readdirSync(path.dirname(dir))).toEqual([]);
  });
});

describe('backup', () => {
  it('copies a consistent database that opens with identical contents', async () => {
    const dir = tempDir();
    const s = await openStore(dir, { compaction: { auto: false } });
    await s.createSpace({ name: 'b', dim: 2 });
    await s.write([remember('b', 'a', 'alpha', [1, 0], { meta: { tags: ['x'] } }), remember('b', 'c', 'gamma', [0, 1]), associate('b', 'a', 'c')]);
    await s.flush();
    await s.write([{ op: 'present', space: 'b', id: 'a', at: 1_700_000_000_000 }, remember('b', 'd', 'delta', [1, 1])]);
    const dest = path.join(tempDir(), 'copy');
    await s.backup(dest);
    expect(await codeOf(s.backup(dest))).toBe('INVALID_ARGUMENT');
    const snap = s.snapshot();
    const original = [...snap.scan('b')];
    const edges = [...snap.associations('b')];
    snap.release();
    await s.write([remember('b', 'after', 'not in the backup', [0, 0])]);
    await s.close();
    const copy = await openStore(dest);
    const csnap = copy.snapshot();
    expect([...csnap.scan('b')]).toEqual(original);
    expect([...csnap.associations('b')]).toEqual(edges);
    expect(csnap.get('b', 'after')).toBeUndefined();
    expect(copy.getSpace('b').dim).toBe(2);
    csnap.release();
    await copy.close();
  });
});
