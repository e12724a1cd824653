/**
 * Oracle test (testing.md "oracle"): seeded random set / setRow / fill / flush / reopen on
 * small fields (rows inside chunks, rows spanning chunks, rank 3, every dtype; tiny LRU and
 * descriptor bounds: maxMappedChunks 2-4, maxOpenFiles 1-3) against a plain
 * array model; every get, row, rows, batchGet (nested and flat) and slice must agree. Both backends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Field, fromF16, toF16, type Dtype } from '../src/field/index.js';
import { BACKENDS, cleanupTempDirs, rng, tempDir } from './field-helpers.js';

afterAll(cleanupTempDirs);

const OPS = Number(process.env.MNEMO_LONG === '1' ? 20_000 : 1500);

function stored(dtype: Dtype, x: number): number {
  if (dtype === 'f32') return Math.fround(x);
  if (dtype === 'f16') return fromF16(toF16(x));
  const [lo, hi] = dtype === 'i8' ? [-128, 127] : [0, 255];
  const r = Math.sign(x) * Math.round(Math.abs(x));
  return Math.min(hi, Math.max(lo, r)) + 0;
}

const CASES: { name: string; shape: number[]; dtype: Dtype; chunkBytes: number }[] = [
  { name: 'rows inside chunks', shape: [37, 13], dtype: 'f32', chunkBytes: 600 },
  { name: 'rows spanning chunks', shape: [5, 300], dtype: 'f32', chunkBytes: 512 },
  { name: 'rank 3 u8', shape: [4, 5, 6], dtype: 'u8', chunkBytes: 16 },
  { name: 'f16', shape: [20, 9], dtype: 'f16', chunkBytes: 40 },
  { name: 'i8 rank 1', shape: [333], dtype: 'i8', chunkBytes: 50 },
];

interface Ctx {
  f: Field;
  model: Float64Array;
  shape: number[];
  strides: number[];
  r: () => number;
}

const pick = (r: () => number, n: number): number => Math.floor(r() * n);
const randIdx = (c: Ctx): number[] => c.shape.map((d) => pick(c.r, d));
const lin = (c: Ctx, idx: number[]): number => idx.reduce((s, i, k) => s + i * (c.strides[k] as number), 0);
const value = (r: () => number): number => Math.round((r() - 0.5) * 600) / 4;

function randBox(c: Ctx): [number[], number[]] {
  const a = c.shape.map((d) => pick(c.r, d));
  const b = a.map((x, k) => x + 1 + pick(c.r, (c.shape[k] as number) - x));
  return [a, b];
}

function boxLins(c: Ctx, a: number[], b: number[]): number[] {
  let out: number[][] = [[]];
  for (let k = 0; k < a.length; k++) {
    const next: number[][] = [];
    for (const p of out) for (let i = a[k] as number; i < (b[k] as number); i++) next.push([...p, i]);
    out = next;
  }
  return out.map((idx) => lin(c, idx));
}

function step(c: Ctx, dtype: Dtype): string | null {
  const op = c.r();
  const rowLen = c.shape[c.shape.length - 1] as number;
  if (op < 0.35) {
    const idx = randIdx(c);
    const v = value(c.r);
    c.f.set(...idx, v);
    c.model[lin(c, idx)] = stored(dtype, v);
  } else if (op < 0.42) {
    const idx = randIdx(c).slice(0, -1);
    const vals = Array.from({ length: rowLen }, () => value(c.r));
    c.f.setRow(idx, vals);
    vals.forEach((v, i) => (c.model[lin(c, [...idx, i])] = stored(dtype, v)));
  } else if (op < 0.47) {
    const [a, b] = randBox(c);
    const v = c.r() < 0.3 ? 0 : value(c.r);
    c.f.fill(v, a, b);
    for (const l of boxLins(c, a, b)) c.model[l] = stored(dtype, v);
  } else if (op < 0.62) {
    const idx = randIdx(c);
    if (c.f.get(...idx) !== c.model[lin(c, idx)]) return `get ${idx}`;
  } else if (op < 0.67) {
    const idx = randIdx(c).slice(0, -1);
    const row = c.f.row(...idx);
    for (let i = 0; i < rowLen; i++) if (row[i] !== c.model[lin(c, [...idx, i])]) return `row ${idx}`;
  } else if (op < 0.72) {
    const total = c.model.length / rowLen;
    const start = pick(c.r, total);
    const count = pick(c.r, Math.min(6, total - start) + 1);
    const got = c.f.rows(start, count);
    if (got.length !== count * rowLen) return 'rows length';
    for (let i = 0; i < got.length; i++) if (got[i] !== c.model[start * rowLen + i]) return `rows ${start}+${count} @${i}`;
  } else if (op < 0.84) {
    const reqs = Array.from({ length: 1 + pick(c.r, 40) }, () => randIdx(c));
    const flat = c.r() < 0.5;
    const got = c.f.batchGet(flat ? reqs.flat() : reqs);
    for (let i = 0; i < reqs.length; i++) if (got[i] !== c.model[lin(c, reqs[i] as number[])]) return `batchGet ${i}`;
  } else if (op < 0.96) {
    const [a, b] = randBox(c);
    const got = c.f.slice(a, b);
    const want = boxLins(c, a, b);
    if (got.length !== want.length) return 'slice length';
    for (let i = 0; i < want.length; i++) if (got[i] !== c.model[want[i] as number]) return `slice ${a}..${b} @${i}`;
  } else if (op < 0.98) {
    c.f.flush();
  } else return 'reopen';
  return null;
}

describe.each(BACKENDS)('oracle (%s)', (backend) => {
  it.each(CASES)('$name agrees with the model', ({ shape, dtype, chunkBytes }) => {
    const dir = tempDir();
    const strides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
    const c: Ctx = {
      f: Field.create(dir, shape, {
        dtype,
        chunkBytes,
        backend,
        maxMappedChunks: 3,
        maxOpenFiles: 2,
        hot: { maxBytes: 256, promoteAfter: 2 },
      }),
      model: new Float64Array(shape.reduce((a, b) => a * b, 1)),
      shape,
      strides,
      r: rng(shape.length * 1000 + chunkBytes),
    };
    for (let i = 0; i < OPS; i++) {
      const res = step(c, dtype);
      if (res === 'reopen') {
        c.f.close();
        c.f = Field.open(dir, {
          backend,
          maxMappedChunks: 2 + pick(c.r, 3),
          maxOpenFiles: 1 + pick(c.r, 3),
          hot: c.r() < 0.5 ? false : { maxBytes: 512 },
        });
      } else if (res !== null) {
        expect.fail(`op ${i}: ${res} disagrees with the model`);
      }
    }
    const all = c.f.slice(shape.map(() => 0), shape);
    expect(Array.from(all)).toEqual(Array.from(c.model));
    c.f.close();
  });
});
