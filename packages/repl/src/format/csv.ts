/** CSV output (RFC 4180): header row, fields quoted when they hold a comma, quote or newline. */
import { formatCell } from './values.js';
import type { ResultSet } from './result.js';

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(result: ResultSet): string {
  const lines = [result.columns.map(csvField).join(',')];
  for (const row of result.rows) {
    lines.push(result.columns.map((c) => csvField(formatCell(c, row[c], 'iso'))).join(','));
  }
  return lines.join('\n');
}
