/**
 * Table output (psql-like): columns fitted to the terminal width by shrinking the widest columns
 * first, long text truncated with '…', numbers right-aligned, a "(N rows)" footer.
 */
import { formatCell } from './values.js';
import { displayWidth, padEnd, padStart, truncate } from './width.js';
import type { FormatOptions, ResultSet } from './result.js';

const MIN_COL = 4;
const MAX_NATURAL = 80;

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

export function formatTable(result: ResultSet, opts: FormatOptions): string {
  const { columns, rows } = result;
  const footer = `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'}${
    opts.timer && result.stats.elapsedMs !== undefined ? `, ${result.stats.elapsedMs.toFixed(1)} ms` : ''
  })`;
  if (columns.length === 0) return footer;
  const cells = rows.map((r) => columns.map((c) => formatCell(c, r[c], 'human', opts.now)));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || r[c] == null));
  const natural = columns.map((c, i) => Math.max(displayWidth(c), ...cells.map((row) => displayWidth(row[i]!))));
  const widths = fitWidths(natural, Math.max(opts.width, 20));
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
