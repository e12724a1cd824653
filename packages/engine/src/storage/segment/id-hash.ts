/**
 * The id hash of a large sorted string column (ids; not part of the file): open addressing with
 * linear probing over one Int32Array of row numbers, at most half full, keyed by a hash of each
 * id's UTF-8 bytes. A lookup hashes the key and compares it with the row in its slot, so a
 * present id costs ~1.5 probes into the mapped column and an absent one ~2.5, where a binary
 * search (even one started in the fence, fence.ts) makes several, each a cache miss when the
 * lookup is cold. Point reads with the hash against the fence (CPU, two builds alternating): a
 * 20 000-row segment 0.84–0.92×; a 1M-row segment 0.71–0.85× cold, 0.79–0.89× warm.
 *
 * It costs 8–16 bytes per row (8 MiB for 1M ids) and one pass over the ids, ~110 ns per row on a
 * 1M-row column, where inserts into the table miss the cache (107 ms). So it is built only once
 * the column has served hashAfter(rows) lookups — a quarter of its rows: by then the lookups
 * have taken at least about as long as the build (a cold lookup ~1 µs or more), and the build at
 * most doubles what the lookups so far cost. Until then the fence serves.
 */

export const HASH_MIN_ROWS = 4096;

/** The lookup count of a `rows`-string column at which its hash is built. */
export function hashAfter(rows: number): number {
  return Math.ceil(rows / 4);
}

/** Largest column the hash takes (≤ 2^25 slots: a 128 MiB table); larger ones keep the fence. */
export const HASH_MAX_ROWS = 2 ** 24;

/**
 * A process-wide seed, so that which ids collide is not the same in every process (ids are user
 * data; a fixed hash would let chosen ids make lookups probe long runs). Only slot layouts depend
 * on it, never a result (shared by the id hash and the association graph's NameIndex).
 */
export const PROCESS_SEED = (Math.random() * 0x1_0000_0000) >>> 0;

/** murmur3's 32-bit finalizer. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Hash of bytes b[a, e): FNV-1a, seeded, then mix. */
export function hashBytes(b: Uint8Array, a: number, e: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  for (let i = a; i < e; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
  return mix(h);
}

/**
 * Hash of a string's UTF-16 code units, the same function as hashBytes: for an ASCII string it
 * equals hashBytes of its bytes, so an ASCII key is looked up without encoding it. (The
 * association graph's NameIndex hashes every id with it.)
 */
export function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h);
}

/**
 * The slot table of `n` distinct strings, string i hashing to `hashOf(i)`: a power-of-two
 * length ≥ 2n, each slot the row stored there or −1.
 */
export function buildSlots(n: number, hashOf: (i: number) => number): Int32Array {
  let capacity = 8;
  while (capacity < 2 * n) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  for (let i = 0; i < n; i++) {
    let k = hashOf(i) & mask;
    while ((slots[k] as number) >= 0) k = (k + 1) & mask;
    slots[k] = i;
  }
  return slots;
}
