/**
 * Size-tiered choice of what to compact (docs/storage.md, "Compaction"): among a space's
 * segments (newest first), find a run of adjacent segments whose sizes lie within `sizeRatio` of
 * each other and that holds at least `minRun` segments; prefer the run of the smallest segments
 * (cheap merges first, as Cassandra's STCS). Only adjacent segments may merge, so the merged
 * segment takes their place in the newest-first order. An explicit request takes everything.
 */

export interface PickInput {
  bytes: number;
}

/** [start, end) indexes into the newest-first list, or undefined when nothing qualifies. */
export function pickRun(segs: readonly PickInput[], sizeRatio: number, minRun: number): [number, number] | undefined {
  let best: [number, number] | undefined;
  let bestSize = Infinity;
  for (let i = 0; i < segs.length; i++) {
    let lo = (segs[i] as PickInput).bytes;
    let hi = lo;
    let j = i + 1;
    while (j < segs.length) {
      const b = (segs[j] as PickInput).bytes;
      const nlo = Math.min(lo, b);
      const nhi = Math.max(hi, b);
      if (nhi > sizeRatio * Math.max(nlo, 1)) break;
      lo = nlo;
      hi = nhi;
      j++;
    }
    if (j - i >= minRun && hi < bestSize) {
      best = [i, j];
      bestSize = hi;
    }
  }
  return best;
}
