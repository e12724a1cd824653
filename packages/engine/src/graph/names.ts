/**
 * Id ordering helpers of the association graph (docs/graph.md §2): node numbers follow the store's
 * id order (compareIds, i.e. UTF-8 byte order); when no id contains a surrogate code unit that is
 * also JS string order, which is what SPREAD's deterministic tie-breaking uses.
 */
import { compareIds } from '../storage/memtable/index.js';

/** True when `s` contains a UTF-16 surrogate (a code point ≥ U+10000). */
export function hasSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xe000) return true;
  }
  return false;
}

/**
 * Sorts distinct `first` (numbered by position) into id order. Returns the sorted names, whether
 * that order equals JS `<` order, and perm[firstIndex] = sortedIndex.
 */
export function sortNames(first: readonly string[]): { names: string[]; index: Map<string, number>; jsOrdered: boolean; perm: Int32Array } {
  const jsOrdered = !first.some(hasSurrogate);
  const names = jsOrdered ? [...first].sort() : [...first].sort(compareIds);
  const at = new Map<string, number>();
  for (let i = 0; i < names.length; i++) at.set(names[i] as string, i);
  const perm = new Int32Array(first.length);
  for (let i = 0; i < first.length; i++) perm[i] = at.get(first[i] as string) as number;
  return { names, index: at, jsOrdered, perm };
}

/** JS-order rank of each name (only needed when the id order is not JS order). */
export function jsRank(names: readonly string[]): Int32Array {
  const order = names.map((_, i) => i).sort((a, b) => ((names[a] as string) < (names[b] as string) ? -1 : 1));
  const rank = new Int32Array(names.length);
  for (let r = 0; r < order.length; r++) rank[order[r] as number] = r;
  return rank;
}
