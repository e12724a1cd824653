/**
 * Every MQL token type and the order the lexer tries them (first match wins; keywords before
 * Identifier). The "Unterminated…"/"Bad…" tokens exist only to be reported as precise lexical
 * errors by lexer.ts. See docs/mql_grammar.md §1.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { Identifier } from './identifier.js';
import { K, KEYWORD_CATEGORIES, KEYWORD_TOKENS } from './keywords.js';
import { scanBackquoted, scanBlockComment, scanString } from './scanners.js';

export { Identifier };

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED, line_breaks: true });
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n\r]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({
  name: 'BlockComment', pattern: { exec: scanBlockComment }, start_chars_hint: ['/'], line_breaks: true, group: Lexer.SKIPPED,
});
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', label: "'/*'", pattern: /\/\*/ });

export const StringLiteral = createToken({
  name: 'StringLiteral', label: 'a string', pattern: { exec: scanString }, start_chars_hint: ["'", '"'], line_breaks: true,
});
export const UnterminatedString = createToken({ name: 'UnterminatedString', label: 'a string', pattern: /['"]/ });
export const BackquotedIdentifier = createToken({
  name: 'BackquotedIdentifier', label: 'an identifier', pattern: { exec: scanBackquoted }, start_chars_hint: ['`'], line_breaks: true,
});
export const UnterminatedBackquote = createToken({ name: 'UnterminatedBackquote', label: 'an identifier', pattern: /`/ });

export const DurationLiteral = createToken({
  name: 'DurationLiteral', label: 'a duration', pattern: /\d+(?:\.\d+)?(?:ms|s|m|h|d|w)(?![A-Za-z0-9_.])/,
});
export const NumberLiteral = createToken({
  name: 'NumberLiteral', label: 'a number', pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_.])/,
});
export const BadNumber = createToken({ name: 'BadNumber', label: 'a number', pattern: /\d[A-Za-z0-9_.]*/ });

export const NamedParam = createToken({ name: 'NamedParam', label: 'a parameter', pattern: /\$[A-Za-z0-9_]+/ });
export const BadDollar = createToken({ name: 'BadDollar', label: 'a parameter', pattern: /\$/ });
export const PositionalParam = createToken({ name: 'PositionalParam', label: 'a parameter', pattern: /\?/ });

/** = != <> < <= > >= */
export const CompareOp = createToken({ name: 'CompareOp', label: 'a comparison operator', pattern: Lexer.NA });
const op = (name: string, pattern: RegExp, label: string): TokenType =>
  createToken({ name, pattern, label, categories: [CompareOp] });
export const NotEqual = op('NotEqual', /!=|<>/, "'!='");
export const LessEqual = op('LessEqual', /<=/, "'<='");
export const GreaterEqual = op('GreaterEqual', />=/, "'>='");
export const Less = op('Less', /</, "'<'");
export const Greater = op('Greater', />/, "'>'");
export const Equal = op('Equal', /==?/, "'='");

const punct = (name: string, pattern: RegExp, label: string): TokenType => createToken({ name, pattern, label });
export const Semicolon = punct('Semicolon', /;/, "';'");
export const Comma = punct('Comma', /,/, "','");
export const LParen = punct('LParen', /\(/, "'('");
export const RParen = punct('RParen', /\)/, "')'");
export const LBracket = punct('LBracket', /\[/, "'['");
export const RBracket = punct('RBracket', /]/, "']'");
export const LBrace = punct('LBrace', /\{/, "'{'");
export const RBrace = punct('RBrace', /}/, "'}'");
export const Colon = punct('Colon', /:/, "':'");
export const Star = punct('Star', /\*/, "'*'");
export const Plus = punct('Plus', /\+/, "'+'");
export const Minus = punct('Minus', /-/, "'-'");

/**
 * `NOW` directly followed by `-`/`+` and a digit or a parameter (`NOW-7d`, `NOW-$d`): lexed as the
 * NOW keyword so that time arithmetic without spaces is not swallowed by the Identifier rule (`-`
 * may occur in names).
 */
export const NowBeforeOffset = createToken({ name: 'NowBeforeOffset', label: 'NOW', pattern: /now(?=[+-][\d$?])/i, categories: [K.NOW] });

/** Tokens whose presence in the token stream is a lexical error. */
export const ERROR_TOKENS: ReadonlySet<TokenType> = new Set([
  UnterminatedComment, UnterminatedString, UnterminatedBackquote, BadNumber, BadDollar,
]);

/**
 * Lexer order: skipped text, literals, operators, keywords (longest first), Identifier.
 * NumberLiteral and DurationLiteral never match the same text (each refuses a following letter or
 * digit), so the commoner NumberLiteral goes first.
 */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace, LineComment, BlockComment, UnterminatedComment,
  StringLiteral, UnterminatedString, BackquotedIdentifier, UnterminatedBackquote,
  NumberLiteral, DurationLiteral, BadNumber, NamedParam, BadDollar, PositionalParam,
  NotEqual, LessEqual, GreaterEqual, Less, Greater, Equal, CompareOp,
  Semicolon, Comma, LParen, RParen, LBracket, RBracket, LBrace, RBrace, Colon, Star, Plus, Minus,
  NowBeforeOffset, ...KEYWORD_CATEGORIES, ...KEYWORD_TOKENS, Identifier,
];
