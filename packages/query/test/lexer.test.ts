/**
 * Lexer unit tests (docs/mql_grammar.md §1): keywords vs identifiers, `-` in names vs
 * `NOW - 7d` and negative numbers, numbers vs durations, strings and escapes, comments,
 * parameters, operators, and lexical errors.
 */
import { describe, expect, it } from 'vitest';
import { KEYWORD_NAMES, MqlSyntaxError, isKeyword, tokenize } from '../src/syntax.js';

/** `Type:image` for every token. */
const lex = (text: string): string[] => tokenize(text).map((t) => `${t.tokenType.name}:${t.image}`);
const types = (text: string): string[] => tokenize(text).map((t) => t.tokenType.name);
const payloads = (text: string): unknown[] => tokenize(text).map((t) => t.payload);

describe('keywords', () => {
  it('are case-insensitive', () => {
    expect(types('recall RECALL ReCaLl')).toEqual(['RECALL', 'RECALL', 'RECALL']);
  });
  it('every keyword lexes as itself, in any case', () => {
    for (const k of KEYWORD_NAMES) {
      expect(types(k)).toEqual([k]);
      expect(types(k.toLowerCase())).toEqual([k]);
      expect(isKeyword(k.toLowerCase())).toBe(true);
    }
  });
  it('longer words are identifiers (longer_alt), and INTO is not IN + TO', () => {
    expect(lex('recalled into interval nowhere notes asc ascending l2x')).toEqual([
      'Identifier:recalled', 'INTO:into', 'INTERVAL:interval', 'Identifier:nowhere', 'Identifier:notes', 'ASC:asc',
      'Identifier:ascending', 'Identifier:l2x',
    ]);
  });
  it('MAX_HOPS and MIN_SIZE are single keywords', () => {
    expect(types('max_hops MIN_SIZE max_hopsx')).toEqual(['MAX_HOPS', 'MIN_SIZE', 'Identifier']);
  });
  it('meta paths are identifiers even when a part is a keyword', () => {
    expect(lex('meta.kind meta.a.b')).toEqual(['Identifier:meta.kind', 'Identifier:meta.a.b']);
  });
});

describe('identifiers', () => {
  it('may contain - . : after the first character', () => {
    expect(lex('a-b x.y:z _u1 m-1')).toEqual(['Identifier:a-b', 'Identifier:x.y:z', 'Identifier:_u1', 'Identifier:m-1']);
  });
  it('never contain -- (a comment starts there)', () => {
    expect(lex('x--comment\ny')).toEqual(['Identifier:x', 'Identifier:y']);
  });
  it('never end with : (so object keys need no space)', () => {
    expect(lex('{tags: 1}')).toEqual(['LBrace:{', 'Identifier:tags', 'Colon::', 'NumberLiteral:1', 'RBrace:}']);
  });
  it('backquoted: any text, `` for a backquote, keywords allowed', () => {
    expect(payloads('`recall` `a b` `x``y` `ü-ñ`')).toEqual(['recall', 'a b', 'x`y', 'ü-ñ']);
    expect(types('`recall`')).toEqual(['BackquotedIdentifier']);
  });
  it('are limited to 256 UTF-8 bytes', () => {
    expect(types('a'.repeat(256))).toEqual(['Identifier']);
    expect(() => tokenize('a'.repeat(257))).toThrow(/identifier longer than 256 bytes/);
    expect(() => tokenize(`\`${'é'.repeat(129)}\``)).toThrow(/longer than 256 bytes/);
    expect(types(`\`${'é'.repeat(128)}\``)).toEqual(['BackquotedIdentifier']);
  });
});

describe('minus: names, NOW - 7d, negative numbers', () => {
  it('NOW - 7d with and without spaces', () => {
    expect(types('NOW - 7d')).toEqual(['NOW', 'Minus', 'DurationLiteral']);
    expect(types('NOW-7d')).toEqual(['NowBeforeOffset', 'Minus', 'DurationLiteral']);
    expect(types('now+1d')).toEqual(['NowBeforeOffset', 'Plus', 'DurationLiteral']);
    expect(types('NOW -7d')).toEqual(['NOW', 'Minus', 'DurationLiteral']);
  });
  it('NOW-$d and NOW-? work like NOW+$d (a parameter may stand where the duration literal may)', () => {
    expect(types('NOW-$d')).toEqual(['NowBeforeOffset', 'Minus', 'NamedParam']);
    expect(types('now+?')).toEqual(['NowBeforeOffset', 'Plus', 'PositionalParam']);
  });
  it('NOW followed by a non-digit stays a name', () => {
    expect(lex('now-ish nowhere-1')).toEqual(['Identifier:now-ish', 'Identifier:nowhere-1']);
  });
  it('negative numbers are Minus + number; exponents keep their sign', () => {
    expect(lex('-3 1e-3 -0.5 5E+2')).toEqual(['Minus:-', 'NumberLiteral:3', 'NumberLiteral:1e-3', 'Minus:-', 'NumberLiteral:0.5', 'NumberLiteral:5E+2']);
  });
  it('a minus after a name or number is an operator, not part of it', () => {
    expect(types('score>-1')).toEqual(['Identifier', 'Greater', 'Minus', 'NumberLiteral']);
    expect(types('5 -3')).toEqual(['NumberLiteral', 'Minus', 'NumberLiteral']);
  });
});

