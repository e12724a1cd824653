/** Line output (sqlite3 `.mode line`): one "column = value" per line, a blank line between rows. */
import { formatCell } from './values.js';
import { displayWidth, padStart } from './width.js';
import type { FormatOptions, ResultSet } from './result.js';

export function formatLine(result: ResultSet, opts: FormatOptions): string {
  const w = Math.max(0, ...result.columns.map(displayWidth));
  return result.rows
    .map((row) => result.columns.map((c) => `${padStart(c, w)} = ${formatCell(c, row[c], 'long', opts.now)}`).join('\n'))
    .join('\n\n');
}
