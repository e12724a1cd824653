/**
 * Remote tier (docs/field_format.md "Remote tier"): a field served by serveFieldOverHttp on
 * 127.0.0.1 (port 0) and read through HttpChunkSource into a local cache directory — FIELD
 * fetched, chunks downloaded once (concurrent requests shared), chunks the remote lacks read as
 * zeros, sync reads of non-local chunks refused, promotion remote → local file → hot, per-tier
 * counters with an injected clock, a corrupt remote chunk rejected without a local file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMnemoError } from '@mnemo/native';
import { Field, HttpChunkSource, serveFieldOverHttp, type FieldServer } from '../src/field/index.js';
import { chunkKey } from '../src/field/layout.js';
import { BACKENDS, cleanupTempDirs, tempDir } from './field-helpers.js';

let server: FieldServer;
let src: string;
const sources: HttpChunkSource[] = [];

/** 64 rows of 64 f32 = 256 B; 16 rows per 4 KiB chunk → 4 chunks; chunk 1 never written. */
beforeAll(async () => {
  src = tempDir();
  const f = Field.create(src, [64, 64], { dtype: 'f32', chunkBytes: 4096 });
  for (const i of [0, 5, 15, 32, 40, 63]) f.setRow([i], Array.from({ length: 64 }, (_, j) => i + j / 100));
  f.close();
  server = await serveFieldOverHttp(src, 0);
});

afterAll(async () => {
  for (const s of sources) s.close();
  await server.close();
  cleanupTempDirs();
});

function source(): HttpChunkSource {
  const s = new HttpChunkSource(server.url);
  sources.push(s);
  return s;
}

function ticking(): () => number {
  let t = 0;
  return () => (t += 1);
}

describe('HttpChunkSource and serveFieldOverHttp', () => {
  it('answers ranges, truncates at end of file and hides everything but field files', async () => {
    const s = source();
    const whole = fs.readFileSync(path.join(src, chunkKey(2)));
    expect(Buffer.from(await s.readRange(chunkKey(2), 4096, 100))).toEqual(whole.subarray(4096, 4196));
    expect((await s.readRange(chunkKey(2), whole.length - 10, 100)).length).toBe(10);
    expect((await s.readRange(chunkKey(2), whole.length + 5, 100)).length).toBe(0);
    expect((await s.readRange(chunkKey(1), 0, 100)).length).toBe(0);
    expect((await s.readRange('../../etc/passwd', 0, 100)).length).toBe(0);
    expect((await s.readRange('FIELD.tmp', 0, 100)).length).toBe(0);
    expect((await s.readRange('%E0%A4%A', 0, 100)).length).toBe(0); // malformed escape: 404, server survives
    expect((await s.readRange('FIELD', 0, 8)).length).toBe(8);
    expect(port()).toBeGreaterThan(0);
  });
});

function port(): number {
  return server.port;
}

