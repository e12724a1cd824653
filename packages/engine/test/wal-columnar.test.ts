/**
 * Format tests of the columnar v2 WAL payload (docs/wal_format.md "v2: columnar remember batch"),
 * one per edge case in the LevelDB style: exact round trips (through a real log), the v1 fallback,
 * and forged checksum-valid payloads (truncated column, count overflow, bad lengths, bad dims) that
 * must be CORRUPTION before anything sized by the header is allocated; torn tails stay tails.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MemoryRecord, WriteOp } from '../src/model.js';
import { FaultEnv } from '../src/storage/env/index.js';
import { Wal } from '../src/storage/wal/index.js';
import { COLUMNAR_TAG, ROW_FIXED } from '../src/storage/wal/wal-columnar.js';
import { frameBatch } from '../src/storage/wal/wal-format.js';
import { decodeBatch, encodeBatch } from '../src/storage/wal/wal-payload.js';
import { batchFor, concat, lsns, recordsOf, saltOf, WAL_DIR } from './wal-helpers.js';

const F1 = path.join(WAL_DIR, '000001.log');
const WHERE = { file: '000001.log', offset: 32 };

/** A record with every MemoryRecord field (what the store's validation produces). */
function row(i: number, dim = 4, extra: Partial<MemoryRecord> = {}): MemoryRecord {
  const embedding = new Float32Array(dim);
  for (let k = 0; k < dim; k++) embedding[k] = Math.sin(i * 7 + k) * 1e3;
  const times = Array.from({ length: (i % 3) + 1 }, (_, k) => 1_700_000_000_000 + i + k);
  return {
    id: `m${i}`, space: 's', content: `row ${i}`, embedding, kind: i % 2 === 0 ? 'episodic' : 'semantic', created: 1_600_000_000_000 + i,
    recorded: 1_700_000_000_123, confidence: { lo: 0.25, hi: 0.75 },
    decay: { count: times.length + 2, first: times[0]!, last: times[times.length - 1]!, recentTimes: times, recentDecays: times.map((_, k) => 0.5 - k / 100), olderDecay: 0.125 },
    meta: i % 2 === 0 ? null : { n: i },
    ...extra,
  };
}

const remember = (r: MemoryRecord): WriteOp => ({ op: 'remember', record: r });
const batch = (n: number, dim = 4): WriteOp[] => Array.from({ length: n }, (_, i) => remember(row(i, dim)));

/** Plain comparable form (embeddings as arrays). */
function plain(ops: readonly WriteOp[]): unknown {
  return JSON.parse(JSON.stringify(ops, (_k, v: unknown) => (v instanceof Float32Array ? { f32: Array.from(v) } : v)));
}

function decode(p: Uint8Array): WriteOp[] {
  return decodeBatch(p, WHERE);
}

function expectCorrupt(p: Uint8Array, message: string | RegExp): void {
  let err: unknown;
  try {
    decode(p);
  } catch (e) {
    err = e;
  }
  expect(err).toMatchObject({ code: 'CORRUPTION', details: WHERE });
  expect((err as Error).message).toMatch(message);
}

/** A copy of `p` with a u32 field changed. */
function withU32(p: Uint8Array, at: number, value: number): Uint8Array {
  const out = p.slice();
  new DataView(out.buffer).setUint32(at, value >>> 0, true);
  return out;
}

async function replay(env: FaultEnv) {
  const r = await Wal.open(WAL_DIR, { env, durability: 'full', fromLsn: 0, readOnly: true });
  await r.wal.close();
  return r;
}

async function logOf(batches: WriteOp[][]): Promise<FaultEnv> {
  const env = new FaultEnv({ seed: batches.length });
  const { wal } = await Wal.open(WAL_DIR, { env, durability: 'full', fromLsn: 0, preallocateBytes: 0 });
  for (const b of batches) await wal.append(b);
  await wal.close();
  return env;
}

