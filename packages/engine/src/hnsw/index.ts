/** Barrel of the engine's hnsw module (its public part): build, file I/O, search, merge. docs/hnsw_format.md. */
export { buildHnsw } from './build-hnsw.js';
export type { BuildOptions, HnswBackend } from './build-hnsw.js';
export { writeHnswFile, openHnswFile, openHnswGraph, openOrRebuildHnsw } from './file.js';
export type { OpenOptions, RebuildOptions } from './file.js';
export type { FileMeta, HnswHeader } from './format.js';
export type { HnswGraph } from './graph.js';
export { HnswIndex, EXACT_FILTER_FRACTION, DEFAULT_EF, checkFiniteQuery } from './hnsw-index.js';
export type { SearchOptions, RowFilter, SearchResult } from './hnsw-index.js';
export { mergeByDistance } from './merge.js';
export { bit } from './filter.js';
export type { ScoredHit } from './merge.js';
