/**
 * A logical plan: the root operator (which yields result rows) and the result columns. Every
 * statement kind has a planner in this folder that builds one (docs/mql_reference.md §"Plans").
 */
import type { Row } from '../api/result.js';
import type { Op } from '../ops/op.js';

export interface Plan {
  root: Op<Row>;
  columns: string[];
}

/**
 * A class rather than an object literal: V8 tracks pretenuring per literal site, and this one
 * object is made by every planner — a write statement's plan lives across its awaited fdatasync,
 * which got the site pretenured, and then every read's plan (and the operator tree it points to)
 * was allocated old and kept its young garbage alive through scavenges (bench/results/query.md).
 */
class PlanNode implements Plan {
  constructor(readonly root: Op<Row>, readonly columns: string[]) {}
}

export function planOf(root: Op<Row>, columns: string[]): Plan {
  return new PlanNode(root, columns);
}
