/**
 * Tokenizer of the built-in embedder: Unicode-aware lower-casing, word splitting, English stop-word
 * removal and a light suffix stemmer (so "meetings"/"meeting"/"met" stay close). docs/embedder.md.
 */

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by for from had has have he her his i in is it its me my of on or our she so ' +
    'that the their them then there these they this to was we were what when where which who will with you your'
  ).split(' '),
);

/** Strip common English inflections (one rule, first match); never leaves fewer than 3 letters. */
export function stem(word: string): string {
  const keep = (n: number, repl = ''): string =>
    word.length - n + repl.length >= 3 ? word.slice(0, word.length - n) + repl : word;
  if (word.endsWith('ies')) return keep(3, 'y');
  if (/(?:ss|sh|ch|x|z)es$/.test(word)) return keep(2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return keep(1);
  if (word.endsWith('ing')) return keep(3);
  if (word.endsWith('ed')) return keep(2);
  return word;
}

/** Lower-cased, stemmed content words of `text`, in order. */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const out: string[] = [];
  for (const w of words) {
    if (STOP_WORDS.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}