describe('WAL columnar payload: round trips', () => {
  it('a batch of remembers is written columnar and replays exactly through a real log (unicode content, ids and spaces)', async () => {
    const ops = batch(40, 8);
    const uni = ['', 'é', '漢字かな', '😀 astral 𝄞', 'mixed ascii and ü', 'x'.repeat(300)];
    ops.forEach((op, i) => {
      const r = (op as { record: MemoryRecord }).record;
      r.content = uni[i % uni.length]!;
      if (i % 5 === 0) r.id = `id-ü-${i}-😀`;
      if (i % 7 === 0) r.space = 'espace-é';
    });
    expect(encodeBatch(ops)[0]).toBe(COLUMNAR_TAG);
    const env = await logOf([batchFor(1), ops, batch(3)]);
    const r = await replay(env);
    expect(lsns(r.batches)).toEqual([1, 2, 3]);
    expect(plain(r.batches[1]!.ops)).toEqual(plain(ops));
    expect(plain(r.batches[2]!.ops)).toEqual(plain(batch(3)));
    const emb = (r.batches[1]!.ops[3] as { record: MemoryRecord }).record.embedding;
    expect(emb).toBeInstanceOf(Float32Array);
    expect(emb.length).toBe(8);
  });

  it('all-ASCII strings and non-ASCII strings get the same offsets as separately encoded strings', () => {
    for (const content of ['plain', 'ünïcödé', '😀']) {
      const ops = [remember(row(0, 2, { content })), remember(row(1, 2, { content: 'tail' }))];
      expect(plain(decode(encodeBatch(ops)))).toEqual(plain(ops));
    }
  });

  it('meta: null is an empty slice; {} , [], 0, false and "" are present values and come back as such', () => {
    const metas: unknown[] = [null, {}, [], 0, false, '', { deep: { a: [1, 'b'] } }];
    const ops = metas.map((meta, i) => remember(row(i, 3, { meta })));
    const p = encodeBatch(ops);
    expect(p[0]).toBe(COLUMNAR_TAG);
    const got = decode(p).map((op) => (op as { record: MemoryRecord }).record.meta);
    expect(got).toEqual(metas);
  });

  it('a meta key named __proto__ comes back as data, as with v1', () => {
    const meta = JSON.parse('{"__proto__": {"x": 1}, "k": 2}') as Record<string, unknown>;
    const got = (decode(encodeBatch([remember(row(1, 2, { meta }))]))[0] as { record: MemoryRecord }).record.meta as object;
    expect(Object.keys(got)).toEqual(['__proto__', 'k']);
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
  });

  it('special float values (-0, subnormals, ±1e308) survive bit for bit', () => {
    const r = row(0, 4, { created: -0, recorded: Number.MIN_VALUE, confidence: { lo: 0, hi: 1 } });
    r.embedding.set([-0, 1e-45, 3.4e38, -3.4e38]);
    r.decay = { count: 0xffffffff, first: -1e308, last: 1e308, recentTimes: [], recentDecays: [], olderDecay: -0 };
    const got = (decode(encodeBatch([remember(r)]))[0] as { record: MemoryRecord }).record;
    expect(Object.is(got.created, -0)).toBe(true);
    expect(Object.is(got.decay.olderDecay, -0)).toBe(true);
    expect(got.recorded).toBe(Number.MIN_VALUE);
    expect(got.decay).toEqual(r.decay);
    expect(Array.from(got.embedding)).toEqual(Array.from(r.embedding));
  });
});

