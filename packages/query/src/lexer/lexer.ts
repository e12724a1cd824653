/**
 * The MQL lexer: ONE chevrotain Lexer instance over ALL_TOKENS, plus the checks chevrotain cannot
 * express (unterminated strings/comments, bad numbers, escapes, identifier length). Any lexical
 * problem becomes an MqlSyntaxError at the exact offset. See docs/mql_grammar.md §1.
 */
import { Lexer, type IToken, type ILexingError } from 'chevrotain';
import { MqlSyntaxError } from '../errors/syntax-error.js';
import { MAX_IDENTIFIER_BYTES } from './identifier.js';
import {
  ALL_TOKENS, BackquotedIdentifier, BadDollar, BadNumber, ERROR_TOKENS, Identifier, StringLiteral,
  UnterminatedBackquote, UnterminatedComment, UnterminatedString,
} from './tokens.js';
import { unescapeString, unquoteBackquoted } from './unescape.js';

/**
 * recoveryEnabled: false — stop at the first character no token matches. The first lexing error
 * is all tokenize() reports, and chevrotain's recovery (re-trying every pattern at every following
 * offset) made 1 MB of unmatchable text take seconds.
 */
const lexer = new Lexer(ALL_TOKENS, { positionTracking: 'full', ensureOptimizations: true, recoveryEnabled: false });

/**
 * Tokens of `text` (comments and whitespace dropped). StringLiteral tokens carry their decoded
 * value and identifier tokens their name in `payload`.
 */
export function tokenize(text: string): IToken[] {
  const result = lexer.tokenize(text);
  const firstError = result.errors[0];
  const tokens = result.tokens;
  for (const token of tokens) {
    if (firstError !== undefined && token.startOffset > firstError.offset) break;
    if (ERROR_TOKENS.has(token.tokenType)) throw errorToken(token, text);
    decorate(token, text);
  }
  if (firstError !== undefined) throw unexpectedCharacter(firstError, text);
  return tokens;
}

function decorate(token: IToken, text: string): void {
  const type = token.tokenType;
  if (type === StringLiteral) {
    token.payload = unescapeString(token.image, token.startOffset, text);
  } else if (type === Identifier || type === BackquotedIdentifier) {
    const name = type === Identifier ? token.image : unquoteBackquoted(token.image);
    if (name.length === 0) {
      throw new MqlSyntaxError({ source: text, offset: token.startOffset, found: token.image, reason: 'empty identifier ``' });
    }
    if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
      throw new MqlSyntaxError({
        source: text, offset: token.startOffset, found: token.image.slice(0, 20),
        reason: `identifier longer than ${MAX_IDENTIFIER_BYTES} bytes`,
      });
    }
    token.payload = name;
  }
}

function errorToken(token: IToken, text: string): MqlSyntaxError {
  const at = { source: text, offset: token.startOffset, found: token.image };
  switch (token.tokenType) {
    case UnterminatedString:
      return new MqlSyntaxError({ ...at, reason: `unterminated string: no closing ${token.image} before the end of input` });
    case UnterminatedComment:
      return new MqlSyntaxError({ ...at, reason: 'unterminated comment: no closing */ before the end of input' });
    case UnterminatedBackquote:
      return new MqlSyntaxError({ ...at, reason: 'unterminated identifier: no closing ` before the end of input' });
    case BadNumber:
      return new MqlSyntaxError({
        ...at, found: token.image.slice(0, 40), reason: `invalid number '${token.image.slice(0, 40)}'`,
        suggestion: /^\d+(\.\d+)?[A-Za-z]/.test(token.image) ? 'durations are written 500ms 30s 5m 2h 7d 3w' : null,
      });
    case BadDollar:
      return new MqlSyntaxError({ ...at, reason: "expected a parameter name after '$'", expected: ['a parameter name'] });
    default:
      return new MqlSyntaxError({ ...at, reason: `unexpected '${token.image}'` });
  }
}

const SMART_QUOTES = /[\u2018\u2019\u201C\u201D]/;

function unexpectedCharacter(error: ILexingError, text: string): MqlSyntaxError {
  const cp = text.codePointAt(error.offset) ?? 0;
  const ch = String.fromCodePoint(cp);
  const printable = cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0);
  const shown = printable ? `'${ch}'` : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  let suggestion: string | null = null;
  if (SMART_QUOTES.test(ch)) suggestion = 'use straight quotes \' or " for strings';
  else if (ch === '.' && /\d/.test(text[error.offset + 1] ?? '')) suggestion = 'write a leading zero, e.g. 0.5';
  return new MqlSyntaxError({ source: text, offset: error.offset, found: ch, reason: `unexpected character ${shown}`, suggestion });
}
