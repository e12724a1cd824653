/**
 * Shared helpers of the SPREAD kernel tests (spread-parity, spread-rows; docs/graph.md §5): whether
 * the C++ kernel is loadable, a fan factor table as the engine computes it, a seeded permutation.
 */
import { spreadKernel } from '../src/index.js';

export const hasNativeSpread = (() => {
  try {
    spreadKernel({ off: Uint32Array.of(0), target: new Int32Array(0), weight: new Float64Array(0), created: new Float64Array(0), rank: null }, 'native');
    return true;
  } catch {
    return false;
  }
})();

/** F[fan] = clamp((S − ln max(fan, 1)) / S, 0, 1) for fan = 0 .. n − 1. */
export function fanTable(strength: number, n: number): Float64Array {
  const t = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    const v = (strength - Math.log(f >= 1 ? f : 1)) / strength;
    t[f] = v > 0 ? (v < 1 ? v : 1) : 0;
  }
  return t;
}

/** A seeded random permutation of 0 .. n − 1. */
export function permutation(r: () => number, n: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}
