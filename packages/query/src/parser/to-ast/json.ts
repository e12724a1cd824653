/**
 * CST → AST for the generic `value` rule: condition right-hand sides, and JSON-style objects
 * and arrays (whose members must be JSON values) (docs/mql_grammar.md §1).
 */
import type { CstNode, IToken } from 'chevrotain';
import * as ast from '../../ast/values.js';
import { type BuildContext, child, need, only, spanOf } from './context.js';
import { buildDuration, buildNow, buildParam, buildSignedNumber } from './values.js';

/** Any value, as on the right of a condition. */
export function buildValue(ctx: BuildContext, node: CstNode): ast.Value {
  const sub = child(node, 'signedNumber') ?? child(node, 'nowExpr') ?? child(node, 'array') ?? child(node, 'object') ?? child(node, 'param');
  if (sub) {
    switch (sub.name) {
      case 'signedNumber': return buildSignedNumber(ctx, sub);
      case 'nowExpr': return buildNow(ctx, sub);
      case 'array': return buildArray(ctx, sub);
      case 'object': return buildObject(ctx, sub);
      default: return buildParam(ctx, sub);
    }
  }
  const t = only(node) as IToken;
  const span = spanOf(t);
  switch (t.tokenType.name) {
    case 'StringLiteral': return ast.stringLiteral({ value: t.payload as string, span });
    case 'DurationLiteral': return buildDuration(t);
    case 'TRUE': return ast.booleanLiteral({ value: true, span });
    case 'FALSE': return ast.booleanLiteral({ value: false, span });
    case 'NULL': return ast.nullLiteral({ span });
    case 'EPISODIC': case 'SEMANTIC': return ast.stringLiteral({ value: t.tokenType.name.toLowerCase(), span });
    default: return ast.id({ name: t.payload as string, span });
  }
}

/** A value inside an object or array: strings, numbers, booleans, null, objects, arrays, params. */
export function buildJson(ctx: BuildContext, node: CstNode): ast.JsonValue {
  const v = buildValue(ctx, node);
  switch (v.kind) {
    case 'Literal.Duration': case 'Literal.Now': case 'Id':
      throw ctx.error(node, 'expected a JSON value (a string, number, true, false, null, object or array)', {
        suggestion: v.kind === 'Id' ? 'quote text inside objects and arrays: "like this"' : null,
      });
    default:
      return v;
  }
}

export function buildArray(ctx: BuildContext, node: CstNode): ast.ArrayLiteral {
  const items = ((node.children.value ?? []) as CstNode[]).map((v) => buildJson(ctx, v));
  return ast.arrayLiteral({ items, span: spanOf(node) });
}

export function buildObject(ctx: BuildContext, node: CstNode): ast.ObjectLiteral {
  const seen = new Set<string>();
  const entries = ((node.children.entry ?? []) as CstNode[]).map((e) => {
    const keyToken = (e.children.StringLiteral ?? e.children.Identifier ?? e.children.BackquotedIdentifier)![0] as IToken;
    const key = keyToken.payload as string;
    if (seen.has(key)) throw ctx.error(keyToken, `duplicate key ${JSON.stringify(key)} in object`);
    seen.add(key);
    return ast.objectEntry({ key, value: buildJson(ctx, need(e, 'value')), span: spanOf(e) });
  });
  return ast.objectLiteral({ entries, span: spanOf(node) });
}

export function buildObjectValue(ctx: BuildContext, node: CstNode): ast.ObjectValue {
  const p = child(node, 'param');
  return p ? buildParam(ctx, p) : buildObject(ctx, need(node, 'object'));
}
