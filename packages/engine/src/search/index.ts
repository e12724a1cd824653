/** Barrel of the engine's store-wide vector search (docs/search.md). */
export { searchVectors, searchVectorRows } from './vector-search.js';
export type { VectorHit, VectorRowHit, VectorSearchOptions, VectorSearchStats } from './vector-search.js';
export { SegmentIndexCache, hnswPathFor, HNSW_FILE } from './index-cache.js';
export type { IndexCacheStats } from './index-cache.js';
export { indexBuildHooks, buildSegmentIndex } from './build-hooks.js';
export type { IndexBuildEvent } from './build-hooks.js';
export { similarityFromDistance, exactDistance } from './similarity.js';
