/**
 * Reused plans of one Database (docs/mql_reference.md §"Prepared statements"): per statement node
 * (ASTs are frozen; a prepared statement and db.query's statement cache keep theirs) and per shape
 * — what the plan's operator tree depends on beyond the AST, e.g. whether a `$x` pattern is bound
 * to text or to a vector. A cached plan holds no run values and nothing from the catalog: spaces,
 * parameters, NOW and limits are bound into each run's ExecContext.values (ops/run-value.ts).
 */
import type { Plan } from './plan.js';

interface Entry {
  readonly shape: string;
  readonly plan: Plan;
}

export class PlanCache {
  private readonly byNode = new WeakMap<object, Entry[]>();

  get(node: object, shape: string): Plan | undefined {
    const entries = this.byNode.get(node);
    if (entries === undefined) return undefined;
    for (const e of entries) if (e.shape === shape) return e.plan;
    return undefined;
  }

  set(node: object, shape: string, plan: Plan): void {
    const entries = this.byNode.get(node);
    const entry: Entry = { shape, plan };
    if (entries === undefined) this.byNode.set(node, [entry]);
    else entries.push(entry);
  }
}
