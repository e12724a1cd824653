/**
 * HNSW graph files (docs/hnsw_format.md): durable write (temp → fsync → rename → dir fsync),
 * open by read-only mapping with every check of the format, an in-memory open for a graph just
 * built, and openOrRebuildHnsw which turns a missing or invalid file into a rebuild + rewrite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MnemoError, fromSystemError, fsyncDir, isMnemoError, mapFile } from '@mnemo/native';
import type { Mapping } from '@mnemo/native';
import type { Metric } from '../model.js';
import { buildHnsw, kernelsFor } from './build-hnsw.js';
import type { BuildOptions, HnswBackend } from './build-hnsw.js';
import { decodeHeader, encodeHnsw } from './format.js';
import type { FileMeta } from './format.js';
import { vectorProbe } from './graph.js';
import type { HnswGraph } from './graph.js';
import { HnswIndex } from './hnsw-index.js';
import { checkSectionCrcs, checkStructure, graphViews } from './validate.js';

export interface OpenOptions {
  /** The segment's `rows × dim` embedding column (e.g. a view over its mapping). */
  vectors: Float32Array;
  dim: number;
  metric: Metric;
  /** Header fields the file must carry (else CORRUPTION: the file belongs to another segment). */
  expect?: { lsn?: bigint | number; segmentId?: bigint | number; segmentChecksum?: number };
  /** Default ef for searches. */
  efSearch?: number;
  backend?: HnswBackend;
}

/** Write `graph` durably to `file` (atomic replace). */
export function writeHnswFile(file: string, graph: HnswGraph, meta: FileMeta): void {
  const bytes = encodeHnsw(graph, meta);
  const tmp = `${file}.tmp-${process.pid}`;
  let fd = -1;
  try {
    fd = fs.openSync(tmp, 'w', 0o600);
    for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd >= 0) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw fromSystemError(e, `writing HNSW graph file ${file} failed`);
  }
  fsyncDir(path.dirname(file));
}

function corrupt(msg: string): MnemoError {
  return new MnemoError('CORRUPTION', `HNSW graph file: ${msg}`);
}

/** Checks of a decoded file image against the caller's vectors, then the index. */
function openImage(bytes: Uint8Array, o: OpenOptions, mapping?: Mapping): HnswIndex {
  const h = decodeHeader(bytes);
  if (!(o.vectors instanceof Float32Array) || o.vectors.length % o.dim !== 0) {
    throw new MnemoError('DIMENSION_MISMATCH', `vectors must be a Float32Array of rows × ${o.dim} values`);
  }
  if (h.dim !== o.dim || h.metric !== o.metric) throw corrupt(`built for dim ${h.dim}/${h.metric}, not ${o.dim}/${o.metric}`);
  if (h.count !== o.vectors.length / o.dim) throw corrupt(`covers ${h.count} rows, the vectors have ${o.vectors.length / o.dim}`);
  const e = o.expect ?? {};
  if (e.lsn !== undefined && BigInt(e.lsn) !== h.lsn) throw corrupt(`covers LSN ${h.lsn}, expected ${e.lsn}`);
  if (e.segmentId !== undefined && BigInt(e.segmentId) !== h.segmentId) throw corrupt(`belongs to segment ${h.segmentId}, expected ${e.segmentId}`);
  if (e.segmentChecksum !== undefined && e.segmentChecksum >>> 0 !== h.segmentChecksum) throw corrupt('segment checksum differs');
  if (vectorProbe(o.vectors, o.dim, h.count) !== h.vectorProbe) throw corrupt('the vectors given are not the ones the graph was built on');
  checkSectionCrcs(bytes, h);
  const graph = graphViews(bytes, h);
  const kernels = kernelsFor(o.backend);
  if (kernels === null) checkStructure(graph);
  const native = kernels ? kernels.open(bytes, o.vectors) : null;
  const parts = { header: h, graph, vectors: o.vectors, native, ...(o.efSearch !== undefined ? { efSearch: o.efSearch } : {}) };
  return new HnswIndex(mapping ? { ...parts, mapping } : parts);
}

/** Open a graph file: map it read-only, check everything (CORRUPTION on any failure). */
export function openHnswFile(file: string, o: OpenOptions): HnswIndex {
  const mapping = mapFile(file);
  try {
    let bytes = new Uint8Array(mapping.buffer);
    if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
    return openImage(bytes, o, mapping);
  } catch (e) {
    mapping.unmap();
    throw e;
  }
}

/** Search a graph that is only in memory (e.g. just built): encoded once into a file image. */
export function openHnswGraph(graph: HnswGraph, o: OpenOptions, meta: FileMeta = { lsn: 0, segmentId: 0 }): HnswIndex {
  return openImage(encodeHnsw(graph, meta), o);
}

export interface RebuildOptions extends OpenOptions, Omit<BuildOptions, 'vectors' | 'dim' | 'metric' | 'backend'> {
  lsn: bigint | number;
  segmentId: bigint | number;
  segmentChecksum?: number;
  /** Called before each rebuild with the reason (a CORRUPTION or missing-file error). */
  onRebuild?: (reason: MnemoError) => void;
}

function rebuildable(e: unknown): e is MnemoError {
  return isMnemoError(e, 'CORRUPTION') || (isMnemoError(e) && e.details.errno === 'ENOENT');
}

/** Open `file`, or (missing/invalid/stale) rebuild it from the vectors, rewrite it and open that. */
export function openOrRebuildHnsw(file: string, o: RebuildOptions): { index: HnswIndex; rebuilt: boolean } {
  const meta: FileMeta = { lsn: o.lsn, segmentId: o.segmentId, ...(o.segmentChecksum !== undefined ? { segmentChecksum: o.segmentChecksum } : {}) };
  try {
    return { index: openHnswFile(file, { ...o, expect: meta }), rebuilt: false };
  } catch (e) {
    if (!rebuildable(e)) throw e;
    o.onRebuild?.(e);
  }
  const graph = buildHnsw({ vectors: o.vectors, dim: o.dim, metric: o.metric, ...pick(o) });
  writeHnswFile(file, graph, meta);
  return { index: openHnswFile(file, { ...o, expect: meta }), rebuilt: true };
}

function pick(o: RebuildOptions): Partial<BuildOptions> {
  const out: Partial<BuildOptions> = {};
  if (o.M !== undefined) out.M = o.M;
  if (o.efConstruction !== undefined) out.efConstruction = o.efConstruction;
  if (o.seed !== undefined) out.seed = o.seed;
  if (o.backend !== undefined) out.backend = o.backend;
  return out;
}
