/**
 * Quantized traversal vectors (docs/hnsw_format.md, section 5): per-dimension min/max scalar
 * quantization of the rows (cosine: of the normalised rows) to u8 codes, laid out as the section
 * image the native search walks the graph with (exact f32 re-ranking follows). Also its check.
 */
import { MnemoError } from '@mnemo/native';
import type { Metric } from '../model.js';

const align64 = (n: number): number => Math.ceil(n / 64) * 64;

/** Bytes per row of codes: dim rounded up to 64. */
export const quantStride = (dim: number): number => align64(dim);
/** Bytes of the parameters (dim f32 offsets, dim f32 scales), padded to 64. */
export const quantParamsBytes = (dim: number): number => align64(8 * dim);
/** Length of section 5 for `count` rows. */
export const quantSectionLength = (dim: number, count: number): number => quantParamsBytes(dim) + count * quantStride(dim);

/** Row `r` as quantized into `out`: the row itself, or for cosine the row times its f32 inverse norm. */
function rowValues(vectors: Float32Array, invNorms: Float32Array, cosine: boolean, dim: number, r: number, out: Float32Array): void {
  const base = r * dim;
  if (!cosine) {
    out.set(vectors.subarray(base, base + dim));
    return;
  }
  const inv = invNorms[r]!;
  for (let j = 0; j < dim; j++) out[j] = vectors[base + j]! * inv; // f32 store rounds like C++'s float product
}

/** The section-5 image for `count` rows of `vectors` (invNorms: the cosine section 4, else empty). */
export function quantizeVectors(vectors: Float32Array, dim: number, count: number, metric: Metric, invNorms: Float32Array): Uint8Array {
  const out = new Uint8Array(quantSectionLength(dim, count));
  const offset = new Float32Array(out.buffer, 0, dim), scale = new Float32Array(out.buffer, 4 * dim, dim);
  const cosine = metric === 'cosine', row = new Float32Array(dim);
  const lo = new Float32Array(dim).fill(Infinity), hi = new Float32Array(dim).fill(-Infinity);
  for (let r = 0; r < count; r++) {
    rowValues(vectors, invNorms, cosine, dim, r, row);
    for (let j = 0; j < dim; j++) {
      const v = row[j]!;
      if (v < lo[j]!) lo[j] = v;
      if (v > hi[j]!) hi[j] = v;
    }
  }
  for (let j = 0; j < dim; j++) {
    offset[j] = count > 0 ? lo[j]! : 0;
    scale[j] = count > 0 ? (hi[j]! - lo[j]!) / 255 : 0;
  }
  const stride = quantStride(dim), at = quantParamsBytes(dim);
  for (let r = 0; r < count; r++) {
    rowValues(vectors, invNorms, cosine, dim, r, row);
    const o = at + r * stride;
    for (let j = 0; j < dim; j++) {
      const s = scale[j]!;
      const x = s > 0 ? Math.round((row[j]! - offset[j]!) / s) : 0;
      out[o + j] = x < 0 ? 0 : x > 255 ? 255 : x;
    }
  }
  return out;
}

/** Section-5 parameter rule: finite offsets, finite non-negative scales (the codes need no check). */
export function checkQuantized(section: Uint8Array, dim: number): void {
  const params = new Float32Array(section.buffer, section.byteOffset, 2 * dim);
  for (let j = 0; j < dim; j++) {
    const s = params[dim + j]!;
    if (!Number.isFinite(params[j]!) || !Number.isFinite(s) || s < 0) {
      throw new MnemoError('CORRUPTION', `HNSW graph file: quantization parameters of dimension ${j} are invalid; it will be rebuilt from the segment's vectors by openOrRebuildHnsw`);
    }
  }
}
