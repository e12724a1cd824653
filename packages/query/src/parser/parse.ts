/**
 * The public parsing entry points: `parse(text, opts)` → Script and `parseStatement(text)` →
 * exactly one Statement. Pipeline: length limit → lexer → nesting limit → the one parser
 * instance → CST → AST builder (docs/mql_grammar.md).
 */
import { MnemoError } from '@mnemo/engine';
import type { Statement } from '../ast/types.js';
import type { Script } from '../ast/utility-statements.js';
import { MqlSyntaxError } from '../errors/syntax-error.js';
import { tokenize } from '../lexer/lexer.js';
import { PositionalParam } from '../lexer/tokens.js';
import { BuildContext } from './to-ast/context.js';
import { buildScript } from './to-ast/script.js';
import { checkLength, checkNesting, DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH } from './limits.js';
import { mqlParser } from './mql-parser.js';
import { parseFailure } from './parse-failure.js';

export interface ParseOptions {
  /** Longest accepted input in UTF-8 bytes (default 1 MiB). */
  maxLength?: number;
  /** Deepest accepted nesting of (), [], {} and NOT (default 64). */
  maxDepth?: number;
}

/** Parse MQL text into a Script; throws MqlSyntaxError (PARSE_ERROR or LIMIT_EXCEEDED). */
export function parse(text: string, opts: ParseOptions = {}): Script {
  if (typeof text !== 'string') throw new MnemoError('INVALID_ARGUMENT', `MQL text must be a string, got ${typeof text}`);
  const maxDepth = limitOption(opts.maxDepth, DEFAULT_MAX_DEPTH, 'maxDepth');
  checkLength(text, limitOption(opts.maxLength, DEFAULT_MAX_LENGTH, 'maxLength'));
  const tokens = tokenize(text);
  checkNesting(text, tokens, maxDepth);
  try {
    mqlParser.input = tokens;
    const cst = mqlParser.script();
    const error = mqlParser.errors[0];
    if (error !== undefined) throw parseFailure(text, tokens, error);
    const positional = tokens.filter((t) => t.tokenType === PositionalParam).map((t) => t.startOffset);
    return buildScript(new BuildContext(text, positional, maxDepth), cst);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new MqlSyntaxError({ code: 'LIMIT_EXCEEDED', source: text, offset: 0, reason: 'input nested too deeply for the parser' });
    }
    throw e;
  } finally {
    mqlParser.input = [];
  }
}

function limitOption(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new MnemoError('INVALID_ARGUMENT', `parse option ${name} must be a whole number ≥ 1, got ${String(value)}`);
  }
  return value;
}

/** Parse text that must hold exactly one statement (a trailing ';' is allowed). */
export function parseStatement(text: string, opts: ParseOptions = {}): Statement {
  const { statements } = parse(text, opts);
  const [first, second] = statements;
  if (first === undefined) {
    throw new MqlSyntaxError({ source: text, offset: text.length, reason: 'expected a statement, found end of input', expected: ['a statement'] });
  }
  if (second !== undefined) {
    throw new MqlSyntaxError({
      source: text, offset: second.span.start, found: text.slice(second.span.start, second.span.end).slice(0, 40),
      reason: 'expected exactly one statement, found a second one',
    });
  }
  return first;
}
