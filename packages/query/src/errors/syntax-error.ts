/**
 * MqlSyntaxError: a PARSE_ERROR or LIMIT_EXCEEDED MnemoError for MQL text, carrying the position,
 * the source line, what was found, what was expected and an optional "did you mean".
 * `format()` prints the error with a caret under the source line (docs/mql_grammar.md §5).
 */
import { MnemoError } from '@mnemo/engine';
import { positionAt, shownLine } from './source-position.js';

export type SyntaxErrorCode = 'PARSE_ERROR' | 'LIMIT_EXCEEDED';

export interface SyntaxErrorInit {
  code?: SyntaxErrorCode;
  /** The complete MQL text being parsed. */
  source: string;
  /** 0-based offset of the offending character or token. */
  offset: number;
  /** What is wrong, e.g. "expected a pattern after RECALL, found ';'". */
  reason: string;
  /** The offending text ('' at end of input); kept to its first MAX_FOUND characters. */
  found?: string;
  /** Human descriptions of what would have been valid here. */
  expected?: string[];
  /** e.g. "did you mean RECALL?" */
  suggestion?: string | null;
}

/** Longest `found` an error keeps: a huge token (a 1 MB string) must not be copied into errors and their JSON. */
const MAX_FOUND = 40;

export class MqlSyntaxError extends MnemoError {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The line containing the error (tabs shown as spaces; long lines shortened around the error). */
  readonly sourceLine: string;
  readonly found: string;
  readonly expected: readonly string[];
  readonly suggestion: string | null;
  /** The message without the position prefix. */
  readonly reason: string;
  private readonly caret: number;

  constructor(init: SyntaxErrorInit) {
    const offset = Math.max(0, Math.min(init.offset, init.source.length));
    const pos = positionAt(init.source, offset);
    const shown = shownLine(init.source, pos.lineStart, pos.column);
    const suggestion = init.suggestion ?? null;
    const reason = suggestion ? `${init.reason}; ${suggestion}` : init.reason;
    const expected = init.expected ?? [];
    const found = (init.found ?? '').slice(0, MAX_FOUND);
    super(init.code ?? 'PARSE_ERROR', `line ${pos.line}, column ${pos.column}: ${reason}`, {
      line: pos.line, column: pos.column, offset, found, expected, suggestion,
    });
    this.name = 'MqlSyntaxError';
    this.line = pos.line;
    this.column = pos.column;
    this.offset = offset;
    this.sourceLine = shown.text;
    this.caret = shown.caret;
    this.found = found;
    this.expected = Object.freeze([...expected]);
    this.suggestion = suggestion;
    this.reason = reason;
  }

  /** `CODE: line L, column C: reason` then the source line and a caret under the error. */
  override format(): string {
    return `${this.code}: ${this.message}\n  ${this.sourceLine}\n  ${' '.repeat(this.caret)}^`;
  }
}
