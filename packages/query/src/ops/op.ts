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
  /** Parameters shown by EXPLAIN next to the name (e.g. 'k=10 filter=kind = episodic'). */
  describe(): string;
  run(ctx: ExecContext): Promise<T[]>;
}

export interface OpProfile {
  rowsOut: number;
  ms: number;
}

export async function pull<T>(ctx: ExecContext, op: Op<T>): Promise<T[]> {
  ctx.checkBudget();
  if (ctx.profile === null) return op.run(ctx);
  const t0 = performance.now();
  const rows = await op.run(ctx);
  const prev = ctx.profile.get(op);
  const ms = performance.now() - t0;
  ctx.profile.set(op, { rowsOut: (prev?.rowsOut ?? 0) + rows.length, ms: (prev?.ms ?? 0) + ms });
  return rows;
}

/** The single child of a unary operator. */
export function only(children: readonly Op[]): Op {
  const c = children[0];
  if (c === undefined) throw new Error('operator needs an input');
  return c;
}
