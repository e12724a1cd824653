/**
 * The one key order of segments: UTF-8 byte order of ids (= Unicode code point order), computed
 * on JS strings without encoding them. Used by the writer's sort, the merge and the model tests.
 * See docs/segment_format.md §2.4.
 */

/** Maps a UTF-16 code unit so that surrogates (code points ≥ U+10000) sort above U+E000..U+FFFF. */
function fixup(c: number): number {
  if (c < 0xd800) return c;
  return c <= 0xdfff ? c + 0x2000 : c - 0x800;
}

/** Compares two strings in UTF-8 byte order: negative, 0 or positive. */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

/** Compares association keys (from, to, kind) in byte order; a null kind sorts first. */
export function compareAssocKeys(
  af: string, at: string, ak: string | null, bf: string, bt: string, bk: string | null,
): number {
  const c = compareIds(af, bf);
  if (c !== 0) return c;
  const d = compareIds(at, bt);
  if (d !== 0) return d;
  if (ak === bk) return 0;
  if (ak === null) return -1;
  if (bk === null) return 1;
  return compareIds(ak, bk);
}

/** True when `items` is already sorted strictly ascending by `cmp` (a fast path before sorting). */
export function isStrictlySorted<T>(items: readonly T[], cmp: (a: T, b: T) => number): boolean {
  for (let i = 1; i < items.length; i++) {
    if (cmp(items[i - 1] as T, items[i] as T) >= 0) return false;
  }
  return true;
}
