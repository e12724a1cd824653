/**
 * Turns chevrotain's first recognition exception into an MqlSyntaxError that reads as English:
 * "expected <what> after <previous>, found <token>", the tokens valid at that point (from the
 * grammar's content assist), and a hint: "did you mean …?", keyword-as-name, clause order, …
 * See docs/mql_grammar.md §5.
 */
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import { clauseOrderHint } from '../errors/clause-order.js';
import { suggestKeyword } from '../errors/did-you-mean.js';
import { decodeFailure, tokenLabel } from '../errors/message-provider.js';
import { MqlSyntaxError } from '../errors/syntax-error.js';
import { Keyword } from '../lexer/keywords.js';
import { Identifier, Semicolon, StringLiteral } from '../lexer/tokens.js';
import { mqlParser } from './mql-parser.js';

/** Content assist is skipped for statements longer than this (it interprets the grammar). */
const ASSIST_MAX_TOKENS = 64;

const isKeywordToken = (t: IToken): boolean => t.tokenType.CATEGORIES?.includes(Keyword) === true;
const truncate = (s: string): string => (s.length > 30 ? `${s.slice(0, 30)}…` : s);

/** `found …` text of a token (undefined = end of input). */
function describeFound(t: IToken | undefined): string {
  if (t === undefined) return 'end of input';
  if (t.tokenType === StringLiteral) return `string ${truncate(t.image)}`;
  return `'${truncate(t.image)}'`;
}

function describePrevious(t: IToken): string {
  if (isKeywordToken(t)) return t.tokenType.name;
  return t.tokenType === StringLiteral ? truncate(t.image) : `'${truncate(t.image)}'`;
}

interface Where {
  index: number;
  token: IToken | undefined;
  previous: IToken | undefined;
  statementStart: number;
}

function locate(tokens: IToken[], e: IRecognitionException): Where {
  const bad = e.token;
  let index = Number.isNaN(bad.startOffset) ? tokens.length : tokens.indexOf(bad);
  if (index < 0) index = tokens.length;
  let statementStart = index;
  while (statementStart > 0 && tokens[statementStart - 1]!.tokenType !== Semicolon) statementStart--;
  return { index, token: tokens[index], previous: tokens[index - 1], statementStart };
}

/** Labels of the tokens the grammar accepts after the statement prefix, or null if too long. */
function assist(tokens: IToken[], where: Where): TokenType[] | null {
  if (where.index - where.statementStart > ASSIST_MAX_TOKENS) return null;
  const prefix = tokens.slice(where.statementStart, where.index);
  const types: TokenType[] = [];
  for (const path of mqlParser.computeContentAssist('statement', prefix)) {
    if (!types.includes(path.nextTokenType)) types.push(path.nextTokenType);
  }
  return types;
}

export function parseFailure(source: string, tokens: IToken[], e: IRecognitionException): MqlSyntaxError {
  const failure = decodeFailure(e.message);
  const where = locate(tokens, e);
  const next = assist(tokens, where);
  const expected = [...new Set(next ? next.map(tokenLabel) : failure.expected)];
  if (failure.kind === 'trailing' || (next !== null && where.index > where.statementStart && next.length === 0)) {
    for (const extra of ["';'", 'end of input']) if (!expected.includes(extra)) expected.push(extra);
  }
  const reason = reasonFor(failure.kind, failure.description, failure.expected, where, expected);
  const keywordsHere = (next ?? []).filter((t) => t.CATEGORIES?.includes(Keyword)).map((t) => t.name);
  return new MqlSyntaxError({
    source,
    offset: where.token?.startOffset ?? source.length,
    reason,
    found: where.token?.image ?? '',
    expected,
    suggestion: hint(tokens, where, failure.description, expected, keywordsHere),
  });
}

function reasonFor(kind: string, description: string | null, own: string[], where: Where, all: string[]): string {
  const found = describeFound(where.token);
  const after = where.previous && where.index > where.statementStart ? ` after ${describePrevious(where.previous)}` : '';
  if (kind === 'trailing' && where.index === where.statementStart) return `expected a statement, found ${found}`;
  if (kind === 'trailing') {
    const clauses = all.length > 2 ? 'a clause, ' : '';
    return `expected ${clauses}';' or end of input${after}, found ${found}`;
  }
  const what = description ?? joinOr(own.length > 0 ? own : all);
  return `expected ${what}${after}, found ${found}`;
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  const shown = items.length > 6 ? [...items.slice(0, 5), 'more'] : items;
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

function hint(tokens: IToken[], where: Where, description: string | null, expected: string[], keywordsHere: string[]): string | null {
  const t = where.token;
  const wantsName = description === 'a memory id' || description === 'a name' || description === 'a pattern';
  if (t === undefined) return null;
  if (t.tokenType === Identifier) {
    const kw = suggestKeyword(t.image, keywordsHere, keywordsHere.length > 0);
    if (kw) return `did you mean ${kw}?`;
    if (description === 'a string') return `strings are quoted: '${truncate(t.image)}'`;
  }
  if (isKeywordToken(t)) {
    if (wantsName) return `${t.tokenType.name} is a keyword; write \`${t.image}\` in backquotes to use it as a name`;
    const verb = tokens[where.statementStart];
    const stmt = verb && (verb.tokenType.name === 'EXPLAIN' || verb.tokenType.name === 'PROFILE') ? tokens[where.statementStart + 1] : verb;
    const atClause = keywordsHere.length > 0 || expected.includes("';'");
    if (stmt && atClause && !keywordsHere.includes(t.tokenType.name)) return clauseOrderHint(stmt.tokenType.name, t.tokenType.name);
  }
  if (t.tokenType === StringLiteral && (description === 'a memory id' || description === 'a name')) {
    return 'ids and names are written bare or in backquotes, e.g. `my id`, not as strings';
  }
  return null;
}
