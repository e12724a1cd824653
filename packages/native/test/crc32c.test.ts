/**
 * CRC32C: RFC 3720 §B.4 vectors and "123456789" on every implementation (native SSE4.2, native
 * slicing-by-8, pure TS), seed chaining, parity on random data at unaligned subarray offsets.
 */
import { describe, expect, it } from 'vitest';
import { backend, crc32c, isMnemoError, nativeInfo } from '../src/index.js';
import { randomBytes, rng } from './helpers.js';

const impls = {
  'native-hw': backend('native'),
  'native-sw': backend('native', { crc32c: 'software' }),
  js: backend('js'),
};

function seq(n: number, f: (i: number) => number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => f(i));
}

const VECTORS: [string, Uint8Array, number][] = [
  ['32 × 0x00', new Uint8Array(32), 0x8a9136aa],
  ['32 × 0xFF', new Uint8Array(32).fill(0xff), 0x62a8ab43],
  ['0..31', seq(32, (i) => i), 0x46dd794e],
  ['31..0', seq(32, (i) => 31 - i), 0x113fdb5c],
  ['"123456789"', new TextEncoder().encode('123456789'), 0xe3069283],
  ['empty', new Uint8Array(0), 0],
];

describe('crc32c', () => {
  it('uses the hardware path on this machine when the CPU has SSE4.2', () => {
    expect(impls['native-hw'].crc32cImpl).toMatch(/^(sse4\.2|software)$/);
    expect(impls['native-sw'].crc32cImpl).toBe('software');
    expect(impls.js.crc32cImpl).toBe('js');
    expect(['sse4.2', 'software', 'js']).toContain(nativeInfo().crc32c);
  });

  for (const [name, impl] of Object.entries(impls)) {
    describe(name, () => {
      for (const [label, data, want] of VECTORS) {
        it(`known vector ${label}`, () => expect(impl.crc32c(data)).toBe(want));
      }
      it('chains: crc32c(b, crc32c(a)) === crc32c(a‖b) at every split', () => {
        const next = rng(7);
        const all = randomBytes(next, 300);
        const whole = impl.crc32c(all);
        for (let cut = 0; cut <= all.length; cut += 13) {
          expect(impl.crc32c(all.subarray(cut), impl.crc32c(all.subarray(0, cut)))).toBe(whole);
        }
      });
      it('returns an unsigned 32-bit number', () => {
        const v = impl.crc32c(new Uint8Array(32)); // 0x8A9136AA has the top bit set
        expect(v).toBeGreaterThan(0x7fffffff);
        expect(Number.isInteger(v)).toBe(true);
      });
    });
  }

  it('all implementations agree on random data at unaligned subarray offsets', () => {
    const next = rng(42);
    const big = randomBytes(next, 70_000);
    for (let t = 0; t < 200; t++) {
      const start = Math.floor(next() * 1000);
      const len = t < 100 ? t : Math.floor(next() * 69_000);
      const view = big.subarray(start, start + len);
      const seed = Math.floor(next() * 0x100000000);
      const want = impls.js.crc32c(view, seed);
      expect(impls['native-hw'].crc32c(view, seed)).toBe(want);
      expect(impls['native-sw'].crc32c(view, seed)).toBe(want);
    }
  });

  it('agrees across the hardware path\'s 3-way block boundaries (768 B and 24 KiB) and on 1 MiB', () => {
    const next = rng(77);
    const big = randomBytes(next, (1 << 20) + 16);
    const lens = [767, 768, 769, 1536, 2303, 24_575, 24_576, 24_577, 24_576 + 768, 49_152 + 5, 1 << 20];
    for (const len of lens) {
      for (const off of [0, 1, 5]) {
        const view = big.subarray(off, off + len);
        const want = impls.js.crc32c(view, 99);
        expect(impls['native-hw'].crc32c(view, 99)).toBe(want);
        expect(impls['native-sw'].crc32c(view, 99)).toBe(want);
      }
    }
  });

  it('honours a Buffer subarray byteOffset (checksums the viewed bytes only)', () => {
    const buf = Buffer.from('xxxxx123456789yyy');
    const view = buf.subarray(5, 14);
    for (const impl of Object.values(impls)) expect(impl.crc32c(view)).toBe(0xe3069283);
    expect(crc32c(view)).toBe(0xe3069283);
  });

  it('rejects non-bytes and bad seeds with INVALID_ARGUMENT', () => {
    for (const impl of Object.values(impls)) {
      const bad: unknown[] = [
        () => impl.crc32c('abc' as unknown as Uint8Array),
        () => impl.crc32c(new Uint16Array(4) as unknown as Uint8Array),
        () => impl.crc32c(Object.create(Uint8Array.prototype) as Uint8Array), // instanceof, but no typed array
        () => impl.crc32c(new Uint8Array(1), -1),
        () => impl.crc32c(new Uint8Array(1), 2 ** 32),
        () => impl.crc32c(new Uint8Array(1), 1.5),
      ];
      for (const f of bad) {
        let err: unknown;
        try {
          (f as () => void)();
        } catch (e) {
          err = e;
        }
        expect(isMnemoError(err, 'INVALID_ARGUMENT')).toBe(true);
      }
    }
  });
});
