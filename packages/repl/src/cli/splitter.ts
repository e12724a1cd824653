/**
 * Splits shell input into complete statements at top-level `;`, respecting quotes, backquotes and
 * comments, so the shell knows when multi-line input is complete. Parsing proper is the query
 * package's job; this only finds boundaries.
 */

export interface SplitStatement {
  /** The statement text from its first non-blank character through its terminating ';'. */
  text: string;
  /** Offset of `text` in the input. */
  start: number;
}

export interface SplitResult {
  /** Complete statements, in order (comment-only ones dropped). */
  statements: SplitStatement[];
  /** Text after the last ';' (an incomplete statement, possibly only whitespace/comments). */
  rest: string;
}

export function splitStatements(input: string): SplitResult {
  const statements: SplitStatement[] = [];
  let start = 0;
  let i = 0;
  const n = input.length;
  while (i < n) {
    const ch = input[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      i++;
      while (i < n && input[i] !== ch) i += input[i] === '\\' && ch !== '`' ? 2 : 1;
      i++;
    } else if (ch === '-' && input[i + 1] === '-') {
      while (i < n && input[i] !== '\n') i++;
    } else if (ch === '/' && input[i + 1] === '*') {
      const end = input.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (ch === ';') {
      const body = input.slice(start, i);
      const lead = body.length - body.trimStart().length;
      if (!isOnlyComments(body)) statements.push({ text: input.slice(start + lead, i + 1), start: start + lead });
      start = i + 1;
      i++;
    } else {
      i++;
    }
  }
  return { statements, rest: input.slice(start) };
}

/** Line and column (both 0-based) of `offset` in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart };
}

/** True when `text` holds nothing but whitespace and comments. */
export function isOnlyComments(text: string): boolean {
  return text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?(\*\/|$)/g, '').trim().length === 0;
}
