/**
 * Hand-written scanners for the MQL tokens whose regular expressions could backtrack badly on
 * megabyte inputs: quoted strings, backquoted identifiers and block comments (docs/mql_grammar.md §1).
 * Each scanner is linear, allocation-free until it matches, and returns null when the token is
 * unterminated (the lexer then matches the one-character "unterminated" token and reports it).
 */

type Match = [string];

/** `'...'` or `"..."`; a backslash escapes the next character (escapes are validated later). */
export function scanString(text: string, offset: number): Match | null {
  const quote = text.charCodeAt(offset);
  if (quote !== 39 && quote !== 34) return null;
  for (let i = offset + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === quote) return [text.slice(offset, i + 1)];
  }
  return null;
}

/** `` `any text` ``; a doubled backquote stands for one backquote. */
export function scanBackquoted(text: string, offset: number): Match | null {
  if (text.charCodeAt(offset) !== 96) return null;
  for (let i = offset + 1; i < text.length; i++) {
    if (text.charCodeAt(i) !== 96) continue;
    if (text.charCodeAt(i + 1) === 96) { i++; continue; }
    return [text.slice(offset, i + 1)];
  }
  return null;
}

/** `/* ... *\/` (not nested). */
export function scanBlockComment(text: string, offset: number): Match | null {
  if (text.charCodeAt(offset) !== 47 || text.charCodeAt(offset + 1) !== 42) return null;
  const end = text.indexOf('*/', offset + 2);
  return end < 0 ? null : [text.slice(offset, end + 2)];
}
