/** @mnemo/native public API (see docs/native_api.md). */
export * from './errors.js';
export type * from './types.js';
export { mapFile } from './mmap.js';
export { lockFile } from './lock.js';
export { fsyncDir, pwriteDatasync } from './fsync.js';
export { crc32c } from './crc32c.js';
export { dot, l2sq, cosine, scoreBatch, topK } from './distance.js';
export { nativeInfo } from './info.js';
export { backend } from './backend.js';
export { benchmarkOnlyMemoryRead } from './bench-only.js';
export * from './hnsw.js';
export { spreadKernel } from './spread.js';
export type { SpreadCsr, SpreadOverlay, SpreadParams, SpreadStatus, SpreadKernel, SpreadKernelResult } from './spread.js';
export { checkStringColumn, stringColumnChecker } from './strings.js';
export type { StringCheckOptions, StringColumnFault, StringColumnProblem } from './strings.js';