describe('WAL columnar payload: batches it does not carry exactly are written as v1', () => {
  const cases: Array<[string, () => WriteOp[]]> = [
    ['a non-remember op in the batch', () => [...batch(2), { op: 'forget', space: 's', id: 'm0' }]],
    ['embeddings of different dimensions (dim mismatch inside the batch)', () => [remember(row(0, 4)), remember(row(1, 5))]],
    ['a record without `recorded`', () => [remember({ ...row(0), recorded: undefined as unknown as number })]],
    ['a record with an extra field', () => [remember({ ...row(0), extra: 1 } as MemoryRecord)]],
    ['an op with an extra key', () => [{ ...remember(row(0)), note: 1 } as unknown as WriteOp]],
    ['a fractional decay count', () => [remember(row(0, 2, { decay: { ...row(0).decay, count: 1.5 } }))]],
    ['meta undefined', () => [remember(row(0, 2, { meta: undefined }))]],
  ];
  for (const [name, make] of cases) {
    it(name, () => {
      const ops = make();
      const p = encodeBatch(ops);
      expect(p[0]).toBe(0x92);
      expect(plain(decode(p))).toEqual(plain(ops));
    });
  }
});

it('a lone surrogate in a string: written as v1, whose UTF-8 is as lossy as before (the columnar form never changes what replays)', () => {
  const p = encodeBatch([remember(row(0, 2, { content: 'bad \ud800 half' }))]);
  expect(p[0]).toBe(0x92);
  expect(decode(p)).toHaveLength(1);
});

