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
 * Returns the sorted names, whether id order equals JS `<` order, and perm[firstIndex] = sortedIndex.
 */
export function sortNames(first: readonly string[], sortedPrefix = 0): { names: string[]; jsOrdered: boolean; perm: Int32Array } {
  const jsOrdered = !first.some(hasSurrogate);
  const cmp = jsOrdered ? (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0) : compareIds;
  const rest = Array.from({ length: first.length - sortedPrefix }, (_, i) => sortedPrefix + i);
  rest.sort((x, y) => cmp(first[x] as string, first[y] as string));
  const n = first.length;
  const names = new Array<string>(n);
  const perm = new Int32Array(n);
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    const takePrefix = i < sortedPrefix && (j >= rest.length || cmp(first[i] as string, first[rest[j] as number] as string) < 0);
    const from = takePrefix ? i++ : (rest[j++] as number);
    const name = first[from] as string;
    names[k] = name;
    perm[from] = k;
  }
  return { names, jsOrdered, perm };
}

/** name → position. */
export function indexOf(names: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < names.length; i++) index.set(names[i] as string, i);
  return index;
}

/**
 * Union of several lists each sorted in id order and duplicate-free (k-way merge with a binary
 * heap of list heads): the merged names and, per list, local position → merged position.
 */
export function mergeSortedNames(lists: ReadonlyArray<readonly string[]>, jsOrdered: boolean): { names: string[]; maps: Int32Array[] } {
  const cmp = jsOrdered ? (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0) : compareIds;
  const maps = lists.map((l) => new Int32Array(l.length));
  const pos = new Int32Array(lists.length);
  const head = (j: number): string => (lists[j] as readonly string[])[pos[j] as number] as string;
  const less = (x: number, y: number): boolean => {
    const c = cmp(head(x), head(y));
    return c < 0 || (c === 0 && x < y);
  };
  const heap: number[] = [];
  const push = (j: number): void => {
    let i = heap.push(j) - 1;
    while (i > 0 && less(heap[i] as number, heap[(i - 1) >> 1] as number)) {
      [heap[i], heap[(i - 1) >> 1]] = [heap[(i - 1) >> 1] as number, heap[i] as number];
      i = (i - 1) >> 1;
    }
  };
  const pop = (): number => {
    const top = heap[0] as number;
    const last = heap.pop() as number;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l] as number, heap[m] as number)) m = l;
        if (r < heap.length && less(heap[r] as number, heap[m] as number)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
        i = m;
      }
    }
    return top;
  };
  lists.forEach((l, j) => l.length > 0 && push(j));
  const names: string[] = [];
  while (heap.length > 0) {
    const j = pop();
    const name = head(j);
    if (names.length === 0 || names[names.length - 1] !== name) names.push(name);
    (maps[j] as Int32Array)[pos[j] as number] = names.length - 1;
    pos[j] = (pos[j] as number) + 1;
    if ((pos[j] as number) < (lists[j] as readonly string[]).length) push(j);
  }
  return { names, maps };
}

/** JS-order rank of each name (only needed when the id order is not JS order). */
export function jsRank(names: readonly string[]): Int32Array {
  const order = names.map((_, i) => i).sort((a, b) => ((names[a] as string) < (names[b] as string) ? -1 : 1));
  const rank = new Int32Array(names.length);
  for (let r = 0; r < order.length; r++) rank[order[r] as number] = r;
  return rank;
}
