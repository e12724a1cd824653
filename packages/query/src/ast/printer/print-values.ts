/**
 * Printer handlers for values, ids and parameters: canonical MQL text that lexes back to the
 * same node (strings single-quoted with escapes, ids backquoted when needed, -0 kept)
 * (docs/mql_grammar.md §4).
 */
import { MnemoError } from '@mnemo/engine';
import { Identifier } from '../../lexer/identifier.js';
import { tokenize } from '../../lexer/lexer.js';
import type { JsonValue } from '../values.js';
import type { PrintChild, Printers } from './printers.js';

const ESCAPES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\\': '\\\\' };

/** A string literal in single quotes. */
export function quote(s: string, q: "'" | '"' = "'"): string {
  let out = q;
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === q) out += `\\${q}`;
    else if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}${q}`;
}

/** True when `name` lexes back as exactly one bare Identifier token with the same text. */
function lexesAsIdentifier(name: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(name)) return false;
  try {
    const tokens = tokenize(name);
    return tokens.length === 1 && tokens[0]!.tokenType === Identifier && tokens[0]!.image === name;
  } catch {
    return false;
  }
}

/** A memory id or name: bare when it lexes as one identifier, else in backquotes. */
export function printName(name: string): string {
  return lexesAsIdentifier(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

export function printNumber(v: number): string {
  if (!Number.isFinite(v)) throw new MnemoError('INVALID_ARGUMENT', `cannot print the number ${v} as MQL`);
  return Object.is(v, -0) ? '-0' : String(v);
}

/**
 * `v` in plain decimal notation: the digits of its shortest round-trip form with the exponent
 * written out (1e-7 → 0.0000001, 1e21 → 1000000000000000000000). Durations need it: their token
 * (`\d+(\.\d+)?unit`) has no exponent.
 */
export function printPlainNumber(v: number): string {
  const s = printNumber(v);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Inside objects and arrays strings are printed JSON-style, in double quotes. */
const jsonItem = (n: JsonValue, p: PrintChild): string => (n.kind === 'Literal.String' ? quote(n.value, '"') : p(n));

export const valuePrinters: Pick<Printers, 'Literal.String' | 'Literal.Number' | 'Literal.Boolean' | 'Literal.Null'
  | 'Literal.Vector' | 'Literal.Interval' | 'Entry' | 'Literal.Object' | 'Literal.Array' | 'Literal.Duration'
  | 'Literal.Now' | 'Param' | 'Id' | 'All'> = {
  'Literal.String': (n) => quote(n.value),
  'Literal.Number': (n) => printNumber(n.value),
  'Literal.Boolean': (n) => (n.value ? 'true' : 'false'),
  'Literal.Null': () => 'null',
  'Literal.Vector': (n) => `[${n.values.map(printNumber).join(', ')}]`,
  'Literal.Interval': (n) => `[${printNumber(n.lo)}, ${printNumber(n.hi)}]`,
  Entry: (n, p) => `${quote(n.key, '"')}: ${jsonItem(n.value, p)}`,
  'Literal.Object': (n, p) => (n.entries.length === 0 ? '{}' : `{ ${n.entries.map(p).join(', ')} }`),
  'Literal.Array': (n, p) => `[${n.items.map((i) => jsonItem(i, p)).join(', ')}]`,
  'Literal.Duration': (n) => `${printPlainNumber(n.value)}${n.unit}`,
  'Literal.Now': (n, p) => (n.op && n.offset ? `NOW ${n.op} ${p(n.offset)}` : 'NOW'),
  Param: (n) => (n.name !== null ? `$${n.name}` : '?'),
  Id: (n) => printName(n.name),
  All: () => '*',
};
