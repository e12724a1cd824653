import { describe, expect, it } from 'vitest';
import { hashEmbed, tokenizeWords as tokenize, stem, BUILTIN_DIM } from '../src/embedder/index.js';

function cos(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : d / Math.sqrt(na * nb);
}

describe('built-in hash embedder', () => {
  it('is deterministic, unit-length and of the requested dimension', () => {
    const a = hashEmbed('The user prefers oat milk in their coffee');
    const b = hashEmbed('The user prefers oat milk in their coffee');
    expect(a.length).toBe(BUILTIN_DIM);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Math.abs(cos(a, a) - 1)).toBeLessThan(1e-6);
    let n = 0;
    for (const x of a) n += x * x;
    expect(Math.abs(n - 1)).toBeLessThan(1e-5);
    expect(hashEmbed('hello', 17).length).toBe(17);
  });

  it('gives the zero vector (not NaN) for text without words', () => {
    for (const t of ['', '   ', '!!! ...', 'the a an']) {
      const v = hashEmbed(t);
      expect(v.every((x) => x === 0)).toBe(true);
    }
  });

  it('ranks paraphrases above unrelated text', () => {
    const q = hashEmbed('coffee with oat milk');
    const near = hashEmbed('The user drinks coffee with oat milk every morning');
    const inflected = hashEmbed('coffees with oat milks');
    const far = hashEmbed('Quarterly budget review meeting moved to Thursday');
    expect(cos(q, near)).toBeGreaterThan(0.4);
    expect(cos(q, inflected)).toBeGreaterThan(0.8);
    expect(cos(q, near)).toBeGreaterThan(cos(q, far) + 0.3);
  });

  it('tolerates a typo through character n-grams', () => {
    const right = hashEmbed('deployment pipeline');
    const typo = hashEmbed('deploymnet pipeline');
    const other = hashEmbed('garden tomatoes');
    expect(cos(right, typo)).toBeGreaterThan(cos(right, other) + 0.3);
  });

  it('tokenizes Unicode, drops stop words and stems', () => {
    expect(tokenize('The Cafés in Zürich are GREAT')).toEqual(['café', 'zürich', 'great']);
    expect(stem('meetings')).toBe('meeting');
    expect(stem('studies')).toBe('study');
    expect(stem('class')).toBe('class');
    expect(stem('is')).toBe('is');
    expect(stem('coffees')).toBe('coffee');
    expect(stem('boxes')).toBe('box');
  });
});
