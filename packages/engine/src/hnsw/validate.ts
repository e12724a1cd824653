/**
 * Decoding a checked HNSW file image into zero-copy graph views, with the section checksums and
 * the structural rules of docs/hnsw_format.md ("Sections") checked in TypeScript. The native
 * reader (hnsw.cc) checks the same rules in C++ when the addon is active.
 */
import { MnemoError } from '@mnemo/native';
import { crc32c } from '@mnemo/native';
import type { HnswHeader } from './format.js';
import type { HnswGraph } from './graph.js';
import { checkQuantized } from './quantize.js';

function corrupt(msg: string): MnemoError {
  return new MnemoError('CORRUPTION', `HNSW graph file: ${msg}; it will be rebuilt from the segment's vectors by openOrRebuildHnsw`);
}

/** Zero-copy views of the sections (bytes must start 8-byte aligned; the header must be decoded). */
export function graphViews(bytes: Uint8Array, h: HnswHeader): HnswGraph {
  type S = HnswHeader['sections'][0];
  const [s0, s1, s2, s3, s4, s5] = h.sections as [S, S, S, S, S, S];
  const buf = bytes.buffer;
  const base = bytes.byteOffset;
  return {
    dim: h.dim, metric: h.metric, M: h.M, maxM0: h.maxM0, count: h.count, maxLevel: h.maxLevel,
    entryPoint: h.entryPoint, efConstruction: h.efConstruction, seed: h.seed, vectorProbe: h.vectorProbe,
    layer0: new Uint32Array(buf, base + s0.offset, s0.length / 4),
    levels: new Uint8Array(buf, base + s1.offset, s1.length),
    upperOffsets: new Uint32Array(buf, base + s2.offset, s2.length / 4),
    upperLinks: new Uint32Array(buf, base + s3.offset, s3.length / 4),
    invNorms: new Float32Array(buf, base + s4.offset, s4.length / 4),
    quantized: new Uint8Array(buf, base + s5.offset, s5.length),
  };
}

/** Check every section's CRC32C. */
export function checkSectionCrcs(bytes: Uint8Array, h: HnswHeader): void {
  h.sections.forEach((s, i) => {
    if (crc32c(bytes.subarray(s.offset, s.offset + s.length)) !== s.crc) throw corrupt(`section ${i} checksum mismatch`);
  });
}

function checkList(links: Uint32Array, at: number, max: number, row: number, count: number, minLevel: number, levels: Uint8Array): void {
  const n = links[at]!;
  if (n > max) throw corrupt(`row ${row} has ${n} neighbours, more than ${max}`);
  for (let j = 1; j <= n; j++) {
    const nb = links[at + j]!;
    if (nb >= count || nb === row) throw corrupt(`row ${row} has an invalid neighbour ${nb}`);
    if (levels[nb]! < minLevel) throw corrupt(`row ${row} links to row ${nb} on layer ${minLevel} where it does not exist`);
  }
}

/** The structural rules: ids in range, counts bounded, levels consistent, offsets exact. */
export function checkStructure(g: HnswGraph): void {
  checkQuantized(g.quantized, g.dim);
  const { count, M, maxM0, levels, upperOffsets: off, upperLinks, layer0 } = g;
  let top = 0;
  for (let i = 0; i < count; i++) {
    const lv = levels[i]!;
    if (lv > g.maxLevel) throw corrupt(`row ${i} has level ${lv} above maxLevel ${g.maxLevel}`);
    if (lv > top) top = lv;
    if (off[i + 1]! !== off[i]! + lv * (1 + M)) throw corrupt(`upper offset of row ${i} is inconsistent`);
    checkList(layer0, i * (1 + maxM0), maxM0, i, count, 0, levels);
    for (let l = 1; l <= lv; l++) checkList(upperLinks, off[i]! + (l - 1) * (1 + M), M, i, count, l, levels);
  }
  if (count > 0 && (off[0] !== 0 || off[count] !== upperLinks.length)) throw corrupt('upper offsets do not cover the links');
  if (count > 0 && (top !== g.maxLevel || levels[g.entryPoint] !== g.maxLevel)) throw corrupt('entry point is not on the top layer');
}
