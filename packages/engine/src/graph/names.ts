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
 * Sorts distinct `first` (numbered by position) into id order, given that `first[0, sortedPrefix)`
 * is already in id order (a segment's CSR sources are): only the rest is sorted, then merged.
 * Returns the sorted names, their index, whether id order equals JS `<` order, and
 * perm[firstIndex] = sortedIndex.
 */
export function sortNames(
  first: readonly string[], sortedPrefix = 0,
): { names: string[]; index: Map<string, number>; jsOrdered: boolean; perm: Int32Array } {
  const jsOrdered = !first.some(hasSurrogate);
  const cmp = jsOrdered ? (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0) : compareIds;
  const rest = Array.from({ length: first.length - sortedPrefix }, (_, i) => sortedPrefix + i);
  rest.sort((x, y) => cmp(first[x] as string, first[y] as string));
  const n = first.length;
  const names = new Array<string>(n);
  const perm = new Int32Array(n);
  const index = new Map<string, number>();
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    const takePrefix = i < sortedPrefix && (j >= rest.length || cmp(first[i] as string, first[rest[j] as number] as string) < 0);
    const from = takePrefix ? i++ : (rest[j++] as number);
    const name = first[from] as string;
    names[k] = name;
    perm[from] = k;
    index.set(name, k);
  }
  return { names, index, jsOrdered, perm };
}

/** JS-order rank of each name (only needed when the id order is not JS order). */
export function jsRank(names: readonly string[]): Int32Array {
  const order = names.map((_, i) => i).sort((a, b) => ((names[a] as string) < (names[b] as string) ? -1 : 1));
  const rank = new Int32Array(names.length);
  for (let r = 0; r < order.length; r++) rank[order[r] as number] = r;
  return rank;
}