describe('numbers and durations', () => {
  it('durations with every unit', () => {
    expect(types('500ms 30s 5m 2h 7d 3w 1.5h')).toEqual(Array(7).fill('DurationLiteral'));
  });
  it('numbers', () => {
    expect(types('42 0.5 1e-3 1E10 007')).toEqual(Array(5).fill('NumberLiteral'));
  });
  it('numbers glued to letters are errors with a duration hint', () => {
    expect(() => tokenize('5min')).toThrow(/invalid number '5min'; durations are written/);
    expect(() => tokenize('1.2.3')).toThrow(/invalid number '1.2.3'/);
    expect(() => tokenize('7D')).toThrow(/invalid number '7D'/);
  });
});

describe('strings', () => {
  it('single and double quotes, escapes decoded into payload', () => {
    expect(payloads(`'a' "b" 'it\\'s' "say \\"hi\\"" '\\n\\t\\r\\b\\f\\\\\\/' '\\u00e9\\u2603'`)).toEqual([
      'a', 'b', "it's", 'say "hi"', '\n\t\r\b\f\\/', 'é☃',
    ]);
  });
  it('may span lines and hold the other quote and comment markers', () => {
    expect(payloads(`'line1\nline2' "it's -- not /* a comment"`)).toEqual(['line1\nline2', "it's -- not /* a comment"]);
  });
  it('bad escapes are errors at the backslash', () => {
    const e = catchError(() => tokenize(`RECALL 'ab\\qc'`));
    expect(e.reason).toBe('invalid escape \\q in string; write \\\\ for a backslash');
    expect(e.column).toBe(11);
    expect(() => tokenize(`'\\u12'`)).toThrow(/\\u needs 4 hex digits/);
  });
  it('unterminated strings are errors at the opening quote', () => {
    expect(catchError(() => tokenize(`RECALL "abc`)).column).toBe(8);
    expect(() => tokenize(`'abc\\'`)).toThrow(/unterminated string/);
  });
});

describe('comments, whitespace, punctuation, parameters', () => {
  it('skips -- and /* */ comments', () => {
    expect(types('RECALL -- c\n x /* multi\nline */ LIMIT 1')).toEqual(['RECALL', 'Identifier', 'LIMIT', 'NumberLiteral']);
  });
  it('tracks lines and columns across comments', () => {
    const t = tokenize('/* a\nb */\n  RECALL');
    expect([t[0]!.startLine, t[0]!.startColumn]).toEqual([3, 3]);
  });
  it('unterminated block comments are errors', () => {
    expect(() => tokenize('RECALL /* x')).toThrow(/unterminated comment/);
  });
  it('operators', () => {
    expect(types('= == != <> < <= > >=')).toEqual(['Equal', 'Equal', 'NotEqual', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual']);
    expect(types('; , ( ) [ ] { } : * + -')).toEqual(['Semicolon', 'Comma', 'LParen', 'RParen', 'LBracket', 'RBracket', 'LBrace', 'RBrace', 'Colon', 'Star', 'Plus', 'Minus']);
  });
  it('parameters', () => {
    expect(lex('$q $long_name1 $1 ?')).toEqual(['NamedParam:$q', 'NamedParam:$long_name1', 'NamedParam:$1', 'PositionalParam:?']);
    expect(() => tokenize('RECALL $')).toThrow(/expected a parameter name after '\$'/);
  });
  it('unexpected characters are reported with their position', () => {
    const e = catchError(() => tokenize('RECALL x\n  # y'));
    expect([e.line, e.column, e.reason]).toEqual([2, 3, "unexpected character '#'"]);
    expect(() => tokenize('RECALL \u201Cx\u201D')).toThrow(/use straight quotes/);
    expect(() => tokenize('RECALL \u0000')).toThrow(/unexpected character U\+0000/);
  });
  it('a long run of characters no token matches is reported at its start without scanning it (was ~12 s for 1 MB)', () => {
    for (const junk of ['\u0001', '#', 'é']) {
      const text = `RECALL x; ${junk.repeat(1024 * 1024 - 20)}`;
      const t0 = performance.now();
      const e = catchError(() => tokenize(text));
      const ms = performance.now() - t0;
      expect([e.offset, e.found]).toEqual([10, junk]);
      expect(ms, `${JSON.stringify(junk)}: ${ms.toFixed(0)} ms`).toBeLessThan(1000);
    }
  });
  it('empty input has no tokens', () => {
    expect(tokenize('  -- only a comment\n')).toEqual([]);
  });
});

function catchError(f: () => unknown): MqlSyntaxError {
  try {
    f();
  } catch (e) {
    if (e instanceof MqlSyntaxError) return e;
    throw e;
  }
  throw new Error('expected an MqlSyntaxError');
}
