/**
 * The Identifier token: `[A-Za-z_][A-Za-z0-9_\-.:]*`, except that `--` never occurs inside one
 * (it starts a comment) and a `:` must be followed by a letter, digit or `_` (so `{tags: 1}` works).
 * Separate from tokens.ts because keywords need it as their longer_alt. See docs/mql_grammar.md §1.
 */
import { createToken } from 'chevrotain';

export const Identifier = createToken({
  name: 'Identifier',
  label: 'an identifier',
  pattern: /[A-Za-z_](?:[A-Za-z0-9_.]|-(?!-)|:(?=[A-Za-z0-9_]))*/,
});

/** Longest identifier in UTF-8 bytes (bare or backquoted). */
export const MAX_IDENTIFIER_BYTES = 256;
