/**
 * The built-in local text embedder ('builtin:hash-ngram'): deterministic feature hashing of word
 * unigrams, word bigrams and character n-grams into a fixed-size, L2-normalised f32 vector.
 * Works offline with no model; similar wording → high cosine similarity. docs/embedder.md.
 */
import { tokenize } from './tokenize.js';

export const BUILTIN_EMBEDDER = 'builtin:hash-ngram';
export const BUILTIN_DIM = 256;

/** Feature weights: whole words carry meaning, n-grams catch morphology and typos. */
const WORD_WEIGHT = 1.0;
const BIGRAM_WEIGHT = 0.5;
const CHAR_WEIGHT = 0.25;
const CHAR_NGRAMS = [3, 4] as const;

/** 32-bit FNV-1a over the UTF-16 code units, then a murmur3 finaliser for avalanche. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function addFeature(out: Float32Array, feature: string, weight: number): void {
  const h = hash32(feature);
  const slot = h % out.length;
  // The sign bit of a second hash makes collisions cancel on average instead of accumulating.
  const sign = hash32(feature, 0x9e3779b9) & 1 ? 1 : -1;
  out[slot] = out[slot]! + sign * weight;
}

/**
 * Embed `text` into `dim` dimensions. Empty or token-free text gives the zero vector (cosine
 * similarity 0 with everything), never NaN.
 */
export function hashEmbed(text: string, dim: number = BUILTIN_DIM): Float32Array {
  const out = new Float32Array(dim);
  const words = tokenize(text);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    addFeature(out, `w:${w}`, WORD_WEIGHT);
    if (i + 1 < words.length) addFeature(out, `b:${w} ${words[i + 1]!}`, BIGRAM_WEIGHT);
    const padded = `<${w}>`;
    for (const n of CHAR_NGRAMS) {
      for (let j = 0; j + n <= padded.length; j++) addFeature(out, `c${n}:${padded.slice(j, j + n)}`, CHAR_WEIGHT);
    }
  }
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += out[i]! * out[i]!;
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < dim; i++) out[i] = out[i]! * inv;
  }
  return out;
}