describe.each(BACKENDS)('remote tier (%s)', (backend) => {
  it('downloads chunks on async reads, then serves them locally and from the hot tier', async () => {
    const cache = tempDir();
    const f = await Field.openRemote(cache, {
      remote: source(),
      backend,
      clock: ticking(),
      prefetch: false,
      hot: { maxBytes: 4096, promoteAfter: 2 },
    });
    expect(f.shape).toEqual([64, 64]);
    expect(f.readOnly).toBe(true);
    let err: unknown;
    try {
      f.get(5, 1);
    } catch (e) {
      err = e;
    }
    expect(isMnemoError(err, 'NOT_SUPPORTED')).toBe(true);
    expect(await f.getAsync(5, 1)).toBeCloseTo(5.01, 5);
    expect(f.get(5, 2)).toBeCloseTo(5.02, 5); // now local: sync works
    expect(fs.existsSync(path.join(cache, chunkKey(0)))).toBe(true);
    expect(await f.getAsync(20, 3)).toBe(0); // chunk 1: remote lacks it
    expect(f.get(20, 3)).toBe(0);
    const row = await f.rowAsync(40);
    expect(row[10]).toBeCloseTo(40.1, 5);
    const got = await f.batchGetAsync([[63, 1], [15, 2], [33, 0], [0, 63]]);
    expect(Array.from(got).map((x) => Math.round(x * 100) / 100)).toEqual([63.01, 15.02, 0, 0.63]);
    await f.getAsync(5, 3);
    await f.getAsync(5, 4);
    const s = f.stats();
    expect(s.remote).toEqual({ fetches: 3, absent: 1, bytes: 3 * (4096 + 4096), latencyMs: 4, errors: 0 });
    expect(s.hot?.promotions).toBeGreaterThanOrEqual(1);
    expect(s.hot?.hits).toBeGreaterThanOrEqual(1);
    expect(() => f.set(0, 0, 1)).toThrow(expect.objectContaining({ code: 'READ_ONLY' }));
    f.close();

    // the cache directory now opens without the network for its local chunks
    const again = await Field.openRemote(cache, { remote: source(), backend });
    expect(again.get(63, 1)).toBeCloseTo(63.01, 5);
    again.close();
  });

  it('downloads predicted chunks in the background during a sequential scan', async () => {
    const f = await Field.openRemote(tempDir(), { remote: source(), backend });
    for (let i = 0; i < 6; i++) await f.rowAsync(i);
    const remote = (): { fetches: number; absent: number } => f.stats().remote ?? { fetches: 0, absent: 0 };
    for (let spin = 0; spin < 500 && remote().fetches + remote().absent < 4; spin++) {
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(remote()).toMatchObject({ fetches: 3, absent: 1 });
    expect(f.get(63, 2)).toBeCloseTo(63.02, 5); // chunk 3 arrived without an async read
    f.close();
  });

  it('shares one download between concurrent requests for a chunk', async () => {
    const f = await Field.openRemote(tempDir(), { remote: source(), backend });
    const vals = await Promise.all(Array.from({ length: 10 }, (_, i) => f.getAsync(32, i)));
    expect(vals.map((x) => Math.round(x * 100))).toEqual(Array.from({ length: 10 }, (_, i) => 3200 + i));
    expect(f.stats().remote?.fetches).toBe(1);
    f.close();
  });

  it('rejects a corrupt remote chunk with CORRUPTION and keeps no local copy', async () => {
    const bad = tempDir();
    for (const name of ['FIELD', chunkKey(0)]) {
      fs.mkdirSync(path.dirname(path.join(bad, name)), { recursive: true });
      fs.copyFileSync(path.join(src, name), path.join(bad, name));
    }
    const file = path.join(bad, chunkKey(0));
    const bytes = fs.readFileSync(file);
    bytes[30] = (bytes[30] as number) ^ 1;
    fs.writeFileSync(file, bytes);
    const srv = await serveFieldOverHttp(bad, 0);
    try {
      const s = new HttpChunkSource(srv.url);
      sources.push(s);
      const cache = tempDir();
      const f = await Field.openRemote(cache, { remote: s, backend });
      await expect(f.getAsync(0, 0)).rejects.toMatchObject({ code: 'CORRUPTION' });
      expect(fs.existsSync(path.join(cache, chunkKey(0)))).toBe(false);
      f.close();
    } finally {
      await srv.close();
    }
  });

  it('an empty request (rows(i, 0), an empty slice) needs no chunk, local or remote', async () => {
    const f = await Field.openRemote(tempDir(), { remote: source(), backend });
    for (const start of [0, 33, 64]) expect(f.rows(start, 0).length).toBe(0);
    expect(f.slice([40, 0], [40, 64]).length).toBe(0);
    expect(f.stats().remote?.fetches).toBe(0);
    f.close();
  });

  it('close() stops background downloads: nothing is written to the cache directory afterwards', async () => {
    const cache = tempDir();
    const f = await Field.openRemote(cache, { remote: source(), backend });
    for (let i = 0; i < 6; i++) await f.rowAsync(i); // a sequential run: chunks ahead are being fetched
    f.close();
    fs.rmSync(cache, { recursive: true, force: true });
    const pending = f.stats().remote;
    await new Promise((r) => setTimeout(r, 200));
    expect(fs.existsSync(cache)).toBe(false);
    expect(f.stats().remote?.fetches).toBe(pending?.fetches);
    await expect(f.getAsync(40, 0)).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
