/**
 * Merging per-source top-k lists (segments, memtable) into one, by distance, ties broken by a
 * caller-given key (e.g. the memory id), so results across segments are deterministic.
 */

export interface ScoredHit<T> {
  item: T;
  distance: number;
}

/** The k closest hits over all lists; ties by `key` (string or number), then by list order. */
export function mergeByDistance<T>(lists: readonly (readonly ScoredHit<T>[])[], k: number, key: (item: T) => string | number): ScoredHit<T>[] {
  const all: ScoredHit<T>[] = [];
  for (const l of lists) for (const h of l) all.push(h);
  const keyed = all.map((h, i) => ({ h, key: key(h.item), i }));
  keyed.sort((a, b) => {
    if (a.h.distance !== b.h.distance) return a.h.distance < b.h.distance ? -1 : 1;
    if (a.key !== b.key) return a.key < b.key ? -1 : 1;
    return a.i - b.i;
  });
  return keyed.slice(0, Math.max(0, k)).map((x) => x.h);
}
