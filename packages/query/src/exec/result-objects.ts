/**
 * The result object and its stats (language.md §3, §6: `{ columns, rows, stats }`): plain objects
 * with exactly those own properties, made by plain constructors (exec/plain-object.ts) rather than
 * literals. A pretenured result literal (a write's result waits for its fdatasync) made a prepared
 * RECALL by id run 2× slower in about half the processes (bench/results/query.md, session 5).
 */
import type { QueryStats, ResultSet, Row } from '../api/result.js';
import { plainConstructor } from './plain-object.js';

const Stats = plainConstructor(function (this: QueryStats, rows: number, elapsedMs: number, statement: string) {
  this.rows = rows;
  this.elapsedMs = elapsedMs;
  this.statement = statement;
});

const Result = plainConstructor(function (this: ResultSet, columns: string[], rows: Row[], stats: QueryStats) {
  this.columns = columns;
  this.rows = rows;
  this.stats = stats;
});

/** Stats with the three fields every result has; the optional ones are added by the caller. */
export function statsOf(rows: number, elapsedMs: number, statement: string): QueryStats {
  return new Stats(rows, elapsedMs, statement);
}

export function resultOf(columns: string[], rows: Row[], stats: QueryStats): ResultSet {
  return new Result(columns, rows, stats);
}
