/**
 * The result object every statement returns (language.md §3, host API §6): `columns`, `rows`
 * (plain objects keyed by column) and `stats` (row count, elapsed ms, ids written).
 * Documented in docs/mql_reference.md §"Results".
 */

export type Row = Record<string, unknown>;

export interface QueryStats {
  /** Number of rows returned. */
  rows: number;
  /** Wall time of the statement (ms, performance.now). */
  elapsedMs: number;
  /** The statement kind that produced this result (e.g. 'Recall'). */
  statement: string;
  /** Memory ids written (REMEMBER, CONSOLIDATE), in write order. */
  ids?: string[];
  /** Number of write operations the statement committed (or buffered inside a transaction). */
  writes?: number;
  /** True while the session has an open transaction (after BEGIN, before COMMIT/ROLLBACK). */
  inTransaction?: boolean;
  /** IMAGINE: the completed pattern (unit vector). */
  completion?: Float32Array;
  /** CONSOLIDATE ... SCHEDULER: the id of the registered job. */
  job?: number;
}

export interface ResultSet {
  columns: string[];
  rows: Row[];
  stats: QueryStats;
}

/** Parameters of a statement: an object for `$name`, an array for `?`. */
export type Params = Record<string, unknown> | readonly unknown[];
