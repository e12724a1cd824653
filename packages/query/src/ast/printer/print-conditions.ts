/**
 * Printer handlers for conditions: parentheses only where needed to rebuild the same tree
 * (an AND/OR inside an AND, an OR inside an OR, any AND/OR under NOT) (docs/mql_grammar.md §4).
 */
import type { Condition } from '../conditions.js';
import type { PrintChild, Printers } from './printers.js';

const isJunction = (c: Condition): boolean => c.kind === 'Condition.And' || c.kind === 'Condition.Or';

function operand(c: Condition, p: PrintChild, parenthesise: boolean): string {
  return parenthesise ? `(${p(c)})` : p(c);
}

export const conditionPrinters: Pick<Printers, 'Field' | 'Condition.And' | 'Condition.Or' | 'Condition.Not'
  | 'Condition.Compare' | 'Condition.Contains' | 'Condition.Time' | 'Condition.In'> = {
  Field: (n) => n.name,
  'Condition.And': (n, p) => n.operands.map((c) => operand(c, p, isJunction(c))).join(' AND '),
  'Condition.Or': (n, p) => n.operands.map((c) => operand(c, p, c.kind === 'Condition.Or')).join(' OR '),
  'Condition.Not': (n, p) => `NOT ${operand(n.operand, p, isJunction(n.operand))}`,
  'Condition.Compare': (n, p) => `${p(n.field)} ${n.op} ${p(n.value)}`,
  'Condition.Contains': (n, p) => `${p(n.field)} CONTAINS ${p(n.value)}`,
  'Condition.Time': (n, p) => `${p(n.field)} ${n.op.toUpperCase()} ${p(n.value)}`,
  'Condition.In': (n, p) => `${p(n.field)} IN (${n.values.map(p).join(', ')})`,
};
