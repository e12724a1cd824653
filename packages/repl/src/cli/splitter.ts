/**
 * Splits shell input into complete statements at top-level `;`, respecting quotes, backquotes and
 * comments, so the shell knows when multi-line input is complete. Parsing proper is the query
 * package's job; this only finds boundaries.
 */

export interface SplitResult {
  /** Complete statements (without the terminating ';'), trimmed, non-empty. */
  statements: string[];
  /** Text after the last ';' (an incomplete statement, possibly only whitespace/comments). */
  rest: string;
}

export function splitStatements(input: string): SplitResult {
  const statements: string[] = [];
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
      const stmt = input.slice(start, i).trim();
      if (stmt.length > 0 && !isOnlyComments(stmt)) statements.push(stmt);
      start = i + 1;
      i++;
    } else {
      i++;
    }
  }
  return { statements, rest: input.slice(start) };
}

/** True when `text` holds nothing but whitespace and comments. */
export function isOnlyComments(text: string): boolean {
  return text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?(\*\/|$)/g, '').trim().length === 0;
}
