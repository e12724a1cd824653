/**
 * CST → AST for values: parameters, ids, numbers, durations, times, confidences, vectors and
 * JSON-style objects/arrays. Context decides what `[…]` means (docs/mql_grammar.md §1).
 */
import type { CstNode, IToken } from 'chevrotain';
import * as ast from '../../ast/values.js';
import type { DurationUnit } from '../../ast/values.js';
import { NamedParam } from '../../lexer/tokens.js';
import { type BuildContext, child, need, only, spanFrom, spanOf, token } from './context.js';

export function buildParam(ctx: BuildContext, node: CstNode): ast.Param {
  const t = only(node) as IToken;
  if (t.tokenType === NamedParam) return ast.param({ name: t.image.slice(1), position: null, span: spanOf(t) });
  return ast.param({ name: null, position: ctx.positionOf(t.startOffset), span: spanOf(t) });
}

/** idRef / nameRef: Identifier | BackquotedIdentifier | param */
export function buildIdRef(ctx: BuildContext, node: CstNode): ast.IdRef {
  const p = child(node, 'param');
  if (p) return buildParam(ctx, p);
  const t = only(node) as IToken;
  return ast.id({ name: t.payload as string, span: spanOf(t) });
}

export function buildIdList(ctx: BuildContext, node: CstNode): ast.IdRef[] {
  return (node.children.idRef ?? []).map((n) => buildIdRef(ctx, n as CstNode));
}

export function buildSignedNumber(ctx: BuildContext, node: CstNode): ast.NumberLiteral {
  const minus = token(node, 'Minus');
  const digits = token(node, 'NumberLiteral')!;
  return ast.numberLiteral({ value: signedValue(ctx, minus, digits), span: minus ? spanFrom(minus, digits) : spanOf(digits) });
}

/** The value of `['-'] NUMBER`; an infinite magnitude (1e999) is an error at the digits. */
function signedValue(ctx: BuildContext, minus: IToken | undefined, digits: IToken): number {
  const magnitude = Number(digits.image);
  if (!Number.isFinite(magnitude)) throw ctx.error(digits, `number ${digits.image.slice(0, 30)} is out of range`);
  return minus ? -magnitude : magnitude;
}

export function buildNumberValue(ctx: BuildContext, node: CstNode): ast.NumberValue {
  const p = child(node, 'param');
  return p ? buildParam(ctx, p) : buildSignedNumber(ctx, need(node, 'signedNumber'));
}

/** A numberValue that must be a whole number ≥ 0 when literal (LIMIT, DIM, TIMES, …). */
export function buildCount(ctx: BuildContext, node: CstNode, clause: string): ast.NumberValue {
  const v = buildNumberValue(ctx, node);
  if (v.kind === 'Literal.Number' && !(Number.isSafeInteger(v.value) && v.value >= 0)) {
    throw ctx.error(node, `${clause} expects a whole number ≥ 0, found ${v.value}`);
  }
  return v;
}

export function buildStringValue(ctx: BuildContext, node: CstNode): ast.StringValue {
  const p = child(node, 'param');
  if (p) return buildParam(ctx, p);
  const t = token(node, 'StringLiteral')!;
  return ast.stringLiteral({ value: t.payload as string, span: spanOf(t) });
}

export function buildDuration(t: IToken): ast.DurationLiteral {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(t.image)!;
  const value = Number(m[1]);
  const unit = m[2] as DurationUnit;
  return ast.durationLiteral({ value, unit, ms: ast.durationMs(value, unit), span: spanOf(t) });
}

export function buildDurationValue(ctx: BuildContext, node: CstNode): ast.DurationValue {
  const p = child(node, 'param');
  return p ? buildParam(ctx, p) : buildDuration(token(node, 'DurationLiteral')!);
}

export function buildNow(ctx: BuildContext, node: CstNode): ast.NowLiteral {
  const sign = token(node, 'Plus') ?? token(node, 'Minus');
  const d = child(node, 'durationValue');
  return ast.nowLiteral({
    op: sign ? (sign.image as '+' | '-') : null,
    offset: d ? buildDurationValue(ctx, d) : null,
    span: spanOf(node),
  });
}

export function buildTimeValue(ctx: BuildContext, node: CstNode): ast.TimeValue {
  const s = token(node, 'StringLiteral');
  if (s) {
    if (Number.isNaN(Date.parse(s.payload as string))) {
      throw ctx.error(s, `${s.image.slice(0, 40)} is not a time`, { suggestion: "write an ISO-8601 time such as '2024-05-01T12:00:00Z', unix seconds, or NOW - 7d" });
    }
    return ast.stringLiteral({ value: s.payload as string, span: spanOf(s) });
  }
  const n = child(node, 'signedNumber');
  if (n) return buildSignedNumber(ctx, n);
  const now = child(node, 'nowExpr');
  if (now) return buildNow(ctx, now);
  return buildParam(ctx, need(node, 'param'));
}

/**
 * The numbers of an array CST node, or an error naming `what` it must hold. Hot for embedding
 * literals (hundreds of elements): values are read straight from the tokens, no node per element.
 */
function numbersOf(ctx: BuildContext, arrayNode: CstNode, what: string): number[] {
  const values = (arrayNode.children.value ?? []) as CstNode[];
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const n = values[i]!.children.signedNumber?.[0] as CstNode | undefined;
    if (n === undefined) throw ctx.error(values[i]!, `${what} holds numbers only`);
    out[i] = signedValue(ctx, n.children.Minus?.[0] as IToken | undefined, n.children.NumberLiteral![0] as IToken);
  }
  return out;
}

export function buildVector(ctx: BuildContext, arrayNode: CstNode): ast.VectorLiteral {
  const values = numbersOf(ctx, arrayNode, 'a vector');
  if (values.length === 0) throw ctx.error(arrayNode, 'a vector needs at least one number');
  return ast.vectorLiteral({ values, span: spanOf(arrayNode) });
}

export function buildVectorValue(ctx: BuildContext, node: CstNode): ast.VectorValue {
  const p = child(node, 'param');
  return p ? buildParam(ctx, p) : buildVector(ctx, need(node, 'array'));
}

export function buildConfidenceValue(ctx: BuildContext, node: CstNode): ast.ConfidenceValue {
  const p = child(node, 'param');
  if (p) return buildParam(ctx, p);
  const n = child(node, 'signedNumber');
  if (n) {
    const v = buildSignedNumber(ctx, n);
    if (v.value < 0 || v.value > 1) throw ctx.error(n, `a confidence is between 0 and 1, found ${v.value}`);
    return v;
  }
  const arr = need(node, 'array');
  const xs = numbersOf(ctx, arr, 'an interval');
  const [lo, hi] = xs;
  if (xs.length !== 2 || lo === undefined || hi === undefined) throw ctx.error(arr, 'an interval is [lo, hi]: two numbers');
  if (!(lo >= 0 && lo <= hi && hi <= 1)) throw ctx.error(arr, `an interval needs 0 ≤ lo ≤ hi ≤ 1, found [${lo}, ${hi}]`);
  return ast.intervalLiteral({ lo, hi, span: spanOf(arr) });
}

