/**
 * Decoding of string literals and backquoted identifiers (docs/mql_grammar.md §1).
 * Escapes: \n \t \r \b \f \\ \' \" \/ and \uXXXX; anything else after a backslash is an error
 * reported at the backslash.
 */
import { MqlSyntaxError } from '../errors/syntax-error.js';

const SIMPLE: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', "'": "'", '"': '"', '/': '/',
};

/** Value of the string token `image` that starts at `offset` in `source`. */
export function unescapeString(image: string, offset: number, source: string): string {
  const body = image.slice(1, -1);
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') { out += ch; continue; }
    const next = body[i + 1] ?? '';
    const simple = SIMPLE[next];
    if (simple !== undefined) { out += simple; i++; continue; }
    if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(body.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
      i += 5;
      continue;
    }
    throw badEscape(body, i, offset + 1 + i, source);
  }
  return out;
}

function badEscape(body: string, at: number, offset: number, source: string): MqlSyntaxError {
  const next = body[at + 1] ?? '';
  const isU = next === 'u';
  const shown = isU ? body.slice(at, at + 6) : `\\${next}`;
  return new MqlSyntaxError({
    source, offset, found: shown,
    reason: isU ? `invalid escape ${shown} in string: \\u needs 4 hex digits` : `invalid escape ${shown} in string`,
    expected: ['\\n', '\\t', '\\r', '\\b', '\\f', '\\\\', "\\'", '\\"', '\\/', '\\uXXXX'],
    suggestion: isU ? null : 'write \\\\ for a backslash',
  });
}

/** Name inside a backquoted identifier: a doubled backquote stands for one. */
export function unquoteBackquoted(image: string): string {
  return image.slice(1, -1).replace(/``/g, '`');
}
