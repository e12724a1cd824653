/**
 * MQL keywords: case-insensitive tokens, each in the `Keyword` category, with `longer_alt`
 * Identifier so that `recalled` or `meta.kind` lex as identifiers (docs/mql_grammar.md §1).
 * Keywords are reserved: using one as a memory id or space name needs backquotes.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { Identifier } from './identifier.js';

export const KEYWORD_NAMES = [
  // statements
  'CREATE', 'DROP', 'USE', 'SHOW', 'DESCRIBE', 'REMEMBER', 'ASSOCIATE', 'DISSOCIATE', 'REINFORCE',
  'FORGET', 'RECALL', 'SPREAD', 'PREDICT', 'IMAGINE', 'CONSOLIDATE', 'EXPLAIN', 'PROFILE', 'BEGIN',
  'COMMIT', 'ROLLBACK', 'CHECKPOINT', 'COMPACT', 'BACKUP',
  // clauses and modifiers
  'SPACE', 'SPACES', 'STATS', 'FOR', 'DIM', 'METRIC', 'COSINE', 'L2', 'DOT', 'DECAY', 'NONE',
  'EXPONENTIAL', 'POWER', 'ACTR', 'IF', 'NOT', 'EXISTS', 'AS', 'EMBEDDING', 'CONFIDENCE', 'AT',
  'KIND', 'EPISODIC', 'SEMANTIC', 'META', 'IN', 'WITH', 'WEIGHT', 'BIDIRECTIONAL', 'FROM', 'TIMES',
  'WHERE', 'OF', 'KNOWN', 'ORDER', 'BY', 'ASC', 'DESC', 'LIMIT', 'NO', 'THRESHOLD', 'MAX_HOPS',
  'GIVEN', 'HORIZON', 'BASED', 'ON', 'NOVELTY', 'INTO', 'SIMILARITY', 'MIN_SIZE', 'SCHEDULER',
  'IMMEDIATE', 'INTERVAL', 'TO',
  // conditions and values
  'AND', 'OR', 'CONTAINS', 'BEFORE', 'AFTER', 'NOW', 'TRUE', 'FALSE', 'NULL',
] as const;

export type KeywordName = (typeof KEYWORD_NAMES)[number];

/** Parent category of every keyword (used by error messages and "did you mean"). */
export const Keyword = createToken({ name: 'Keyword', label: 'a keyword', pattern: Lexer.NA });
/** COSINE | L2 | DOT */
export const MetricKeyword = createToken({ name: 'MetricKeyword', label: 'COSINE, L2 or DOT', pattern: Lexer.NA });
/** EPISODIC | SEMANTIC */
export const MemoryKindKeyword = createToken({ name: 'MemoryKindKeyword', label: 'EPISODIC or SEMANTIC', pattern: Lexer.NA });
/** ASC | DESC */
export const DirectionKeyword = createToken({ name: 'DirectionKeyword', label: 'ASC or DESC', pattern: Lexer.NA });
/** TRUE | FALSE */
export const BooleanKeyword = createToken({ name: 'BooleanKeyword', label: 'TRUE or FALSE', pattern: Lexer.NA });

const EXTRA_CATEGORIES: Partial<Record<KeywordName, TokenType>> = {
  COSINE: MetricKeyword, L2: MetricKeyword, DOT: MetricKeyword,
  EPISODIC: MemoryKindKeyword, SEMANTIC: MemoryKindKeyword,
  ASC: DirectionKeyword, DESC: DirectionKeyword,
  TRUE: BooleanKeyword, FALSE: BooleanKeyword,
};

function keyword(name: KeywordName): TokenType {
  const extra = EXTRA_CATEGORIES[name];
  return createToken({
    name,
    label: name,
    pattern: new RegExp(name, 'i'),
    longer_alt: Identifier,
    categories: extra ? [Keyword, extra] : [Keyword],
  });
}

/** Keyword token types by name, e.g. `K.RECALL`. */
export const K = Object.fromEntries(KEYWORD_NAMES.map((n) => [n, keyword(n)])) as Record<KeywordName, TokenType>;

/** Keyword tokens ordered longest first, so `INTO` is tried before `IN` (first match wins). */
export const KEYWORD_TOKENS: TokenType[] = [...KEYWORD_NAMES]
  .sort((a, b) => b.length - a.length || a.localeCompare(b))
  .map((n) => K[n]);

/** The category tokens (no pattern of their own). */
export const KEYWORD_CATEGORIES: TokenType[] = [Keyword, MetricKeyword, MemoryKindKeyword, DirectionKeyword, BooleanKeyword];

const KEYWORD_SET = new Set<string>(KEYWORD_NAMES);

/** True when `word` (any case) is a reserved keyword. */
export function isKeyword(word: string): boolean {
  return KEYWORD_SET.has(word.toUpperCase());
}
