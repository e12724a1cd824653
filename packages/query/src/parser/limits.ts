/**
 * Input limits checked before parsing: text length (UTF-8 bytes) and bracket nesting depth.
 * The depth check runs on the token stream, so the recursive-descent parser never sees input
 * deep enough to exhaust the stack (docs/mql_grammar.md §3).
 */
import type { IToken } from 'chevrotain';
import { MqlSyntaxError } from '../errors/syntax-error.js';

export const DEFAULT_MAX_LENGTH = 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;

/** Throws LIMIT_EXCEEDED when `text` is longer than `maxBytes` UTF-8 bytes. */
export function checkLength(text: string, maxBytes: number): void {
  if (text.length <= maxBytes / 3) return;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return;
  throw new MqlSyntaxError({
    code: 'LIMIT_EXCEEDED', source: text, offset: offsetOfByte(text, maxBytes),
    reason: `input is ${bytes} bytes, longer than the limit of ${maxBytes} bytes`,
    suggestion: 'split the script, or pass large values as parameters',
  });
}

/** Offset of the character containing UTF-8 byte `limit`. */
function offsetOfByte(text: string, limit: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : c >= 0xdc00 && c < 0xe000 ? 0 : 3;
    if (bytes > limit) return i;
  }
  return text.length;
}

const OPEN = new Set(['LParen', 'LBracket', 'LBrace']);
const CLOSE = new Set(['RParen', 'RBracket', 'RBrace']);

/** Throws LIMIT_EXCEEDED at the first (, [ or { nested deeper than `maxDepth`. */
export function checkNesting(text: string, tokens: IToken[], maxDepth: number): void {
  let depth = 0;
  for (const t of tokens) {
    const name = t.tokenType.name;
    if (OPEN.has(name)) {
      depth++;
      if (depth > maxDepth) {
        throw new MqlSyntaxError({
          code: 'LIMIT_EXCEEDED', source: text, offset: t.startOffset, found: t.image,
          reason: `nesting deeper than ${maxDepth} levels of (, [ or {`,
        });
      }
    } else if (CLOSE.has(name) && depth > 0) {
      depth--;
    }
  }
}
