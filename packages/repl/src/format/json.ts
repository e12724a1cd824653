/**
 * JSON output: exactly one JSON document per statement on one line, `{columns, rows, stats}`, with
 * stable field names; times as ISO-8601 strings, vectors as arrays (spec §6).
 */
import { jsonValue } from './values.js';
import type { ResultSet } from './result.js';

export function toJsonDocument(result: ResultSet): { columns: string[]; rows: unknown[]; stats: unknown } {
  const rows = result.rows.map((row) => {
    const o: Record<string, unknown> = {};
    for (const c of result.columns) o[c] = jsonValue(c, row[c]);
    return o;
  });
  const stats: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result.stats)) stats[k] = jsonValue(k, v);
  return { columns: result.columns, rows, stats };
}

export function formatJson(result: ResultSet): string {
  return JSON.stringify(toJsonDocument(result), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}
