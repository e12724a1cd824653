/**
 * Run values of operators: a value an operator needs that may change from run to run of a reused
 * plan (parameters, NOW / AS OF, LIMIT, the space bound at run time) is a Slot — an index into the
 * run's values (ExecContext.values), which the statement's binder fills before the plan runs —
 * or, in plans built for one run, the value itself. docs/mql_reference.md §"Prepared statements".
 */
import type { ExecContext } from '../exec/context.js';

export class Slot<T> {
  /** Phantom: the type of the value the slot holds (never set). */
  declare readonly valueType?: T;
  constructor(readonly index: number) {}
}

/** A value fixed when the plan was built, or the slot that holds it in each run. */
export type RunValue<T> = T | Slot<T>;

/** This run's value of `v`. */
export function runValue<T>(ctx: ExecContext, v: RunValue<T>): T {
  return v instanceof Slot ? (ctx.values[v.index] as T) : v;
}
