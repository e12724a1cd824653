/**
 * CST → AST for WHERE conditions and field names. AND/OR chains become n-ary nodes; each NOT
 * and each parenthesis counts one level against the nesting limit (docs/mql_grammar.md §2.3, §3).
 */
import type { CstNode, IToken } from 'chevrotain';
import * as c from '../../ast/conditions.js';
import { suggestKeyword } from '../../errors/did-you-mean.js';
import { type BuildContext, child, children, need, spanOf, token, tokens } from './context.js';
import { buildValue } from './json.js';
import { buildTimeValue } from './values.js';

export function buildCondition(ctx: BuildContext, node: CstNode, depth = 0): c.Condition {
  const parts = children(node, 'andCondition').map((n) => buildAnd(ctx, n, depth));
  return parts.length === 1 ? parts[0]! : c.or({ operands: parts, span: spanOf(node) });
}

function buildAnd(ctx: BuildContext, node: CstNode, depth: number): c.Condition {
  const parts = children(node, 'notCondition').map((n) => buildNot(ctx, n, depth));
  return parts.length === 1 ? parts[0]! : c.and({ operands: parts, span: spanOf(node) });
}

function buildNot(ctx: BuildContext, node: CstNode, depth: number): c.Condition {
  const nots = tokens(node, 'NOT');
  const inner = child(node, 'condition');
  const innerDepth = depth + nots.length + (inner ? 1 : 0);
  if (innerDepth > ctx.maxDepth) {
    const at = nots[Math.max(0, ctx.maxDepth - depth)] ?? token(node, 'LParen') ?? node;
    throw ctx.error(at, `condition nested deeper than ${ctx.maxDepth} levels`, { code: 'LIMIT_EXCEEDED' });
  }
  let cond = inner ? buildCondition(ctx, inner, depth + nots.length + 1) : buildPredicate(ctx, need(node, 'predicate'));
  for (let i = nots.length - 1; i >= 0; i--) {
    cond = c.not({ operand: cond, span: { ...spanOf(nots[i]!), end: spanOf(node).end } });
  }
  return cond;
}

const COMPARE: Record<string, c.CompareOperator> = { '=': '=', '==': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function buildPredicate(ctx: BuildContext, node: CstNode): c.Condition {
  const field = buildField(ctx, need(node, 'field'), false);
  const span = spanOf(node);
  const values = children(node, 'value');
  const op = token(node, 'CompareOp');
  if (op) return c.compare({ field, op: COMPARE[op.image]!, value: buildValue(ctx, values[0]!), span });
  if (token(node, 'CONTAINS')) return c.contains({ field, value: buildValue(ctx, values[0]!), span });
  const timeNode = child(node, 'timeValue');
  if (timeNode) {
    return c.timeCondition({ field, op: token(node, 'BEFORE') ? 'before' : 'after', value: buildTimeValue(ctx, timeNode), span });
  }
  const cond = c.inCondition({ field, values: values.map((v) => buildValue(ctx, v)), span });
  return token(node, 'NOT') ? c.not({ operand: cond, span }) : cond;
}

const FIELD_SET = new Set<string>(c.CONDITION_FIELDS);
const ORDER_SET = new Set<string>([...c.CONDITION_FIELDS, ...c.EXTRA_ORDER_COLUMNS]);

/** A field (or, with `forOrder`, an ORDER BY column): built-ins lower-cased, `meta.<path>` kept. */
export function buildField(ctx: BuildContext, node: CstNode, forOrder: boolean): c.Field {
  const t = (node.children.Identifier ?? node.children.KIND ?? node.children.CONFIDENCE)![0] as IToken;
  const lower = t.image.toLowerCase();
  const known = forOrder ? ORDER_SET : FIELD_SET;
  if (known.has(lower)) return c.field({ name: lower, span: spanOf(t) });
  if (lower.startsWith('meta.') && t.image.length > 5) return c.field({ name: `meta.${t.image.slice(5)}`, span: spanOf(t) });
  const names = [...known];
  const guess = suggestKeyword(lower, names.map((n) => n.toUpperCase()));
  return unknownField(ctx, t, names, guess);
}

function unknownField(ctx: BuildContext, t: IToken, names: string[], guess: string | null): never {
  const valid = guess !== null && names.includes(guess.toLowerCase());
  throw ctx.error(t, `unknown field '${t.image.slice(0, 40)}'`, {
    expected: [...names, 'meta.<path>'],
    suggestion: valid ? `did you mean ${guess!.toLowerCase()}?` : `fields are ${names.join(', ')} and meta.<path>`,
  });
}
