/**
 * checkStringColumn (strings.ts, src/cpp/strings.cc): the id-column structure check of segment
 * open. Cases by hand for each fault, then the C++ kernel against the TypeScript twin on seeded
 * random columns (sorted or not, ASCII and multi-byte, with one damage each).
 */
import { describe, expect, it } from 'vitest';
import { checkStringColumn, stringColumnChecker, type StringCheckOptions } from '../src/index.js';
import { rng } from './helpers.js';

const enc = new TextEncoder();

function column(strings: string[]): { off: Uint32Array; bytes: Uint8Array } {
  const parts = strings.map((s) => enc.encode(s));
  const off = new Uint32Array(parts.length + 1);
  for (let i = 0; i < parts.length; i++) off[i + 1] = (off[i] as number) + (parts[i] as Uint8Array).length;
  const bytes = new Uint8Array(off[parts.length] as number);
  parts.forEach((p, i) => bytes.set(p, off[i] as number));
  return { off, bytes };
}

const SORTED: StringCheckOptions = { text: true, sorted: true };
const native = stringColumnChecker('native');
const js = stringColumnChecker('js');
const impls = [['js', js], ['native', native]] as const;

describe.each(impls)('checkStringColumn (%s)', (_name, check) => {
  it('accepts well-formed columns: empty, one entry, ascending ids with prefixes and multi-byte text', () => {
    if (check === null) throw new Error('the native addon is not built');
    expect(check(new Uint32Array([0]), new Uint8Array(0), SORTED)).toBeNull();
    const c = column(['', 'a', 'ab', 'abc', 'b', 'zz', 'é', 'éa', '日本']);
    expect(check(c.off, c.bytes, SORTED)).toBeNull();
  });

  it('reports the first entry out of order, equal neighbours included', () => {
    if (check === null) throw new Error('the native addon is not built');
    const down = column(['a', 'c', 'b', 'd']);
    expect(check(down.off, down.bytes, SORTED)).toEqual({ index: 2, fault: 'order' });
    const same = column(['a', 'b', 'b']);
    expect(check(same.off, same.bytes, SORTED)).toEqual({ index: 2, fault: 'order' });
    const prefix = column(['ab', 'a']);
    expect(check(prefix.off, prefix.bytes, SORTED)).toEqual({ index: 1, fault: 'order' });
    expect(check(down.off, down.bytes, { text: true, sorted: false })).toBeNull();
  });

  it('reports offsets that decrease or leave the bytes, and strings starting inside a character', () => {
    if (check === null) throw new Error('the native addon is not built');
    const c = column(['a', 'b', 'c']);
    expect(check(new Uint32Array([0, 2, 1, 3]), c.bytes, SORTED)).toEqual({ index: 1, fault: 'offset' });
    expect(check(new Uint32Array([0, 1, 9, 3]), c.bytes, SORTED)).toEqual({ index: 1, fault: 'offset' });
    expect(check(new Uint32Array([5, 5]), new Uint8Array(2), SORTED)).toEqual({ index: 0, fault: 'offset' });
    const e = column(['é', 'f']); // é is 2 bytes: starting string 1 one byte early splits it
    expect(check(new Uint32Array([0, 1, 3]), e.bytes, SORTED)).toEqual({ index: 1, fault: 'mid-character' });
    expect(check(new Uint32Array([0, 1, 3]), e.bytes, { text: false, sorted: false })).toBeNull();
  });

  it('rejects offsets that are not a non-empty Uint32Array', () => {
    if (check === null) throw new Error('the native addon is not built');
    expect(() => check(new Uint32Array(0), new Uint8Array(0), SORTED)).toThrow(/non-empty Uint32Array/);
  });
});

describe('native and TypeScript agree', () => {
  it('on 400 seeded random columns with one random damage each', () => {
    if (native === null || js === null) throw new Error('the native addon is not built');
    const next = rng(7);
    const alphabet = ['a', 'b', 'c', 'z', 'é', '日', '0'];
    let faults = 0;
    for (let t = 0; t < 400; t++) {
      const n = Math.floor(next() * 60);
      const set = new Set<string>();
      while (set.size < n) {
        let s = '';
        const len = Math.floor(next() * 6);
        for (let k = 0; k < len; k++) s += alphabet[Math.floor(next() * alphabet.length)];
        set.add(s);
      }
      const strings = [...set].sort((x, y) => Buffer.compare(enc.encode(x), enc.encode(y)));
      if (next() < 0.3 && strings.length > 1) strings.reverse();
      const c = column(strings);
      const damage = Math.floor(next() * 3);
      if (c.off.length > 2 && damage === 1) {
        const i = 1 + Math.floor(next() * (c.off.length - 2));
        c.off[i] = Math.floor(next() * (c.bytes.length + 3));
      } else if (c.bytes.length > 0 && damage === 2) {
        c.bytes[Math.floor(next() * c.bytes.length)] = Math.floor(next() * 256);
      }
      for (const o of [SORTED, { text: true, sorted: false }, { text: false, sorted: true }]) {
        const a = native(c.off, c.bytes, o);
        expect(a).toEqual(js(c.off, c.bytes, o));
        if (a !== null) faults++;
      }
    }
    expect(faults).toBeGreaterThan(100);
  });

  it('the active implementation is the native one unless MNEMO_NATIVE=0', () => {
    const down = column(['b', 'a']);
    expect(checkStringColumn(down.off, down.bytes, SORTED)).toEqual({ index: 1, fault: 'order' });
  });
});
