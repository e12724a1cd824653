/**
 * The operator interface of logical plans (docs/mql_reference.md §"EXPLAIN and PROFILE"): a
 * named node with children that produces an array of rows when run. `pull` runs a child and,
 * under PROFILE, records its rows-out count and inclusive time.
 */
import type { ExecContext } from '../exec/context.js';

export interface Op<T = unknown> {
  /** Operator name shown by EXPLAIN (e.g. 'VectorSearch'). */
  readonly name: string;
  readonly children: readonly Op[];
  /**
   * Parameters shown by EXPLAIN next to the name (e.g. 'k=10 filter=kind = episodic'), with the
   * run values of `ctx` (a reused plan's operators take them from the run: ops/run-value.ts).
   */
  describe(ctx: ExecContext): string;
  /** Rows of this operator; synchronous when the operator and its inputs need no I/O wait. */
  run(ctx: ExecContext): MaybePromise<T[]>;
}

/** A value now, or later: operators that do no asynchronous work return rows directly. */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `f` to `x` now if it is a value, after it settles if it is a promise. */
export function andThen<T, U>(x: MaybePromise<T>, f: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return x instanceof Promise ? x.then(f) : f(x);
}

export interface OpProfile {
  rowsOut: number;
  ms: number;
}

export function pull<T>(ctx: ExecContext, op: Op<T>): MaybePromise<T[]> {
  ctx.checkBudget();
  const profile = ctx.profile;
  if (profile === null) return op.run(ctx);
  const t0 = performance.now();
  return andThen(op.run(ctx), (rows) => {
    const prev = profile.get(op);
    const ms = performance.now() - t0;
    profile.set(op, { rowsOut: (prev?.rowsOut ?? 0) + rows.length, ms: (prev?.ms ?? 0) + ms });
    return rows;
  });
}

/** A unary operator's work on its input's rows. */
export interface UnaryStep<T, U> {
  readonly children: readonly Op[];
  apply(ctx: ExecContext, rows: T[]): U[];
}

/**
 * Runs the single input of a unary operator and applies its step to the rows, synchronously when
 * the input is (a method, not a closure: nothing is allocated per run for the plumbing).
 */
export function pullThrough<T, U>(ctx: ExecContext, step: UnaryStep<T, U>): MaybePromise<U[]> {
  const rows = pull(ctx, only(step.children)) as MaybePromise<T[]>;
  if (!(rows instanceof Promise)) return step.apply(ctx, rows);
  return rows.then((r) => {
    ctx.checkTime(); // the input waited: the time it took counts
    return step.apply(ctx, r);
  });
}

/** The single child of a unary operator. */
export function only(children: readonly Op[]): Op {
  const c = children[0];
  if (c === undefined) throw new Error('operator needs an input');
  return c;
}
