/**
 * isoTime (analyze/iso-time.ts) formats result times; its fast path (date part by arithmetic from
 * the day number, time of day from tables) must give exactly `Date.prototype.toISOString` for every instant.
 */
import { seededRandom } from '@mnemo/engine';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../src/analyze/time.js';
import { isoTime as publicIsoTime } from '../src/index.js';

const DAY = 86_400_000;

describe('isoTime', () => {
  it('is the formatter the package exports (programs format times as rows do)', () => {
    expect(publicIsoTime).toBe(isoTime);
  });

  it('equals toISOString on day edges, leap days and the ends of the fast range', () => {
    const edges = [
      0, 1, 999, 1000, DAY - 1, DAY, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 1, 29),
      Date.UTC(2026, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    for (const t of edges) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });

  it('equals toISOString for 20,000 seeded instants, fractional milliseconds included', () => {
    const rnd = seededRandom(42);
    for (let i = 0; i < 20_000; i++) {
      // alternate near instants (same day, cache hits) and far ones (new days, misses)
      const t = i % 2 === 0 ? Date.UTC(2026, 10, 21) + rnd() * DAY : rnd() * Date.UTC(9999, 11, 31);
      expect(isoTime(t)).toBe(new Date(t).toISOString());
    }
  });

  it('equals toISOString on every day from 1970 to 2400 (leap years, centuries), at a different time each day', () => {
    const last = Date.UTC(2400, 11, 31) / DAY;
    for (let d = 0; d <= last; d++) {
      const t = d * DAY + ((d * 7_919_993) % DAY);
      const iso = isoTime(t);
      if (iso !== new Date(t).toISOString()) expect(iso).toBe(new Date(t).toISOString());
    }
  });

  it('uses the extended forms outside years 1970–9999 and prints non-finite values', () => {
    for (const t of [-1, -DAY - 5, Date.UTC(-50, 0, 1), Date.UTC(10000, 0, 1), Date.UTC(275000, 0, 1)]) {
      expect(isoTime(t)).toBe(new Date(t).toISOString());
    }
    expect(isoTime(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(isoTime(Number.NaN)).toBe('NaN');
  });
});
