/** @mnemo/native public API (see docs/native_api.md). */
export * from './errors.js';
export type * from './types.js';
export * from './hnsw.js';
