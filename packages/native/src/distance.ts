/**
 * f32 distance kernels of the active backend: dot, l2sq (squared L2), cosine for one pair;
 * scoreBatch (one query against N contiguous rows) and topK (bounded heap, best first, ties by
 * lower row index). docs/native_api.md "Distances".
 */
import { active } from './backend.js';
import type { Backend } from './types.js';

export const dot: Backend['dot'] = active.dot;
export const l2sq: Backend['l2sq'] = active.l2sq;
export const cosine: Backend['cosine'] = active.cosine;
export const scoreBatch: Backend['scoreBatch'] = active.scoreBatch;
export const topK: Backend['topK'] = active.topK;
