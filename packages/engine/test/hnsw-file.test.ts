/**
 * HNSW graph files (docs/hnsw_format.md): round trip and header fields, reopen without rebuild,
 * corruption (byte flips at many offsets, truncation, forged checksums) → CORRUPTION or a
 * rebuild, never a crash; wrong vectors / segment; native ↔ JS file parity; mapping lifetime.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32c, mapFile } from '@mnemo/native';
import { buildHnsw, openHnswFile, openOrRebuildHnsw, writeHnswFile } from '../src/hnsw/index.js';
import type { HnswBackend } from '../src/hnsw/index.js';
import { bruteForce, clustered, mismatches, recall, row } from './hnsw-fixtures.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnemo-hnsw-file-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let seq = 0;
const fresh = (): string => path.join(tmp, `g${seq++}.hnsw`);

const dim = 12;
const { vectors, queries } = clustered(800, dim, 31, 40, 8);
const base = { vectors, dim, metric: 'cosine' as const };

function writeGraph(backend: HnswBackend, file = fresh()): string {
  writeHnswFile(file, buildHnsw({ ...base, M: 8, efConstruction: 40, seed: 9, backend }), { lsn: 1234n, segmentId: 7, segmentChecksum: 0xdeadbeef });
  return file;
}

describe('HNSW graph files', () => {
  it('round-trips: header fields, 64-byte-aligned sections, 0600 mode, no temp file left', () => {
    const file = writeGraph('native');
    const idx = openHnswFile(file, { ...base, expect: { lsn: 1234, segmentId: 7n, segmentChecksum: 0xdeadbeef } });
    expect(idx.header).toMatchObject({ dim, metric: 'cosine', M: 8, maxM0: 16, count: 800, lsn: 1234n, segmentId: 7n, segmentChecksum: 0xdeadbeef });
    for (const s of idx.header.sections) expect(s.offset % 64).toBe(0);
    expect(idx.header.fileSize).toBe(fs.statSync(file).size);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // the default backend follows MNEMO_NATIVE (the suite also runs with MNEMO_NATIVE=0)
    expect(idx.backend).toBe(process.env.MNEMO_NATIVE === '0' ? 'js' : 'native');
    idx.close();
  });

  it('reopen maps the file without rebuilding; a stale LSN or segment id triggers a rebuild', () => {
    const file = fresh();
    let builds = 0;
    const opts = { ...base, M: 8, efConstruction: 40, lsn: 5, segmentId: 1, onRebuild: () => builds++ };
    const first = openOrRebuildHnsw(file, opts);
    expect(first.rebuilt).toBe(true);
    expect(builds).toBe(1);
    first.index.close();
    for (let i = 0; i < 3; i++) {
      const again = openOrRebuildHnsw(file, opts);
      expect(again.rebuilt).toBe(false);
      again.index.close();
    }
    expect(builds).toBe(1);
    const stale = openOrRebuildHnsw(file, { ...opts, lsn: 6 });
    expect(stale.rebuilt).toBe(true);
    expect(stale.index.header.lsn).toBe(6n);
    expect(builds).toBe(2);
    stale.index.close();
  });

  it('corruption: flipping bytes at 300 offsets and truncating → CORRUPTION from open, a rebuild from openOrRebuild', () => {
    const good = fs.readFileSync(writeGraph('native'));
    const file = fresh();
    let tried = 0, corrupt = 0, rebuilt = 0;
    const offsets = new Set<number>();
    for (let i = 0; i < 300; i++) offsets.add(Math.floor((i * good.length) / 300) + (i % 7));
    for (const off of offsets) {
      if (off >= good.length) continue;
      const bad = Buffer.from(good);
      bad[off]! ^= 1 << (off % 8);
      fs.writeFileSync(file, bad);
      tried++;
      try {
        openHnswFile(file, base).close();
      } catch (e) {
        expect(e).toMatchObject({ code: 'CORRUPTION' });
        corrupt++;
      }
      const r = openOrRebuildHnsw(file, { ...base, M: 8, efConstruction: 40, lsn: 1234, segmentId: 7 });
      if (r.rebuilt) rebuilt++;
      expect(r.index.search(row(queries, dim, 0), 5).rows.length).toBe(5);
      r.index.close();
    }
    console.log(`hnsw corruption: ${tried} flips, ${corrupt} CORRUPTION, ${rebuilt} rebuilt`);
    // a flip in the zero padding between sections is covered by no checksum and changes nothing
    expect(corrupt).toBeGreaterThanOrEqual(tried - 10);
    expect(rebuilt).toBe(corrupt);
    for (const len of [0, 1, 100, 255, 256, 300, good.length - 1, good.length + 64]) {
      const bytes = len <= good.length ? good.subarray(0, len) : Buffer.concat([good, Buffer.alloc(len - good.length)]);
      fs.writeFileSync(file, bytes);
      expect(() => openHnswFile(file, base)).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
      const r = openOrRebuildHnsw(file, { ...base, M: 8, efConstruction: 40, lsn: 1, segmentId: 1 });
      expect(r.rebuilt).toBe(true);
      r.index.close();
    }
  });

  it('corruption: zeroed ranges (a lost page, a torn write) at 60 offsets → CORRUPTION unless the bytes were zero already', () => {
    const good = fs.readFileSync(writeGraph('native'));
    const file = fresh();
    let tried = 0, corrupt = 0;
    for (let i = 0; i < 60; i++) {
      const at = Math.floor((i * good.length) / 60);
      const len = [64, 512, 4096][i % 3]!;
      const bad = Buffer.from(good);
      bad.fill(0, at, Math.min(good.length, at + len));
      if (bad.equals(good)) continue;
      tried++;
      fs.writeFileSync(file, bad);
      for (const backend of ['native', 'js'] as const) {
        try {
          openHnswFile(file, { ...base, backend }).close();
        } catch (e) {
          expect(e).toMatchObject({ code: 'CORRUPTION' });
          if (backend === 'native') corrupt++;
        }
      }
    }
    expect(corrupt).toBe(tried);
  });

  it('a structurally invalid graph with valid checksums is still rejected (both readers)', () => {
    const good = Buffer.from(fs.readFileSync(writeGraph('native')));
    const dv = new DataView(good.buffer, good.byteOffset, good.length);
    const l0 = Number(dv.getBigUint64(96, true));
    const l0len = Number(dv.getBigUint64(104, true));
    dv.setUint32(l0 + 4, 800 + 5, true); // row 0's first neighbour → out of range
    dv.setUint32(96 + 16, crc32c(good.subarray(l0, l0 + l0len)), true);
    dv.setUint32(252, crc32c(good.subarray(0, 252)), true);
    const file = fresh();
    fs.writeFileSync(file, good);
    for (const backend of ['native', 'js'] as const) {
      expect(() => openHnswFile(file, { ...base, backend })).toThrow(expect.objectContaining({ code: 'CORRUPTION', message: expect.stringContaining('neighbour') }));
    }
  });

  it('section 5: codes reconstruct the normalised rows within half a step, same bytes from both builders', () => {
    const nat = buildHnsw({ ...base, M: 8, efConstruction: 40, seed: 9, backend: 'native' });
    const js = buildHnsw({ ...base, M: 8, efConstruction: 40, seed: 9, backend: 'js' });
    expect(Buffer.from(nat.quantized).equals(Buffer.from(js.quantized))).toBe(true);
    const q = nat.quantized;
    const params = new Float32Array(q.buffer, q.byteOffset, 2 * dim);
    const stride = 64, at = Math.ceil((8 * dim) / 64) * 64;
    expect(q.length).toBe(at + 800 * stride);
    let worst = 0;
    for (let r = 0; r < 800; r++) {
      for (let j = 0; j < dim; j++) {
        const v = Math.fround(vectors[r * dim + j]! * nat.invNorms[r]!);
        const back = params[j]! + params[dim + j]! * q[at + r * stride + j]!;
        worst = Math.max(worst, Math.abs(back - v) / params[dim + j]!);
      }
      for (let j = dim; j < stride; j++) expect(q[at + r * stride + j]).toBe(0);
    }
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-3);
  });

  it('a version-1 file or invalid quantization parameters (checksums valid) are CORRUPTION and rebuilt', () => {
    const good = Buffer.from(fs.readFileSync(writeGraph('native')));
    const old = Buffer.from(good);
    const odv = new DataView(old.buffer, old.byteOffset, old.length);
    odv.setUint32(8, 1, true);
    odv.setUint32(252, crc32c(old.subarray(0, 252)), true);
    const bad = Buffer.from(good);
    const dv = new DataView(bad.buffer, bad.byteOffset, bad.length);
    const q0 = Number(dv.getBigUint64(96 + 5 * 24, true));
    const qlen = Number(dv.getBigUint64(104 + 5 * 24, true));
    dv.setFloat32(q0 + 4 * dim, Number.POSITIVE_INFINITY, true); // dimension 0's scale
    dv.setUint32(96 + 5 * 24 + 16, crc32c(bad.subarray(q0, q0 + qlen)), true);
    dv.setUint32(252, crc32c(bad.subarray(0, 252)), true);
    for (const [bytes, msg] of [[old, 'version'], [bad, 'quantization']] as const) {
      const file = fresh();
      fs.writeFileSync(file, bytes);
      for (const backend of ['native', 'js'] as const) {
        expect(() => openHnswFile(file, { ...base, backend })).toThrow(expect.objectContaining({ code: 'CORRUPTION', message: expect.stringContaining(msg) }));
      }
      const r = openOrRebuildHnsw(file, { ...base, M: 8, efConstruction: 40, lsn: 1234, segmentId: 7 });
      expect(r.rebuilt).toBe(true);
      r.index.close();
    }
  });

  it('a missing file is rebuilt; wrong vectors, dim or metric are CORRUPTION (the file is not theirs)', () => {
    const file = writeGraph('js');
    const other = clustered(800, dim, 32, 1, 8).vectors;
    expect(() => openHnswFile(file, { ...base, vectors: other })).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    expect(() => openHnswFile(file, { ...base, metric: 'l2' })).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    expect(() => openHnswFile(file, { ...base, vectors: vectors.subarray(0, 799 * dim) })).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    expect(() => openHnswFile(file, { ...base, expect: { segmentId: 8 } })).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    const missing = fresh();
    const r = openOrRebuildHnsw(missing, { ...base, lsn: 1, segmentId: 1 });
    expect(r.rebuilt).toBe(true);
    expect(fs.existsSync(missing)).toBe(true);
    r.index.close();
  });

  it('native and JS read each other\'s files: same exact results, recall ≥ 0.95 for both', () => {
    for (const writer of ['native', 'js'] as const) {
      const file = writeGraph(writer);
      const nat = openHnswFile(file, { ...base, backend: 'native' });
      const js = openHnswFile(file, { ...base, backend: 'js' });
      expect([nat.backend, js.backend]).toEqual(['native', 'js']);
      const got: Record<string, Uint32Array[]> = { native: [], js: [] };
      const truth: number[][] = [];
      let bad = 0;
      for (let i = 0; i < 40; i++) {
        const q = row(queries, dim, i);
        const ref = bruteForce('cosine', vectors, dim, q, 10);
        truth.push(ref.rows);
        const a = nat.search(q, 10, { exact: true });
        const b = js.search(q, 10, { exact: true });
        bad += mismatches('cosine', vectors, dim, q, a, ref) + mismatches('cosine', vectors, dim, q, b, ref);
        got.native!.push(nat.search(q, 10).rows);
        got.js!.push(js.search(q, 10).rows);
      }
      expect(bad).toBe(0);
      expect(recall(got.native!, truth, 10)).toBeGreaterThanOrEqual(0.95);
      expect(recall(got.js!, truth, 10)).toBeGreaterThanOrEqual(0.95);
      nat.close();
      js.close();
    }
  });

  it.each(['native', 'js'] as const)('%s: searching after the vectors mapping was released throws RELEASED (no read of freed memory)', (backend) => {
    const file = writeGraph('native');
    const vecFile = path.join(tmp, `vectors-${backend}.f32`);
    fs.writeFileSync(vecFile, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
    const vm = mapFile(vecFile);
    const mapped = new Float32Array(vm.buffer, 0, vectors.length);
    const idx = openHnswFile(file, { ...base, vectors: mapped, backend });
    expect(idx.search(row(queries, dim, 1), 3).rows.length).toBe(3);
    vm.unmap();
    expect(() => idx.search(row(queries, dim, 1), 3)).toThrow(expect.objectContaining({ code: 'RELEASED' }));
    idx.close();
    idx.close();
  });

  it('an empty graph (0 rows) round-trips', () => {
    const file = fresh();
    const empty = { vectors: new Float32Array(0), dim: 5, metric: 'l2' as const };
    writeHnswFile(file, buildHnsw(empty), { lsn: 0, segmentId: 0 });
    const idx = openHnswFile(file, empty);
    expect(idx.count).toBe(0);
    expect(idx.search(new Float32Array(5), 3).rows.length).toBe(0);
    idx.close();
  });
});
