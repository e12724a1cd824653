/**
 * EXPLAIN output: one row per operator in pre-order, the `plan` column holding the indented tree
 * text ("Name detail"), plus `operator` and `depth`. PROFILE adds rows_in, rows_out, time_ms.
 */
import type { Row } from '../api/result.js';
import type { Op, OpProfile } from '../ops/op.js';
import type { ExecContext } from './context.js';

export const EXPLAIN_COLUMNS = ['plan', 'operator', 'depth'];

function line(op: Op, depth: number, ctx: ExecContext): string {
  const d = op.describe(ctx);
  return `${'  '.repeat(depth)}${op.name}${d ? ' ' + d : ''}`;
}

export function explainRows(root: Op, ctx: ExecContext): Row[] {
  const out: Row[] = [];
  const walk = (op: Op, depth: number): void => {
    out.push({ plan: line(op, depth, ctx), operator: op.name, depth });
    for (const c of op.children) walk(c, depth + 1);
  };
  walk(root, 0);
  return out;
}

export function profiledPlanRows(root: Op, profile: Map<Op, OpProfile>, ctx: ExecContext): Row[] {
  const out: Row[] = [];
  const walk = (op: Op, depth: number): void => {
    const p = profile.get(op);
    const rowsIn = op.children.reduce((n, c) => n + (profile.get(c)?.rowsOut ?? 0), 0);
    out.push({
      plan: line(op, depth, ctx), operator: op.name, depth,
      rows_in: rowsIn, rows_out: p?.rowsOut ?? 0, time_ms: p ? Math.round(p.ms * 1000) / 1000 : 0,
    });
    for (const c of op.children) walk(c, depth + 1);
  };
  walk(root, 0);
  return out;
}
