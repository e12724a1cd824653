/**
 * "Did you mean …?" for misspelled keywords: Damerau–Levenshtein (optimal string alignment)
 * distance against the keywords valid at the error position first, then all keywords
 * (docs/mql_grammar.md §5). Short words need a closer match so `x` never suggests `BY`.
 */
import { KEYWORD_NAMES } from '../lexer/keywords.js';

/** Optimal-string-alignment distance (insert, delete, substitute, swap adjacent). */
export function damerauLevenshtein(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

/** Largest distance accepted for a word of this length. */
function maxDistance(length: number): number {
  if (length <= 2) return 0;
  return length <= 4 ? 1 : 2;
}

function closest(word: string, candidates: readonly string[]): string | null {
  const limit = maxDistance(word.length);
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) > limit) continue;
    const dist = damerauLevenshtein(word, c);
    if (dist < bestDistance) { best = c; bestDistance = dist; }
  }
  return best !== null && bestDistance > 0 ? best : null;
}

/**
 * The keyword `word` most likely misspells, or null. `validHere` (keyword names valid at the
 * error position) are tried first; then, when `everywhere`, every keyword.
 */
export function suggestKeyword(word: string, validHere: readonly string[], everywhere = true): string | null {
  if (word.length > 40) return null;
  const upper = word.toUpperCase();
  return closest(upper, validHere) ?? (everywhere ? closest(upper, KEYWORD_NAMES) : null);
}