describe('WAL columnar payload: forged checksum-valid payloads are CORRUPTION', () => {
  const good = encodeBatch(batch(5, 4));

  it('truncated column: the payload one byte short (and one column short) of what the counts declare', () => {
    expectCorrupt(good.subarray(0, good.length - 1), /declares \d+ bytes but the payload holds/);
    expectCorrupt(good.subarray(0, good.length - 5 * 4 * 4), /declares/);
    expectCorrupt(concat(good, new Uint8Array(1)), /declares/);
  });

  it('truncated header', () => {
    expectCorrupt(good.subarray(0, 23), /header truncated/);
    expectCorrupt(Uint8Array.of(COLUMNAR_TAG), /header truncated/);
  });

  it('count overflow: 2^32−1 rows, 2^32−1 presentation times or string bytes are rejected from the header alone, fast', () => {
    const t0 = performance.now();
    expectCorrupt(withU32(good, 4, 0xffffffff), /declares/);
    expectCorrupt(withU32(good, 12, 0xffffffff), /presentation times/);
    expectCorrupt(withU32(good, 16, 0xffffffff), /declares/);
    expectCorrupt(withU32(good, 20, 0xffffffff), /declares/);
    expectCorrupt(withU32(good, 4, 0), /0 rows/);
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('dim mismatch: a dimension of 0, above 4096, or not the one the column sizes imply', () => {
    expectCorrupt(withU32(good, 8, 0), /dimension 0/);
    expectCorrupt(withU32(good, 8, 4097), /dimension 4097/);
    expectCorrupt(withU32(good, 8, 5), /declares/);
    expectCorrupt(withU32(good, 8, 3), /declares/);
  });

  it('bad lengths: a string offset past the blob, going backwards, or ending short of the blob', () => {
    const n = 5;
    const v = new DataView(good.buffer, good.byteOffset);
    const R = v.getUint32(12, true);
    const S = v.getUint32(16, true);
    const at = 24 + 56 * n + 16 * R + 4 * n;
    expectCorrupt(withU32(good, at + 4, S + 1), /out of order or past/);
    expectCorrupt(withU32(good, at + 4, 0), /out of order/);
    expectCorrupt(withU32(good, at + 4 * (3 * n - 1), S - 1), /end at/);
  });

  it('bad lengths: a meta offset past the meta blob or not ending at it', () => {
    const n = 5;
    const v = new DataView(good.buffer, good.byteOffset);
    const R = v.getUint32(12, true);
    const M = v.getUint32(20, true);
    expect(M).toBeGreaterThan(0);
    const at = 24 + 56 * n + 16 * R + 4 * n + 12 * n;
    expectCorrupt(withU32(good, at, M + 1), /meta offset 0/);
    expectCorrupt(withU32(good, at + 4 * (n - 1), M - 1), /meta offset 4/);
  });

  it('unknown kind, presentation counts not summing to the header, bad version, reserved bytes', () => {
    const n = 5;
    const R = new DataView(good.buffer, good.byteOffset).getUint32(12, true);
    const kinds = 24 + 56 * n + 16 * R + 4 * n + 12 * n + 4 * n + 4 * n * 4;
    const p = good.slice();
    p[kinds] = 2;
    expectCorrupt(p, /unknown kind 2/);
    const q = good.slice();
    q[kinds + n] = (q[kinds + n] ?? 0) + 1;
    expectCorrupt(q, /presentation times but the header declares/);
    const r = good.slice();
    r[1] = 3;
    expectCorrupt(r, /unsupported columnar batch version 3/);
    const s = good.slice();
    s[2] = 1;
    expectCorrupt(s, /reserved/);
  });

  it('strings that are not UTF-8, or an offset inside a multi-byte character', () => {
    const ops = [remember(row(0, 2, { content: 'ü' })), remember(row(1, 2, { content: 'é', meta: null }))];
    const p = encodeBatch(ops);
    const S = new DataView(p.buffer).getUint32(16, true);
    const bad = p.slice();
    bad[p.length - 1] = 0xff;
    expectCorrupt(bad, /not valid UTF-8/);
    // Blob 'm0' 's' 'ü' 'm1' 's' 'é': row 0's content 'ü' (bytes 3..5) ends at 5; move that end into the character.
    const at = 24 + 56 * 2 + 16 * 3 + 4 * 2;
    expect(new DataView(p.buffer).getUint32(at + 8, true)).toBe(5);
    expectCorrupt(withU32(p, at + 8, 4), /splits a UTF-8 character/);
    expect(S).toBe(10);
  });

  it('a meta slice declaring a huge array is CORRUPTION before msgpackr allocates it', () => {
    const n = 1_000_000;
    const huge = Uint8Array.of(0xdd, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255, 0x01);
    const base = encodeBatch([remember(row(1, 2, { meta: 'xxxxxx' }))]);
    const M = new DataView(base.buffer).getUint32(20, true);
    expect(M).toBe(7);
    const metaAt = base.length - new DataView(base.buffer).getUint32(16, true) - M;
    const p = base.slice();
    p.set(huge, metaAt);
    p[metaAt + 6] = 0xc0;
    expectCorrupt(p, /meta of columnar batch row 0 is not valid MessagePack/);
  });

  it('through a real log: a forged columnar record is CORRUPTION with file and offset, in default mode too', async () => {
    const env = await logOf([batch(2)]);
    const full = env.contents(F1);
    const forged = withU32(encodeBatch(batch(2)), 8, 0);
    const rec = new Uint8Array(24 + forged.length);
    frameBatch(rec, 0, forged, 2, saltOf(full), 1 << 16);
    env.setContents(F1, concat(full, rec));
    await expect(replay(env)).rejects.toMatchObject({ code: 'CORRUPTION', details: { file: '000001.log', offset: full.length } });
  });
});

describe('WAL columnar payload: torn writes', () => {
  it('a columnar batch torn at any fragment boundary or inside one is a tail; earlier batches intact', async () => {
    const env = new FaultEnv({ seed: 3 });
    const { wal } = await Wal.open(WAL_DIR, { env, durability: 'full', fromLsn: 0, fragmentBytes: 256, preallocateBytes: 0 });
    await wal.append(batch(2));
    await wal.append(batch(20, 16));
    await wal.close();
    const full = env.contents(F1);
    const start = recordsOf(full).find((r) => r.lsn === 2)!.offset;
    expect(full.length - start).toBeGreaterThan(20 * (ROW_FIXED + 64));
    for (let cut = start + 1; cut < full.length; cut += 97) {
      env.setContents(F1, full.subarray(0, cut));
      const r = await replay(env);
      expect(lsns(r.batches)).toEqual([1]);
      expect(r.report.end).toMatchObject({ kind: 'tail', recordsDropped: 0, bytesDropped: cut - start });
    }
    env.setContents(F1, full);
    expect(plain((await replay(env)).batches[1]!.ops)).toEqual(plain(batch(20, 16)));
  });
});
