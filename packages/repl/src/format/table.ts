/**
 * Table output (psql-like): columns fitted to the terminal width by shrinking the widest columns
 * first, long text truncated with '…', numbers right-aligned, a "(N rows)" footer. When the
 * columns cannot all keep a readable width, records are shown expanded, one block per row
 * (psql's `\x auto`), each value truncated to the terminal.
 */
import { formatCell } from './values.js';
import { displayWidth, padEnd, padStart, truncate } from './width.js';
import type { FormatOptions, ResultSet } from './result.js';

const MIN_COL = 4;
const MAX_NATURAL = 80;
/** Below this many columns a cell stops being readable; text-like columns need more. */
const READABLE = 8;
const READABLE_TEXT = 16;

/** Shrink column widths (widest first) until the row fits `total` columns. */
export function fitWidths(natural: number[], total: number): number[] {
  const widths = natural.map((w) => Math.min(w, MAX_NATURAL));
  const frame = (n: number): number => widths.reduce((a, b) => a + b, 0) + 3 * n - 1;
  while (frame(widths.length) > total) {
    let widest = 0;
    for (let i = 1; i < widths.length; i++) if (widths[i]! > widths[widest]!) widest = i;
    if (widths[widest]! <= MIN_COL) break;
    widths[widest] = widths[widest]! - 1;
  }
  return widths;
}

/** Whether every column can keep a readable width within `total` columns. */
export function fitsReadably(natural: number[], textLike: boolean[], total: number): boolean {
  const floors = natural.map((w, i) => Math.min(w, textLike[i] ? READABLE_TEXT : READABLE));
  return floors.reduce((a, b) => a + b, 0) + 3 * natural.length - 1 <= total;
}

function footerOf(result: ResultSet, opts: FormatOptions): string {
  const n = result.rows.length;
  const time = opts.timer && result.stats.elapsedMs !== undefined ? `, ${result.stats.elapsedMs.toFixed(1)} ms` : '';
  return `(${n} ${n === 1 ? 'row' : 'rows'}${time})`;
}

/** One block per record: "-[ RECORD n ]-" then "column | value" lines. */
export function formatExpanded(result: ResultSet, cells: string[][], opts: FormatOptions): string {
  const keyWidth = Math.max(...result.columns.map(displayWidth));
  const width = Math.min(opts.width, 400);
  const valueWidth = Math.max(10, width - keyWidth - 3);
  const out: string[] = [];
  cells.forEach((row, r) => {
    const label = `-[ RECORD ${r + 1} ]`.padEnd(keyWidth + 1, '-');
    out.push(`${label}+${'-'.repeat(Math.max(1, width - label.length - 1))}`);
    result.columns.forEach((c, i) => out.push(`${padEnd(c, keyWidth)} | ${truncate(row[i]!, valueWidth)}`.trimEnd()));
  });
  out.push(footerOf(result, opts));
  return out.join('\n');
}

export function formatTable(result: ResultSet, opts: FormatOptions): string {
  const { columns, rows } = result;
  const footer = footerOf(result, opts);
  if (columns.length === 0) return footer;
  const cells = rows.map((r) => columns.map((c) => formatCell(c, r[c], 'human', opts.now)));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || r[c] == null));
  const natural = columns.map((c, i) => Math.max(displayWidth(c), ...cells.map((row) => displayWidth(row[i]!))));
  const total = Math.max(opts.width, 20);
  if (rows.length > 0 && !fitsReadably(natural, numeric.map((n) => !n), total)) return formatExpanded(result, cells, opts);
  const widths = fitWidths(natural, total);
  const line = (vals: string[], align: boolean): string =>
    ' ' +
    vals
      .map((v, i) => {
        const t = truncate(v, widths[i]!);
        return align && numeric[i] ? padStart(t, widths[i]!) : padEnd(t, widths[i]!);
      })
      .join(' | ')
      .trimEnd();
  const out = [line(columns, false), widths.map((w) => '-'.repeat(w + 2)).join('+')];
  for (const row of cells) out.push(line(row, true));
  out.push(footer);
  return out.join('\n');
}
