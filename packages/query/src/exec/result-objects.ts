/**
 * The result object and its stats (language.md §3, §6: `{ columns, rows, stats }`) as class
 * instances with exactly those own properties, not object literals: V8 pretenures a literal's
 * allocation site once enough of its objects survive a scavenge (a write's result waits for its
 * fdatasync), and then every result of every read was allocated old and kept its young rows alive
 * through scavenges — a prepared RECALL by id ran 2× slower in such a process (bench/results/query.md,
 * session 5). Objects made by `new` are never pretenured that way.
 */
import type { QueryStats, ResultSet, Row } from '../api/result.js';

class Stats implements QueryStats {
  constructor(public rows: number, public elapsedMs: number, public statement: string) {}
}

class Result implements ResultSet {
  constructor(public columns: string[], public rows: Row[], public stats: QueryStats) {}
}

/** Stats with the three fields every result has; the optional ones are added by the caller. */
export function statsOf(rows: number, elapsedMs: number, statement: string): QueryStats {
  return new Stats(rows, elapsedMs, statement);
}

export function resultOf(columns: string[], rows: Row[], stats: QueryStats): ResultSet {
  return new Result(columns, rows, stats);
}
