/** @mnemo/engine public API. */
export * from './model.js';
export * from './storage/index.js';
export * from './hnsw/index.js';
export * from './cognitive/index.js';
export * from './field/index.js';
export * from './search/index.js';
export { MnemoError, isMnemoError } from '@mnemo/native';
export type { ErrorCode } from '@mnemo/native';
export * from './query-support/index.js';
export * from './graph/index.js';
