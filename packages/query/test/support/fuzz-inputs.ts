/**
 * Input generators for the parser fuzz test: random code units, token soup from the real token
 * set, mutations of grammar-generated statements, deep nesting and huge literals. All seeded.
 */
import { KEYWORD_NAMES, print } from '../../src/syntax.js';
import type { Rng } from '@mnemo/engine';
import { StatementGen } from './random-statements.js';

const ALPHABET = `abcXYZ_019 \t\n\r;,()[]{}:*+-=!<>?$\`'"\\/.éλ☕\u0000\u2028`;

/** Random text: mostly printable ASCII and MQL punctuation, sometimes any UTF-16 code unit. */
export function randomText(r: Rng, maxLength: number): string {
  const n = r.int(maxLength + 1);
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = r.int(10);
    if (k < 5) s += ALPHABET[r.int(ALPHABET.length)];
    else if (k < 9) s += String.fromCharCode(32 + r.int(95));
    else s += String.fromCharCode(r.int(0x10000));
  }
  return s;
}

const PIECES = [
  ...KEYWORD_NAMES, ...KEYWORD_NAMES.map((k) => k.toLowerCase()),
  ';', ',', '(', ')', '[', ']', '{', '}', ':', '*', '+', '-', '=', '!=', '<>', '<', '<=', '>', '>=', '?', '$p', '$1',
  "'str'", '"dq"', "'esc\\n'", '`bq id`', 'm1', 'a-b', 'x.y:z', 'meta.tags', 'content', 'created', 'score', 'id',
  '42', '-3', '0.5', '1e-3', '7d', '500ms', '1.5h', 'NOW-7d', '-- c\n', '/* c */', "'", '"', '`', '/*', '$', '5min', '\n',
];

/** 1–40 real token images joined by spaces (or nothing). */
export function tokenSoup(r: Rng): string {
  const n = 1 + r.int(40);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.pick(PIECES));
  return out.join(r.bool(0.85) ? ' ' : '');
}

/** A printed random valid statement, then 0–3 character or token mutations. */
export function mutatedStatement(r: Rng, gen: StatementGen): { text: string; mutated: boolean } {
  let text = print(gen.statement());
  const rounds = r.int(4);
  for (let i = 0; i < rounds; i++) text = mutate(r, text);
  return { text, mutated: rounds > 0 };
}

function mutate(r: Rng, text: string): string {
  const at = r.int(text.length + 1);
  switch (r.int(7)) {
    case 0: return text.slice(0, at) + text.slice(at + 1 + r.int(5));
    case 1: return text.slice(0, at) + r.pick(PIECES) + text.slice(at);
    case 2: return text.slice(0, at) + ` ${r.pick(PIECES)} ` + text.slice(at);
    case 3: return text.slice(0, at);
    case 4: return text.slice(0, at) + text.slice(r.int(text.length + 1));
    case 5: return text.slice(0, at) + String.fromCharCode(r.int(128)) + text.slice(at + 1);
    default: {
      const words = text.split(' ');
      const i = r.int(words.length);
      const j = r.int(words.length);
      [words[i], words[j]] = [words[j]!, words[i]!];
      return words.join(' ');
    }
  }
}

/** Inputs nested `depth` levels deep in every nesting construct (closed and unclosed). */
export function deepInputs(depth: number): string[] {
  const cond = `RECALL * WHERE ${'('.repeat(depth)}id = a${')'.repeat(depth)}`;
  return [
    cond,
    cond.slice(0, cond.length - depth),
    `RECALL * WHERE ${'NOT '.repeat(depth)}id = a`,
    `RECALL [${'['.repeat(depth)}1${']'.repeat(depth)}]`,
    `REMEMBER 'x' META ${'{"a": '.repeat(depth)}1${'}'.repeat(depth)}`,
    `REMEMBER 'x' META {"a": ${'['.repeat(depth)}`,
    '('.repeat(depth),
    ')'.repeat(depth),
    `RECALL * WHERE ${'id = a AND '.repeat(depth)}id = b`,
    `RECALL * WHERE ${'(NOT '.repeat(depth)}id = a${')'.repeat(depth)}`,
    `${'EXPLAIN '.repeat(depth)}RECALL x`,
    ';'.repeat(depth),
  ];
}

/** Inputs with literals around 1 MB, under and over the default limit. */
export function hugeInputs(): string[] {
  const mb = 1024 * 1024;
  const nums = Array.from({ length: 50_000 }, (_, i) => (i % 7) / 10).join(',');
  return [
    `RECALL '${'x'.repeat(mb - 20)}'`,
    `RECALL '${'x'.repeat(mb)}'`,
    `RECALL '${'\\n'.repeat(mb / 2 - 20)}'`,
    `RECALL '${'y'.repeat(mb - 20)}`,
    `RECALL [${nums}]`,
    `RECALL x /* ${'c'.repeat(mb - 30)} */`,
    `RECALL x /* ${'c'.repeat(mb - 30)}`,
    `-- ${'c'.repeat(mb - 10)}`,
    `RECALL \`${'z'.repeat(mb - 20)}\``,
    `REMEMBER 'x' META {${Array.from({ length: 10_000 }, (_, i) => `"k${i}": ${i}`).join(', ')}}`,
    `RECALL * WHERE id IN (${Array.from({ length: 20_000 }, (_, i) => `m${i}`).join(',')})`,
    'RECALL x; '.repeat(20_000),
    `${'9'.repeat(mb - 10)}`,
    `RECALL ${'é'.repeat(mb / 2 + 10)}`,
  ];
}
