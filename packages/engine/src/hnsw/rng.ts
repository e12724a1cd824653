/**
 * Seeded level generator of the HNSW build (docs/hnsw_format.md, "Levels and determinism"):
 * mulberry32, one draw per row in row order. The C++ build (native hnsw.cc) uses the same
 * generator, so both backends give every row the same level.
 */

/** Highest layer a row may get (levels are stored as u8; the cap keeps them tiny). */
export const MAX_LEVEL = 31;

/** mulberry32: a 32-bit seeded PRNG; returns a function yielding u32 values. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Levels of `count` rows: min(31, ⌊−ln(u)·mL⌋), u = (x+1)/2³² ∈ (0,1], mL = 1/ln(M). */
export function drawLevels(count: number, M: number, seed: number): Uint8Array {
  const next = mulberry32(seed);
  const mL = 1 / Math.log(M);
  const levels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const u = (next() + 1) / 4294967296;
    levels[i] = Math.min(MAX_LEVEL, Math.floor(-Math.log(u) * mL));
  }
  return levels;
}
