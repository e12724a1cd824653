/** The shape of a statement result as the shell receives it from @mnemo/query (spec §3). */
export interface ResultSet {
  columns: string[];
  rows: Array<Record<string, unknown>>;
  /** Row count, elapsed ms, ids written, and whatever else the statement reports. */
  stats: { rows?: number; elapsedMs?: number; ids?: string[] };
}

export type OutputMode = 'table' | 'json' | 'csv' | 'line';

export interface FormatOptions {
  /** Terminal width in columns (tables are fitted to it). */
  width: number;
  /** Epoch ms used for relative times; injectable for tests. */
  now?: number;
  /** Append a "(N rows, T ms)" footer (table mode) when timing is on. */
  timer?: boolean;
}
