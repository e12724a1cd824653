/** Barrel of the engine's field module (its public part): docs/field_format.md. */
export { Field } from './field.js';
export type { FieldCreateOptions, FieldOpenOptions } from './options.js';
export type { Dtype, FieldArray } from './dtype.js';
export type { FieldStats } from './stats.js';
export type { HotTierOptions, HotTierCounters } from './hot-tier.js';
export { PrefetchPredictor } from './prefetch.js';
export type { PrefetchOptions, PrefetchRange, PrefetchCounters } from './prefetch.js';
export { HttpChunkSource } from './remote-source.js';
export type { RemoteChunkSource, HttpChunkSourceOptions } from './remote-source.js';
export type { RemoteTierCounters } from './remote-tier.js';
export { serveFieldOverHttp } from './http-server.js';
export type { FieldServer } from './http-server.js';
export { toF16, fromF16 } from './f16.js';
