/**
 * The WAL batch payload codec through a real log (docs/wal_format.md "Payload"): values the ops may
 * carry come back exactly after recovery (keys named __proto__, typed arrays, Sets, Dates, BigInts),
 * and a forged checksum-valid payload is CORRUPTION before msgpackr can allocate from its headers.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WriteOp } from '../src/model.js';
import { FaultEnv } from '../src/storage/env/index.js';
import { Wal, type WalOptions } from '../src/storage/wal/index.js';
import { frameBatch } from '../src/storage/wal/wal-format.js';
import { batchFor, concat, recordsOf, rememberOp, saltOf, WAL_DIR } from './wal-helpers.js';

const F1 = path.join(WAL_DIR, '000001.log');

async function open(env: FaultEnv, extra: Partial<WalOptions> = {}) {
  return Wal.open(WAL_DIR, { env, durability: 'full', fromLsn: 0, preallocateBytes: 0, ...extra });
}

async function replay(env: FaultEnv) {
  const r = await open(env, { readOnly: true });
  await r.wal.close();
  return r;
}

/** A log in file 000001 holding batches 1..n made by `make`. */
async function logWith(n: number, make: (i: number) => WriteOp[] = batchFor): Promise<FaultEnv> {
  const env = new FaultEnv({ seed: n });
  const { wal } = await open(env);
  for (let i = 1; i <= n; i++) await wal.append(make(i));
  await wal.close();
  return env;
}

describe('WAL payload values', () => {
  it('object keys named __proto__ (valid JSON, e.g. user metadata) come back as data, not renamed or lost', async () => {
    const meta = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2, "list": [1, {"__proto__": [3]}], "n": null}') as Record<string, unknown>;
    const op = rememberOp('p', 4, 1);
    (op as { record: { meta: unknown } }).record.meta = meta;
    const env = await logWith(1, () => [op]);
    const got = (((await replay(env)).batches[0]!.ops[0] as { record: { meta: Record<string, unknown> } }).record.meta);
    expect(JSON.stringify(got)).toBe(JSON.stringify(meta));
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.keys(got)).toEqual(['__proto__', 'constructor', 'list', 'n']);
  });

  it('typed arrays, Sets, Dates and BigInts anywhere in an op come back exactly (a Float32Array in meta was written as truncated bytes)', async () => {
    const meta = {
      f32: new Float32Array([1.5, 2.5, -3]), u16: new Uint16Array([300, 2]), u8: new Uint8Array([1, 2]), set: new Set(['a']),
      when: new Date(5), big: 10n,
    };
    const op = rememberOp('t', 4, 1);
    (op as { record: { meta: unknown } }).record.meta = meta;
    const env = await logWith(2, (i) => (i === 1 ? [op] : batchFor(i)));
    const got = (((await replay(env)).batches[0]!.ops[0] as { record: { meta: Record<string, unknown> } }).record.meta);
    expect(got).toEqual(meta);
    expect(got.f32).toBeInstanceOf(Float32Array);
    expect(got.set).toBeInstanceOf(Set);
    const rec = recordsOf(env.contents(F1))[0]!;
    const bytes = env.contents(F1).subarray(rec.offset + 24, rec.end);
    expect(Buffer.from(bytes).includes(Buffer.from([0xc4, 16]))).toBe(true); // the 4-d embedding is still a 16-byte bin
  });

});

describe('WAL payload: forged', () => {
  it('a checksum-valid payload declaring huge arrays is CORRUPTION before anything is allocated (60 × 16M elements OOM-killed the process)', async () => {
    const env = await logWith(1);
    const full = env.contents(F1);
    const n = 1_000_000; // 16_000_000 crashed the process outright; 1M still cost ~0.5 GB and seconds before the fix
    const parts = [0x92, 0x01, 0xdc, 0x00, 60];
    for (let i = 0; i < 60; i++) parts.push(0xdd, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255, 0x01);
    const payload = Uint8Array.from(parts);
    const rec = new Uint8Array(24 + payload.length);
    frameBatch(rec, 0, payload, 2, saltOf(full), 1 << 16);
    env.setContents(F1, concat(full, rec));
    const t0 = performance.now();
    await expect(replay(env)).rejects.toMatchObject({ code: 'CORRUPTION', message: expect.stringContaining('declares'), details: { offset: full.length } });
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
