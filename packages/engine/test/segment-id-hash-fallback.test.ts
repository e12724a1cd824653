/**
 * The id hash is an optimisation: when its table cannot be allocated (RangeError), a column's
 * lookups keep going through the fence, with the same answers, and the build is not retried.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const built = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../src/storage/segment/id-hash.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/storage/segment/id-hash.js')>();
  return {
    ...real,
    buildSlots: () => {
      built.calls++;
      throw new RangeError('Array buffer allocation failed');
    },
  };
});

const { hashAfter, HASH_MIN_ROWS } = await import('../src/storage/segment/id-hash.js');
const { compareIds, openSegment, writeSegment } = await import('../src/storage/segment/index.js');
const { emptyContent, makeRow, rng, tempDir } = await import('./segment-fixtures.js');

describe('id hash without memory', () => {
  it('lookups stay correct through the fence and the build is tried once', async () => {
    const tmp = tempDir();
    try {
      const r = rng(9);
      const ids = Array.from({ length: HASH_MIN_ROWS + 500 }, (_, i) => `k${i * 3}`).sort(compareIds);
      const info = await writeSegment(join(tmp.dir, 'spaces', 's', 'seg-000001'), emptyContent({ dim: 1, rows: ids.map((id) => makeRow(r, 1, id, { meta: null })) }));
      const reader = openSegment(info.path, { bytes: info.bytes, checksum: info.checksum });
      try {
        const lookups = hashAfter(ids.length) + 3 * ids.length;
        for (let n = 0; n < lookups; n++) {
          const i = (n * 7) % ids.length;
          expect(reader.findRow(ids[i]!)).toBe(i);
        }
        for (const x of ['k1', 'k2', 'j', 'z', `${ids[10]!}0`]) expect(reader.findRow(x)).toBe(-1);
        expect(built.calls).toBe(1);
      } finally {
        reader.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
