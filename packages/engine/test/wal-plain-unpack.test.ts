/**
 * The direct MessagePack decoder of plain metadata (storage/wal/plain-unpack.ts) against the
 * general path (bounds walk, msgpackr, maps to objects): on every input it accepts it must give
 * exactly the general path's value; it must accept the plain values the writer emits; and it must
 * hand everything else (other types, corrupt or forged bytes) to the general path, never throw.
 * Values are compared with node's deepStrictEqual: keys such as `constructor` and `__proto__` are
 * own data properties here, which vitest's type check of objects reads as the objects' types.
 */
import { deepStrictEqual } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { MnemoError } from '@mnemo/native';
import { seededRandom } from '../src/storage/env/index.js';
import { NOT_PLAIN, unpackPlain } from '../src/storage/wal/plain-unpack.js';
import { packr, unpackChecked, unpackGeneral } from '../src/storage/wal/wal-msgpack.js';

const bad = (why: string): MnemoError => new MnemoError('CORRUPTION', why);
const pack = (v: unknown): Uint8Array => new Uint8Array(packr.pack(v));

/** The general path's outcome: the value, or the error's message. */
function general(bytes: Uint8Array): { value?: unknown; error?: string } {
  try {
    return { value: unpackGeneral(bytes, 'm', bad) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const INTS = [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 32 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31)];
const KEYS = ['n', 'id', 'tags', 'source', 'a_longer_key_name', '__proto__', 'constructor', '1', '0', '', 'k'.repeat(8), 'k'.repeat(9), 'x'.repeat(40)];

/** A seeded JSON-like value (objects, arrays, ASCII strings, integers of every width, doubles). */
function plainValue(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth < 4 && r < 0.15) {
    const o: Record<string, unknown> = {};
    const n = Math.floor(rnd() * 6);
    for (let i = 0; i < n; i++) {
      const key = KEYS[Math.floor(rnd() * KEYS.length)] as string;
      const v = plainValue(rnd, depth + 1);
      if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
      else o[key] = v;
    }
    return o;
  }
  if (depth < 4 && r < 0.27) return Array.from({ length: Math.floor(rnd() * 5) }, () => plainValue(rnd, depth + 1));
  if (r < 0.45) return INTS[Math.floor(rnd() * INTS.length)];
  if (r < 0.6) return (rnd() - 0.5) * 10 ** Math.floor(rnd() * 12);
  if (r < 0.65) return [0.5, 2 ** 53, -(2 ** 40), Number.NaN, Number.POSITIVE_INFINITY, 1e300, 5e-324][Math.floor(rnd() * 7)];
  if (r < 0.7) return rnd() < 0.5;
  if (r < 0.75) return null;
  const len = [0, 1, 5, 24, 25, 31, 32, 255, 256, 300][Math.floor(rnd() * 10)] as number;
  return Array.from({ length: len }, (_, i) => String.fromCharCode(32 + ((i * 7 + Math.floor(rnd() * 90)) % 95))).join('');
}

describe('plain MessagePack decoder', () => {
  it('accepts the plain values the writer packs and decodes each exactly as the general path', () => {
    const rnd = seededRandom(11);
    let accepted = 0;
    const N = 3000;
    for (let i = 0; i < N; i++) {
      const v = { n: i, value: plainValue(rnd, 0) };
      const bytes = pack(v);
      const got = unpackPlain(bytes);
      expect(got).not.toBe(NOT_PLAIN);
      accepted++;
      deepStrictEqual(got, general(bytes).value);
      deepStrictEqual(got, v);
    }
    expect(accepted).toBe(N);
    // str16 / str32 lengths
    for (const len of [65535, 65536, 200_000]) {
      const bytes = pack({ s: 'q'.repeat(len) });
      deepStrictEqual(unpackPlain(bytes), { s: 'q'.repeat(len) });
    }
  });

  it('keeps `__proto__` an own data property and repeated keys last-wins, as the general path does', () => {
    const proto = pack(JSON.parse('{"__proto__": {"x": 1}, "a": 2}'));
    const got = unpackPlain(proto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.keys(got)).toEqual(['__proto__', 'a']);
    deepStrictEqual(got, general(proto).value);
    // fixmap of 2 with the key 'k' twice: 1 then 2
    const dup = Uint8Array.of(0x82, 0xa1, 0x6b, 0x01, 0xa1, 0x6b, 0x02);
    deepStrictEqual(unpackPlain(dup), { k: 2 });
    deepStrictEqual(unpackPlain(dup), general(dup).value);
    // -0 (the writer packs it as the integer 0) and a float64 -0 decode alike both ways
    const zero = Uint8Array.of(0xcb, 0x80, 0, 0, 0, 0, 0, 0, 0);
    expect(Object.is(unpackPlain(zero), -0)).toBe(true);
    deepStrictEqual(unpackPlain(pack(-0)), general(pack(-0)).value);
    expect(Object.is(general(zero).value, -0)).toBe(true);
  });

  it('hands other types to the general path, which unpackChecked then uses', () => {
    const others: unknown[] = [
      { s: 'café' }, ['日本'], Buffer.from([1, 2, 3]), new Float32Array([1, 2]), new Date(0), 10n ** 20n,
      new Set([1]), /re/g, new Map([[1, 'a']]), { nested: { deep: new Uint8Array([9]) } },
    ];
    for (const v of others) {
      const bytes = pack(v);
      expect(unpackPlain(bytes)).toBe(NOT_PLAIN);
      deepStrictEqual(unpackChecked(bytes, 'm', bad), general(bytes).value);
    }
    // float32 (the writer emits float64, but a float32 is valid MessagePack)
    const f32 = Uint8Array.of(0xca, 0x3f, 0xc0, 0x00, 0x00);
    expect(unpackPlain(f32)).toBe(NOT_PLAIN);
  });

  it('refuses deep nesting and forged counts without allocating, and never throws on corrupt bytes', () => {
    const deep = new Uint8Array(100).fill(0x91);
    deep[99] = 0x01;
    expect(unpackPlain(deep)).toBe(NOT_PLAIN);
    // array32 / map32 / str32 claiming 2^31 entries in a few bytes
    for (const head of [0xdd, 0xdf, 0xdb]) expect(unpackPlain(Uint8Array.of(head, 0x80, 0, 0, 0, 1))).toBe(NOT_PLAIN);
    expect(unpackPlain(new Uint8Array(0))).toBe(NOT_PLAIN);
    expect(unpackPlain(Uint8Array.of(0x01, 0x02))).toBe(NOT_PLAIN); // trailing byte
    expect(unpackPlain(Uint8Array.of(0xc1))).toBe(NOT_PLAIN); // never used

    const rnd = seededRandom(12);
    let acceptedMutants = 0;
    for (let i = 0; i < 20000; i++) {
      const bytes = pack({ n: i, v: plainValue(rnd, 1) });
      const m = bytes.slice(0, Math.max(0, bytes.length - (rnd() < 0.2 ? Math.floor(rnd() * 4) : 0)));
      for (let k = Math.floor(rnd() * 3); k >= 0; k--) if (m.length > 0) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
      let got: unknown;
      expect(() => (got = unpackPlain(m))).not.toThrow();
      if (got === NOT_PLAIN) continue;
      acceptedMutants++;
      // what the direct decoder accepts, the general path decodes to the same value
      const g = general(m);
      expect(g.error).toBeUndefined();
      deepStrictEqual(got, g.value);
    }
    // the mutations that stay valid plain MessagePack are compared, not skipped
    expect(acceptedMutants).toBeGreaterThan(1000);
  });
});
