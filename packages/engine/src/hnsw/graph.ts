/**
 * The in-memory HNSW graph (what a build produces and what a file decodes to) and the metric
 * codes of docs/hnsw_format.md. Arrays use the file's layout exactly, so encoding is a copy and
 * decoding is zero-copy views.
 */
import type { Metric } from '../model.js';
import { crc32c } from '@mnemo/native';

export const METRIC_CODES: Record<Metric, number> = { cosine: 0, l2: 1, dot: 2 };
export const METRICS: readonly Metric[] = ['cosine', 'l2', 'dot'];

/** The parameters and shape of a graph: what the file header records and a built graph carries. */
export interface HnswShape {
  dim: number;
  metric: Metric;
  /** Max neighbours on layers ≥ 1. */
  M: number;
  /** Max neighbours on layer 0 (= 2M). */
  maxM0: number;
  count: number;
  maxLevel: number;
  /** Row id of the entry point; 0xFFFFFFFF when count = 0. */
  entryPoint: number;
  efConstruction: number;
  seed: number;
  /** CRC32C of the probe rows' vectors (docs/hnsw_format.md), binds the graph to its vectors. */
  vectorProbe: number;
}

export interface HnswGraph extends HnswShape {
  /** count × (1 + maxM0) u32: [n, ids…] per row. */
  layer0: Uint32Array;
  /** Top layer per row. */
  levels: Uint8Array;
  /** count + 1 offsets (u32 units) into upperLinks. */
  upperOffsets: Uint32Array;
  /** Per row and layer 1..level: [n, ids…] blocks of 1 + M u32. */
  upperLinks: Uint32Array;
  /** cosine: 1/‖v‖ per row (0 for a zero vector); empty otherwise. */
  invNorms: Float32Array;
  /** Section 5: quantization parameters + u8 codes per row (quantize.ts); the native walk uses them. */
  quantized: Uint8Array;
}

export const NO_ENTRY = 0xffffffff;

/** Prefix offsets of the upper-layer blocks for the given levels. */
export function upperOffsetsFor(levels: Uint8Array, M: number): Uint32Array {
  const off = new Uint32Array(levels.length + 1);
  let acc = 0;
  for (let i = 0; i < levels.length; i++) {
    off[i] = acc;
    acc += levels[i]! * (1 + M);
  }
  off[levels.length] = acc;
  return off;
}

/** 1/‖v‖ per row (0 for a zero vector), f64 accumulation. */
export function inverseNorms(vectors: Float32Array, dim: number, count: number): Float32Array {
  const inv = new Float32Array(count);
  for (let r = 0; r < count; r++) {
    let s = 0;
    const base = r * dim;
    for (let j = 0; j < dim; j++) {
      const x = vectors[base + j]!;
      s += x * x;
    }
    inv[r] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  return inv;
}

/** Probe checksum: CRC32C over the f32 bytes of rows ⌊i·count/P⌋, i < P = min(count, 64). */
export function vectorProbe(vectors: Float32Array, dim: number, count: number): number {
  const P = Math.min(count, 64);
  const bytes = new Uint8Array(vectors.buffer, vectors.byteOffset, count * dim * 4);
  let crc = 0;
  for (let i = 0; i < P; i++) {
    const row = Math.floor((i * count) / P);
    crc = crc32c(bytes.subarray(row * dim * 4, (row + 1) * dim * 4), crc);
  }
  return crc;
}
