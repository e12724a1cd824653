/**
 * NameIndex (graph/name-index.ts), the association graph's id → node table, against a `Map` on
 * seeded random ids: ASCII, non-ASCII, surrogate pairs, lone surrogates, the empty string, long
 * ids, ids that differ in one code unit; small tables (long probe runs through full slots) and
 * large ones; several hash seeds; absent ids; the node-count limit checked before allocating.
 */
import { describe, expect, it } from 'vitest';
import { NameIndex } from '../src/graph/name-index.js';
import { seededRandom as rng } from '../src/index.js';

const ALPHABET = ['a', 'b', 'z', '0', '9', '-', 'é', 'ß', '日', '\u{1F600}', '\ud800', '\u0000'];

function randomId(r: () => number): string {
  const len = r() < 0.05 ? 40 + Math.floor(r() * 200) : Math.floor(r() * 12);
  let s = '';
  for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)] as string;
  return s;
}

/** `n` distinct random ids and `n` more that are not among them. */
function ids(seed: number, n: number): { present: string[]; absent: string[] } {
  const r = rng(seed);
  const set = new Set<string>();
  while (set.size < n) set.add(randomId(r));
  const absent: string[] = [];
  while (absent.length < n) {
    const s = randomId(r);
    if (!set.has(s)) absent.push(s);
  }
  return { present: [...set], absent };
}

describe('NameIndex', () => {
  it('finds every id at its position and no absent id, like a Map', () => {
    for (const [seed, n] of [[1, 1], [2, 3], [3, 5], [4, 100], [5, 20_000]] as const) {
      const { present, absent } = ids(seed, n);
      for (const hashSeed of [undefined, 0, 0xffffffff, 12345]) {
        const index = new NameIndex(present, hashSeed);
        const map = new Map(present.map((s, i) => [s, i]));
        for (const s of present) expect(index.get(s)).toBe(map.get(s));
        for (const s of absent) expect(index.get(s)).toBe(-1);
      }
    }
  });

  it('compares by content: an equal string built another way is found', () => {
    const names = ['m1', 'm10', 'm100', 'm1000'];
    const index = new NameIndex(names);
    for (let i = 0; i < names.length; i++) expect(index.get(['m', '1', '0'.repeat(i)].join(''))).toBe(i);
    expect(index.get('m1000'.slice(0, 4))).toBe(2);
    expect(index.get('m10000')).toBe(-1);
  });

  it('ids that differ in one code unit are told apart', () => {
    const names: string[] = [];
    for (let c = 0; c < 2000; c++) names.push(`node-${String.fromCharCode(c)}`);
    const index = new NameIndex(names, 7);
    names.forEach((s, i) => expect(index.get(s)).toBe(i));
    expect(index.get('node-')).toBe(-1);
    expect(index.get(`node-${String.fromCharCode(2000)}`)).toBe(-1);
  });

  it('an empty index has no ids', () => {
    const index = new NameIndex([]);
    for (const s of ['', 'a', 'm1']) expect(index.get(s)).toBe(-1);
  });

  it('refuses more nodes than it can index before allocating', () => {
    const huge = { length: 2 ** 27 + 1 } as unknown as readonly string[];
    expect(() => new NameIndex(huge)).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
  });
});
