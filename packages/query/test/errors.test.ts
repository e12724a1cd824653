/**
 * Parse error tests (docs/mql_grammar.md §5): exact messages with the caret under the source
 * line for 50+ distinct mistakes, the structured fields of MqlSyntaxError, and "did you mean".
 */
import { describe, expect, it } from 'vitest';
import { MnemoError } from '@mnemo/engine';
import { MqlSyntaxError, parse, parseStatement } from '../src/syntax.js';
import { damerauLevenshtein, suggestKeyword } from '../src/errors/did-you-mean.js';

function failure(text: string, opts?: { maxLength?: number; maxDepth?: number }): MqlSyntaxError {
  try {
    parse(text, opts);
  } catch (e) {
    if (e instanceof MqlSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

/** [what is wrong, input, exact format() output] */
const CASES: [string, string, string][] = [
  ["missing pattern", "RECALL ;", "PARSE_ERROR: line 1, column 8: expected a pattern after RECALL, found ';'\n  RECALL ;\n         ^"],
  ["misspelled statement keyword", "RECAL 'coffee'", "PARSE_ERROR: line 1, column 1: expected a statement, found 'RECAL'; did you mean RECALL?\n  RECAL 'coffee'\n  ^"],
  ["misspelled clause keyword", "RECALL x LIMT 5", "PARSE_ERROR: line 1, column 10: expected a clause, ';' or end of input after 'x', found 'LIMT'; did you mean LIMIT?\n  RECALL x LIMT 5\n           ^"],
  ["transposed letters", "SPRAED FROM a", "PARSE_ERROR: line 1, column 1: expected a statement, found 'SPRAED'; did you mean SPREAD?\n  SPRAED FROM a\n  ^"],
  ["misspelled WHERE", "RECALL 'x' WERE id = a", "PARSE_ERROR: line 1, column 12: expected a clause, ';' or end of input after 'x', found 'WERE'; did you mean WHERE?\n  RECALL 'x' WERE id = a\n             ^"],
  ["clause out of order", "RECALL x LIMIT 5 WHERE id = a", "PARSE_ERROR: line 1, column 18: expected a clause, ';' or end of input after '5', found 'WHERE'; RECALL clauses go in this order: THRESHOLD, IN SPACE, WHERE, CONFIDENCE, AS OF, KNOWN AS OF, ORDER BY, LIMIT, NO REINFORCE\n  RECALL x LIMIT 5 WHERE id = a\n                   ^"],
  ["trailing garbage", "RECALL x garbage", "PARSE_ERROR: line 1, column 10: expected a clause, ';' or end of input after 'x', found 'garbage'\n  RECALL x garbage\n           ^"],
  ["trailing number", "RECALL x LIMIT 5 6", "PARSE_ERROR: line 1, column 18: expected a clause, ';' or end of input after '5', found '6'\n  RECALL x LIMIT 5 6\n                   ^"],
  ["unterminated string", "RECALL 'abc", "PARSE_ERROR: line 1, column 8: unterminated string: no closing ' before the end of input\n  RECALL 'abc\n         ^"],
  ["unterminated comment", "RECALL x /* never closed", "PARSE_ERROR: line 1, column 10: unterminated comment: no closing */ before the end of input\n  RECALL x /* never closed\n           ^"],
  ["bad escape", "REMEMBER 'a\\qb'", "PARSE_ERROR: line 1, column 12: invalid escape \\q in string; write \\\\ for a backslash\n  REMEMBER 'a\\qb'\n             ^"],
  ["bad unicode escape", "REMEMBER 'a\\u12g4'", "PARSE_ERROR: line 1, column 12: invalid escape \\u12g4 in string: \\u needs 4 hex digits\n  REMEMBER 'a\\u12g4'\n             ^"],
  ["missing clause value at end", "RECALL x LIMIT", "PARSE_ERROR: line 1, column 15: expected a number after LIMIT, found end of input\n  RECALL x LIMIT\n                ^"],
  ["wrong value type", "RECALL x LIMIT 'five'", "PARSE_ERROR: line 1, column 16: expected a number after LIMIT, found string 'five'\n  RECALL x LIMIT 'five'\n                 ^"],
  ["fractional count", "RECALL x LIMIT 2.5", "PARSE_ERROR: line 1, column 16: LIMIT expects a whole number ≥ 0, found 2.5\n  RECALL x LIMIT 2.5\n                 ^"],
  ["keyword used as an id", "REMEMBER 'x' AS recall", "PARSE_ERROR: line 1, column 17: expected a memory id after AS, found 'recall'; RECALL is a keyword; write `recall` in backquotes to use it as a name\n  REMEMBER 'x' AS recall\n                  ^"],
  ["string where an id is expected", "ASSOCIATE 'a' WITH b", "PARSE_ERROR: line 1, column 11: expected a memory id after ASSOCIATE, found string 'a'; ids and names are written bare or in backquotes, e.g. `my id`, not as strings\n  ASSOCIATE 'a' WITH b\n            ^"],
  ["unknown metric", "CREATE SPACE s METRIC EUCLID", "PARSE_ERROR: line 1, column 23: expected COSINE, L2 or DOT after METRIC, found 'EUCLID'\n  CREATE SPACE s METRIC EUCLID\n                        ^"],
  ["unknown decay model", "CREATE SPACE s DECAY LINEAR(3)", "PARSE_ERROR: line 1, column 22: expected a decay model (NONE, EXPONENTIAL(half_life), POWER(d) or ACTR(d, tau, s)) after DECAY, found 'LINEAR'\n  CREATE SPACE s DECAY LINEAR(3)\n                       ^"],
  ["confidence out of range", "REMEMBER 'x' CONFIDENCE 1.5", "PARSE_ERROR: line 1, column 25: a confidence is between 0 and 1, found 1.5\n  REMEMBER 'x' CONFIDENCE 1.5\n                          ^"],
  ["inverted interval", "REMEMBER 'x' CONFIDENCE [0.9, 0.1]", "PARSE_ERROR: line 1, column 25: an interval needs 0 ≤ lo ≤ hi ≤ 1, found [0.9, 0.1]\n  REMEMBER 'x' CONFIDENCE [0.9, 0.1]\n                          ^"],
  ["non-numeric vector", "REMEMBER 'x' EMBEDDING ['a']", "PARSE_ERROR: line 1, column 25: a vector holds numbers only\n  REMEMBER 'x' EMBEDDING ['a']\n                          ^"],
  ["unknown field", "RECALL * WHERE scor > 1", "PARSE_ERROR: line 1, column 16: unknown field 'scor'; did you mean score?\n  RECALL * WHERE scor > 1\n                 ^"],
  ["dangling AND", "RECALL * WHERE id = a AND", "PARSE_ERROR: line 1, column 26: expected a condition after AND, found end of input\n  RECALL * WHERE id = a AND\n                           ^"],
  ["unclosed parenthesis", "RECALL * WHERE (id = a", "PARSE_ERROR: line 1, column 23: expected ')' after 'a', found end of input\n  RECALL * WHERE (id = a\n                        ^"],
  ["bad confidence operator", "RECALL * CONFIDENCE = 0.5", "PARSE_ERROR: line 1, column 21: CONFIDENCE filters compare with >, >=, < or <=, found '='\n  RECALL * CONFIDENCE = 0.5\n                      ^"],
  ["THRESHOLD on an id", "RECALL x THRESHOLD 0.5", "PARSE_ERROR: line 1, column 10: THRESHOLD applies to a vector, text or parameter pattern, not to an id or *\n  RECALL x THRESHOLD 0.5\n           ^"],
  ["unknown SHOW target", "SHOW TABLES", "PARSE_ERROR: line 1, column 6: expected SPACES or STATS after SHOW, found 'TABLES'\n  SHOW TABLES\n       ^"],
  ["not a time", "RECALL * WHERE created BEFORE 'yesterday'", "PARSE_ERROR: line 1, column 31: 'yesterday' is not a time; write an ISO-8601 time such as '2024-05-01T12:00:00Z', unix seconds, or NOW - 7d\n  RECALL * WHERE created BEFORE 'yesterday'\n                                ^"],
  ["duplicate object key", "REMEMBER 'x' META {\"a\": 1, \"a\": 2}", "PARSE_ERROR: line 1, column 28: duplicate key \"a\" in object\n  REMEMBER 'x' META {\"a\": 1, \"a\": 2}\n                             ^"],
  ["missing colon", "REMEMBER 'x' META {\"a\" 1}", "PARSE_ERROR: line 1, column 24: expected ':' after \"a\", found '1'\n  REMEMBER 'x' META {\"a\" 1}\n                         ^"],
  ["empty CONSOLIDATE", "CONSOLIDATE", "PARSE_ERROR: line 1, column 12: expected a pattern, WHERE or * after CONSOLIDATE, found end of input\n  CONSOLIDATE\n             ^"],
  ["unknown scheduler", "CONSOLIDATE * SCHEDULER WEEKLY", "PARSE_ERROR: line 1, column 25: expected IMMEDIATE, INTERVAL <duration> or THRESHOLD <n> after SCHEDULER, found 'WEEKLY'\n  CONSOLIDATE * SCHEDULER WEEKLY\n                          ^"],
  ["missing GIVEN", "PREDICT 'x' LIMIT 3", "PARSE_ERROR: line 1, column 13: expected GIVEN after 'x', found 'LIMIT'; PREDICT clauses go in this order: GIVEN, IN SPACE, HORIZON, CONFIDENCE, LIMIT\n  PREDICT 'x' LIMIT 3\n              ^"],
  ["dangling comma", "SPREAD FROM a,", "PARSE_ERROR: line 1, column 15: expected a memory id after ',', found end of input\n  SPREAD FROM a,\n                ^"],
  ["unquoted path", "BACKUP TO dir", "PARSE_ERROR: line 1, column 11: expected a string after TO, found 'dir'; strings are quoted: 'dir'\n  BACKUP TO dir\n            ^"],
  ["nested EXPLAIN", "EXPLAIN EXPLAIN RECALL x", "PARSE_ERROR: line 1, column 9: expected a statement after EXPLAIN, found 'EXPLAIN'\n  EXPLAIN EXPLAIN RECALL x\n          ^"],
  ["error on a later line", "RECALL x\nLIMIT 5\n  WHERE", "PARSE_ERROR: line 3, column 3: expected a clause, ';' or end of input after '5', found 'WHERE'; RECALL clauses go in this order: THRESHOLD, IN SPACE, WHERE, CONFIDENCE, AS OF, KNOWN AS OF, ORDER BY, LIMIT, NO REINFORCE\n    WHERE\n    ^"],
  ["invalid duration", "REMEMBER 'x' AT NOW - 5min", "PARSE_ERROR: line 1, column 23: invalid number '5min'; durations are written 500ms 30s 5m 2h 7d 3w\n  REMEMBER 'x' AT NOW - 5min\n                        ^"],
  ["lone dollar", "RECALL $", "PARSE_ERROR: line 1, column 8: expected a parameter name after '$'\n  RECALL $\n         ^"],
  ["missing space name", "DROP SPACE", "PARSE_ERROR: line 1, column 11: expected a name after SPACE, found end of input\n  DROP SPACE\n            ^"],
  ["unterminated backquote", "USE SPACE `", "PARSE_ERROR: line 1, column 11: unterminated identifier: no closing ` before the end of input\n  USE SPACE `\n            ^"],
  ["IF NOT EXISTS twice", "CREATE SPACE IF NOT EXISTS s IF NOT EXISTS", "PARSE_ERROR: line 1, column 30: IF NOT EXISTS given twice\n  CREATE SPACE IF NOT EXISTS s IF NOT EXISTS\n                               ^"],
  ["SQL instead of MQL", "RECALL x; SELECT * FROM t", "PARSE_ERROR: line 1, column 11: expected a statement, found 'SELECT'\n  RECALL x; SELECT * FROM t\n            ^"],
  ["negative count", "REINFORCE m TIMES -1", "PARSE_ERROR: line 1, column 19: TIMES expects a whole number ≥ 0, found -1\n  REINFORCE m TIMES -1\n                    ^"],
  ["number out of range", "RECALL * LIMIT 1e999", "PARSE_ERROR: line 1, column 16: number 1e999 is out of range\n  RECALL * LIMIT 1e999\n                 ^"],
  ["unexpected character", "RECALL x WHERE id = a & id = b", "PARSE_ERROR: line 1, column 23: unexpected character '&'\n  RECALL x WHERE id = a & id = b\n                        ^"],
  ["smart quotes", "RECALL \u201Ccoffee\u201D", "PARSE_ERROR: line 1, column 8: unexpected character '\u201C'; use straight quotes ' or \" for strings\n  RECALL \u201Ccoffee\u201D\n         ^"],
  ["unclosed vector", "RECALL [1, 2 LIMIT 3", "PARSE_ERROR: line 1, column 14: expected ']' after '2', found 'LIMIT'\n  RECALL [1, 2 LIMIT 3\n               ^"],
  ["empty vector", "RECALL []", "PARSE_ERROR: line 1, column 8: a vector needs at least one number\n  RECALL []\n         ^"],
  ["tabs are shown as spaces", "RECALL\tx\tLIMT 5", "PARSE_ERROR: line 1, column 10: expected a clause, ';' or end of input after 'x', found 'LIMT'; did you mean LIMIT?\n  RECALL x LIMT 5\n           ^"],
];

describe('error messages with carets', () => {
  it.each(CASES)('%s', (_name, input, expected) => {
    expect(failure(input).format()).toBe(expected);
  });

  it('has at least 25 distinct cases', () => {
    expect(new Set(CASES.map((c) => c[2])).size).toBeGreaterThanOrEqual(25);
  });

  it('too-deep nesting and too-long input', () => {
    expect(failure('RECALL * WHERE ((id = a))', { maxDepth: 1 }).format()).toBe(
      'LIMIT_EXCEEDED: line 1, column 17: nesting deeper than 1 levels of (, [ or {\n  RECALL * WHERE ((id = a))\n                  ^',
    );
    expect(failure("RECALL 'x'", { maxLength: 5 }).format()).toBe(
      "LIMIT_EXCEEDED: line 1, column 6: input is 10 bytes, longer than the limit of 5 bytes; split the script, or pass large values as parameters\n  RECALL 'x'\n       ^",
    );
    expect(failure(`RECALL * WHERE ${'NOT '.repeat(3)}id = a`, { maxDepth: 2 }).format()).toBe(
      'LIMIT_EXCEEDED: line 1, column 24: condition nested deeper than 2 levels\n  RECALL * WHERE NOT NOT NOT id = a\n                         ^',
    );
  });

  it('long lines are shown as a window around the error', () => {
    const e = failure(`RECALL [${'1, '.repeat(100)}x]`);
    const [, line, caret] = e.format().split('\n');
    expect(line!.startsWith('  …')).toBe(true);
    expect(line!.length).toBeLessThan(140);
    expect(line![caret!.indexOf('^')]).toBe('x');
  });
});

describe('MqlSyntaxError fields', () => {
  it('is a MnemoError with code, position, found, expected and suggestion', () => {
    const e = failure('RECALL x\n  LIMT 5');
    expect(e).toBeInstanceOf(MnemoError);
    expect(e.code).toBe('PARSE_ERROR');
    expect([e.line, e.column, e.offset]).toEqual([2, 3, 11]);
    expect(e.sourceLine).toBe('  LIMT 5');
    expect(e.found).toBe('LIMT');
    expect(e.expected).toContain('LIMIT');
    expect(e.expected).toContain("';'");
    expect(e.suggestion).toBe('did you mean LIMIT?');
    expect(e.message).toBe("line 2, column 3: expected a clause, ';' or end of input after 'x', found 'LIMT'; did you mean LIMIT?");
    expect(e.toJSON()).toMatchObject({ code: 'PARSE_ERROR', line: 2, column: 3, offset: 11, found: 'LIMT', suggestion: 'did you mean LIMIT?' });
  });
  it('keeps found short when the offending token is huge (a 500 KB string must not be copied into the error)', () => {
    const e = failure(`RECALL x '${'y'.repeat(500_000)}'`);
    expect(e.found).toBe(`'${'y'.repeat(39)}`);
    expect(JSON.stringify(e.toJSON()).length).toBeLessThan(1000);
    expect(e.reason).toBe(`expected a clause, ';' or end of input after 'x', found string '${'y'.repeat(29)}…`);
  });

  it('reports end of input as found ""', () => {
    const e = failure('RECALL');
    expect([e.found, e.offset, e.column]).toEqual(['', 6, 7]);
    expect(e.reason).toBe('expected a pattern after RECALL, found end of input');
  });
  it('parseStatement errors use the same format', () => {
    expect(() => parseStatement('BEGIN; COMMIT')).toThrow(MqlSyntaxError);
  });
  it('CRLF line endings count as one line break', () => {
    const e = failure('RECALL x\r\nLIMIT\r\n  oops');
    expect([e.line, e.column]).toEqual([3, 3]);
  });
});

describe('did you mean', () => {
  it('Damerau–Levenshtein distance counts a transposition as one edit', () => {
    expect(damerauLevenshtein('SPRAED', 'SPREAD')).toBe(1);
    expect(damerauLevenshtein('RECAL', 'RECALL')).toBe(1);
    expect(damerauLevenshtein('abc', 'abc')).toBe(0);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
    expect(damerauLevenshtein('LIMIT', 'TIMES')).toBeGreaterThan(2);
  });
  it('prefers keywords valid at the position, then all keywords', () => {
    expect(suggestKeyword('DESK', ['DESC'])).toBe('DESC');
    expect(suggestKeyword('WERE', [])).toBe('WHERE');
    expect(suggestKeyword('WERE', [], false)).toBeNull();
    expect(suggestKeyword('CONSOLDATE', [])).toBe('CONSOLIDATE');
  });
  it('never suggests for short or far-off words', () => {
    expect(suggestKeyword('y', [])).toBeNull();
    expect(suggestKeyword('xyzzy', [])).toBeNull();
    expect(failure('RECALL x y').suggestion).toBeNull();
  });
  it('suggests misspelled keywords in lower case too', () => {
    expect(failure('recall x ordr by score').suggestion).toBe('did you mean ORDER?');
    expect(failure('remember x').suggestion).toBe("strings are quoted: 'x'");
  });
});
