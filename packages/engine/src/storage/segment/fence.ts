/**
 * The fence of a large sorted string column (ids): every FENCE_STEP-th string as a JS string, kept
 * in memory, so a binary search runs its first ~log2(rows / 32) probes over the fence (a few
 * hundred KB that stay in cache) and only its last five over the mapped offsets and bytes, where
 * every probe of a cold lookup is a cache miss. Built lazily, at the FENCE_AFTER-th lookup of a
 * column with ≥ FENCE_MIN_ROWS strings, so opening a store and its first reads do not pay for it.
 * Search keys are ASCII (string-column.ts encodes others): for an ASCII key, comparing it with any
 * string by UTF-16 code units gives the same order as comparing their UTF-8 bytes.
 */

export const FENCE_STEP = 32;
export const FENCE_MIN_ROWS = 4096;
export const FENCE_AFTER = 64;

/** Strings 0, FENCE_STEP, 2·FENCE_STEP, … of a column of `n` strings. */
export function buildFence(n: number, get: (i: number) => string): string[] {
  const out = new Array<string>(Math.ceil(n / FENCE_STEP));
  for (let f = 0; f < out.length; f++) out[f] = get(f * FENCE_STEP);
  return out;
}

/** The last fence slot whose string is ≤ `key` (ASCII), or -1 when `key` sorts before them all. */
export function fenceSlot(fence: readonly string[], key: string): number {
  let lo = 0;
  let hi = fence.length - 1;
  let slot = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((fence[mid] as string) <= key) {
      slot = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return slot;
}
