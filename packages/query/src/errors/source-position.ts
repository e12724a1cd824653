/**
 * Offsets → line/column, and the source line shown under a parse error (docs/mql_grammar.md §5).
 * Lines end at \n, \r\n or \r (as in the lexer); lines and columns are 1-based, columns count
 * UTF-16 code units. Long lines are shown as a window around the error.
 */

export interface SourcePosition {
  line: number;
  column: number;
  /** Offset of the first character of the line. */
  lineStart: number;
}

/** Line and column of `offset` (clamped to [0, text.length]). */
export function positionAt(text: string, offset: number): SourcePosition {
  const target = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < target; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: target - lineStart + 1, lineStart };
}

/** Characters shown either side of the error on a long line. */
const WINDOW = 60;

export interface ShownLine {
  /** The line as shown (tabs as spaces, shortened with '…' when long). */
  text: string;
  /** 0-based index of the caret within `text`. */
  caret: number;
}

/** The source line containing `lineStart`, windowed around `column`. */
export function shownLine(text: string, lineStart: number, column: number): ShownLine {
  let end = lineStart;
  while (end < text.length && end - lineStart <= column + WINDOW) {
    const c = text.charCodeAt(end);
    if (c === 10 || c === 13) break;
    end++;
  }
  let from = lineStart;
  let prefix = '';
  if (column - 1 > WINDOW) {
    from = lineStart + column - 1 - WINDOW;
    prefix = '…';
  }
  const atEol = end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13;
  let body = text.slice(from, end).replace(/[\t\v\f]/g, ' ');
  if (atEol) body += '…';
  return { text: prefix + body, caret: prefix.length + (lineStart + column - 1 - from) };
}
