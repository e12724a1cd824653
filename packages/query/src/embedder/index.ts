/** Embedders: the built-in hashing embedder and the type of a user-supplied one. */
export { hashEmbed, hash32, BUILTIN_EMBEDDER, BUILTIN_DIM } from './hash-embedder.js';
export { tokenize as tokenizeWords, stem } from './tokenize.js';

/**
 * A user-supplied embedder (e.g. a real embedding model): text in, one vector per text out, each of
 * the space's dimension. May be async.
 */
export type Embedder = (texts: string[], space: { name: string; dim: number }) =>
  | Float32Array[]
  | number[][]
  | Promise<Float32Array[] | number[][]>;
