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

export function planOf(root: Op<Row>, columns: string[]): Plan {
  return { root, columns };
}
