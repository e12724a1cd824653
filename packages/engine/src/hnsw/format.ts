/**
 * Byte layout of the HNSW graph file (docs/hnsw_format.md): header encode/decode, the fixed
 * section layout, and encoding a graph into the file image. Validation of the sections lives
 * in validate.ts; file I/O in file.ts.
 */
import { MnemoError } from '@mnemo/native';
import { crc32c } from '@mnemo/native';
import { METRICS, METRIC_CODES, NO_ENTRY } from './graph.js';
import type { HnswGraph, HnswShape } from './graph.js';
import { quantSectionLength } from './quantize.js';
import { MAX_LEVEL } from './rng.js';

export const MAGIC = 'MNEMOHNS';
export const VERSION = 2;
export const HEADER_SIZE = 256;
export const SECTION_COUNT = 6;
const TABLE_AT = 96;
const HEADER_CRC_AT = 252;

export interface FileMeta {
  /** The WAL LSN the segment (and so this graph) covers. */
  lsn: bigint | number;
  segmentId: bigint | number;
  /** The segment's own checksum, copied so a graph can be matched to its segment. */
  segmentChecksum?: number;
}

export interface Section {
  offset: number;
  length: number;
  crc: number;
}

export interface HnswHeader extends HnswShape {
  lsn: bigint;
  segmentId: bigint;
  segmentChecksum: number;
  fileSize: number;
  sections: Section[];
}

const align64 = (n: number): number => Math.ceil(n / 64) * 64;

/** Section offsets and lengths implied by the header fields (the only layout allowed). */
export function layoutFor(count: number, M: number, upperWords: number, cosine: boolean, dim: number): { offset: number; length: number }[] {
  const lengths = [count * (1 + 2 * M) * 4, count, (count + 1) * 4, upperWords * 4, cosine ? count * 4 : 0, quantSectionLength(dim, count)];
  const out: { offset: number; length: number }[] = [];
  let at = HEADER_SIZE;
  for (const length of lengths) {
    out.push({ offset: at, length });
    at = align64(at + length);
  }
  return out;
}

function corrupt(msg: string): MnemoError {
  return new MnemoError('CORRUPTION', `HNSW graph file: ${msg}; it will be rebuilt from the segment's vectors by openOrRebuildHnsw`);
}

function sectionBytes(g: HnswGraph): Uint8Array[] {
  const view = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return [view(g.layer0), view(g.levels), view(g.upperOffsets), view(g.upperLinks), view(g.invNorms), g.quantized];
}

/** The complete file image of `graph` (header + sections, checksummed). */
export function encodeHnsw(g: HnswGraph, meta: FileMeta): Uint8Array {
  const parts = sectionBytes(g);
  const layout = layoutFor(g.count, g.M, g.upperLinks.length, g.metric === 'cosine', g.dim);
  const last = layout[SECTION_COUNT - 1]!;
  const out = new Uint8Array(last.offset + last.length);
  const dv = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const u32 = [VERSION, HEADER_SIZE, g.dim, METRIC_CODES[g.metric], g.M, g.maxM0, g.count, g.maxLevel,
    g.entryPoint, g.efConstruction, g.seed >>> 0, g.vectorProbe >>> 0];
  u32.forEach((v, i) => dv.setUint32(8 + i * 4, v, true));
  dv.setBigUint64(56, BigInt(meta.lsn), true);
  dv.setBigUint64(64, BigInt(meta.segmentId), true);
  dv.setUint32(72, (meta.segmentChecksum ?? 0) >>> 0, true);
  dv.setBigUint64(80, BigInt(out.length), true);
  layout.forEach((s, i) => {
    const bytes = parts[i]!;
    if (bytes.length !== s.length) throw new MnemoError('INTERNAL', `HNSW section ${i} has ${bytes.length} bytes, expected ${s.length}`);
    out.set(bytes, s.offset);
    const at = TABLE_AT + i * 24;
    dv.setBigUint64(at, BigInt(s.offset), true);
    dv.setBigUint64(at + 8, BigInt(s.length), true);
    dv.setUint32(at + 16, crc32c(bytes), true);
  });
  dv.setUint32(HEADER_CRC_AT, crc32c(out.subarray(0, HEADER_CRC_AT)), true);
  return out;
}

function safeU64(dv: DataView, at: number, what: string): number {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`${what} is out of range`);
  return Number(v);
}

/** Parse and check the header against the file size (docs/hnsw_format.md, "Header"). */
export function decodeHeader(bytes: Uint8Array): HnswHeader {
  if (bytes.length < HEADER_SIZE) throw corrupt(`file has ${bytes.length} bytes, shorter than the ${HEADER_SIZE}-byte header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw corrupt('bad magic');
  if (dv.getUint32(HEADER_CRC_AT, true) !== crc32c(bytes.subarray(0, HEADER_CRC_AT))) throw corrupt('header checksum mismatch');
  const r = (i: number): number => dv.getUint32(8 + i * 4, true);
  if (r(0) !== VERSION) throw corrupt(`unsupported version ${r(0)}`);
  if (r(1) !== HEADER_SIZE) throw corrupt(`bad header size ${r(1)}`);
  const [dim, metricCode, M, maxM0, count, maxLevel, entryPoint] = [r(2), r(3), r(4), r(5), r(6), r(7), r(8)];
  if (dim < 1 || dim > 4096) throw corrupt(`dim ${dim} is outside 1..4096`);
  const metric = METRICS[metricCode];
  if (metric === undefined) throw corrupt(`unknown metric code ${metricCode}`);
  if (M < 2 || M > 256 || maxM0 !== 2 * M) throw corrupt(`bad M ${M} / maxM0 ${maxM0}`);
  if (maxLevel > MAX_LEVEL) throw corrupt(`maxLevel ${maxLevel} exceeds ${MAX_LEVEL}`);
  if (count === 0 ? entryPoint !== NO_ENTRY || maxLevel !== 0 : entryPoint >= count) throw corrupt(`bad entry point ${entryPoint}`);
  if (r(9) < 1) throw corrupt(`efConstruction ${r(9)} is below 1`);
  if (dv.getUint32(76, true) !== 0) throw corrupt('unknown flags');
  const fileSize = safeU64(dv, 80, 'file size');
  if (fileSize !== bytes.length) throw corrupt(`header says ${fileSize} bytes but the file has ${bytes.length}`);
  const sections: Section[] = [];
  for (let i = 0; i < SECTION_COUNT; i++) {
    const at = TABLE_AT + i * 24;
    sections.push({ offset: safeU64(dv, at, 'section offset'), length: safeU64(dv, at + 8, 'section length'), crc: dv.getUint32(at + 16, true) });
  }
  if (sections[3]!.length % 4 !== 0) throw corrupt('upper links length is not a multiple of 4');
  const upperWords = sections[3]!.length / 4;
  const layout = layoutFor(count, M, upperWords, metric === 'cosine', dim);
  layout.forEach((s, i) => {
    const got = sections[i]!;
    if (got.offset !== s.offset || got.length !== s.length) throw corrupt(`section ${i} table entry does not match the layout`);
  });
  const last = layout[SECTION_COUNT - 1]!;
  if (last.offset + last.length !== fileSize) throw corrupt('sections do not end at the file size');
  return {
    dim, metric, M, maxM0, count, maxLevel, entryPoint, efConstruction: r(9), seed: r(10), vectorProbe: r(11),
    lsn: dv.getBigUint64(56, true), segmentId: dv.getBigUint64(64, true), segmentChecksum: dv.getUint32(72, true),
    fileSize, sections,
  };
}
