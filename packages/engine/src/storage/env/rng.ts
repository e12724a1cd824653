/**
 * Seeded pseudo-random numbers for deterministic fault injection, tests and benchmarks: the same
 * seed gives the same sequence on every machine. Built on the HNSW level generator's mulberry32
 * (hnsw/rng.ts), the one implementation in the engine. Not for cryptography.
 */
import { mulberry32 } from '../../hnsw/rng.js';

const TWO32 = 4294967296;

/** A function yielding uniform numbers in [0, 1) from `seed` (mulberry32). */
export function seededRandom(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / TWO32;
}

export class Rng {
  private readonly u32: () => number;

  constructor(seed: number) {
    this.u32 = mulberry32(seed);
  }

  /** Uniform unsigned 32-bit integer. */
  uint32(): number {
    return this.u32();
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / TWO32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability `p`. */
  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  /** Pick one element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}
