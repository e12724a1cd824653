/** Output modes of the shell: table, json, csv, line. */
import { formatCsv } from './csv.js';
import { formatJson } from './json.js';
import { formatLine } from './line.js';
import { formatTable } from './table.js';
import type { FormatOptions, OutputMode, ResultSet } from './result.js';

export type { FormatOptions, OutputMode, ResultSet } from './result.js';
export { formatAge, formatCell, formatTime, formatVector, jsonValue } from './values.js';
export { displayWidth, truncate } from './width.js';
export { toJsonDocument } from './json.js';

export const OUTPUT_MODES: readonly OutputMode[] = ['table', 'json', 'csv', 'line'];

export function formatResult(result: ResultSet, mode: OutputMode, opts: FormatOptions): string {
  switch (mode) {
    case 'table':
      return formatTable(result, opts);
    case 'json':
      return formatJson(result);
    case 'csv':
      return formatCsv(result);
    case 'line':
      return formatLine(result, opts);
  }
}
