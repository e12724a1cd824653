/**
 * HNSW graph files whose checksums were forged (docs/hnsw_format.md "Structural rules"): random
 * byte changes in the header fields and every section, with every CRC32C recomputed so only the
 * structural checks stand between the bytes and the traversal. Each trial must either open and
 * search safely (rows < count, no duplicates, sorted) or throw a typed CORRUPTION, on both readers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32c, isMnemoError, nativeInfo } from '@mnemo/native';
import { buildHnsw, openHnswFile, writeHnswFile } from '../src/hnsw/index.js';
import type { HnswBackend } from '../src/hnsw/index.js';
import { clustered, rng, row } from './hnsw-fixtures.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnemo-hnsw-forged-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const BACKENDS: HnswBackend[] = nativeInfo().backend === 'native' ? ['native', 'js'] : ['js'];
const TRIALS = process.env.MNEMO_LONG === '1' ? 3000 : 400;

const dim = 10, n = 300;
const { vectors, queries } = clustered(n, dim, 41, 4, 6);

/** Recompute every section CRC and the header CRC of a file image in place. */
function reseal(b: Buffer): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < 6; i++) {
    const at = 96 + i * 24;
    const off = Number(dv.getBigUint64(at, true)), len = Number(dv.getBigUint64(at + 8, true));
    if (off + len <= b.length) dv.setUint32(at + 16, crc32c(b.subarray(off, off + len)), true);
  }
  dv.setUint32(252, crc32c(b.subarray(0, 252)), true);
}

describe.each(['cosine', 'l2'] as const)('forged HNSW files (%s)', (metric) => {
  it(`${TRIALS} damaged + resealed images: CORRUPTION or a safe search, never a crash`, () => {
    const file = path.join(tmp, `good-${metric}.hnsw`);
    writeHnswFile(file, buildHnsw({ vectors, dim, metric, M: 4, efConstruction: 20, seed: 3 }), { lsn: 1, segmentId: 1 });
    const good = fs.readFileSync(file);
    const dv = new DataView(good.buffer, good.byteOffset, good.length);
    const sections = Array.from({ length: 6 }, (_, i) => [Number(dv.getBigUint64(96 + i * 24, true)), Number(dv.getBigUint64(104 + i * 24, true))] as const);
    const r = rng(metric === 'l2' ? 5 : 6);
    const bad = path.join(tmp, `bad-${metric}.hnsw`);
    const tally = { corrupt: 0, opened: 0 };
    for (let t = 0; t < TRIALS; t++) {
      const b = Buffer.from(good);
      const edits = 1 + Math.floor(r() * 3);
      for (let e = 0; e < edits; e++) {
        // a header field (bytes 8..96) a fifth of the time, else a byte of a graph section
        let at: number;
        if (r() < 0.2) at = 8 + Math.floor(r() * 88);
        else {
          const [off, len] = sections[Math.floor(r() * 4)]!;
          if (len === 0) continue;
          at = off + Math.floor(r() * len);
        }
        b[at] = r() < 0.5 ? b[at]! ^ (1 << Math.floor(r() * 8)) : Math.floor(r() * 256);
      }
      reseal(b);
      fs.writeFileSync(bad, b);
      for (const backend of BACKENDS) {
        let idx;
        try {
          idx = openHnswFile(bad, { vectors, dim, metric, backend });
        } catch (e) {
          if (!isMnemoError(e, 'CORRUPTION')) throw e;
          tally.corrupt++;
          continue;
        }
        tally.opened++;
        for (let q = 0; q < 2; q++) {
          const res = idx.search(row(queries, dim, q), 8, { ef: 16 });
          expect(res.rows.length).toBeLessThanOrEqual(8);
          expect(new Set(res.rows).size).toBe(res.rows.length);
          for (let i = 0; i < res.rows.length; i++) {
            expect(res.rows[i]!).toBeLessThan(n);
            if (i > 0) expect(res.distances[i]!).toBeGreaterThanOrEqual(res.distances[i - 1]!);
          }
        }
        idx.close();
      }
    }
    console.log(`hnsw forged (${metric}): ${TRIALS} images × ${BACKENDS.length} readers, ${tally.corrupt} CORRUPTION, ${tally.opened} opened and searched`);
    expect(tally.corrupt).toBeGreaterThan(TRIALS / 2);
  });
});

describe('header rules of docs/hnsw_format.md', () => {
  it('efConstruction 0 (header resealed) is CORRUPTION on both readers', () => {
    const file = path.join(tmp, 'rules.hnsw');
    writeHnswFile(file, buildHnsw({ vectors, dim, metric: 'l2', M: 4, efConstruction: 20, seed: 3 }), { lsn: 1, segmentId: 1 });
    const b = fs.readFileSync(file);
    b.writeUInt32LE(0, 44);
    reseal(b);
    fs.writeFileSync(file, b);
    for (const backend of BACKENDS) {
      expect(() => openHnswFile(file, { vectors, dim, metric: 'l2', backend })).toThrow(
        expect.objectContaining({ code: 'CORRUPTION', message: expect.stringContaining('efConstruction') }),
      );
    }
  });
});
