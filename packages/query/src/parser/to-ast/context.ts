/**
 * Shared plumbing of the CST → AST builder: typed access to CST children, spans, positional
 * parameter numbering and error creation (docs/mql_grammar.md §4).
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Span } from '../../ast/node.js';
import { MqlSyntaxError, type SyntaxErrorCode } from '../../errors/syntax-error.js';

export class BuildContext {
  /** Index of the first `?` of the statement being built, in `positional`. */
  private base = 0;

  constructor(
    readonly source: string,
    /** Offsets of every `?` token in the script, ascending. */
    private readonly positional: readonly number[],
    readonly maxDepth: number,
  ) {}

  /** Start numbering `?` parameters for a statement beginning at `offset`. */
  beginStatement(offset: number): void {
    this.base = lowerBound(this.positional, offset);
  }

  /** 0-based position of the `?` token at `offset` within the current statement. */
  positionOf(offset: number): number {
    return lowerBound(this.positional, offset) - this.base;
  }

  error(at: IToken | CstNode, reason: string, extra: { suggestion?: string | null; expected?: string[]; code?: SyntaxErrorCode } = {}): MqlSyntaxError {
    const offset = isToken(at) ? at.startOffset : (at.location?.startOffset ?? 0);
    const found = isToken(at) ? at.image : this.source.slice(offset, (at.location?.endOffset ?? offset) + 1);
    return new MqlSyntaxError({ source: this.source, offset, reason, found: found.slice(0, 40), ...extra });
  }
}

function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function isToken(e: CstElement): e is IToken {
  return (e as IToken).tokenType !== undefined;
}

/** The first CST child node under `key`, if any. */
export function child(node: CstNode, key: string): CstNode | undefined {
  const c = node.children[key]?.[0];
  return c !== undefined && !isToken(c) ? c : undefined;
}

/** The CST child node under `key`; the grammar guarantees it exists. */
export function need(node: CstNode, key: string): CstNode {
  const c = child(node, key);
  if (c === undefined) throw new Error(`internal: CST node ${node.name} has no ${key}`);
  return c;
}

export function children(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter((c): c is CstNode => !isToken(c));
}

/** The first token under `key`, if any. */
export function token(node: CstNode, key: string): IToken | undefined {
  const c = node.children[key]?.[0];
  return c !== undefined && isToken(c) ? c : undefined;
}

export function tokens(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter(isToken);
}

/** The only CST child element of a rule that is a single alternation. */
export function only(node: CstNode): CstElement {
  for (const key in node.children) {
    const first = node.children[key]?.[0];
    if (first !== undefined) return first;
  }
  throw new Error(`internal: CST node ${node.name} is empty`);
}

export function spanOf(e: CstElement): Span {
  if (isToken(e)) {
    return { start: e.startOffset, end: (e.endOffset ?? e.startOffset) + 1, line: e.startLine ?? 1, column: e.startColumn ?? 1 };
  }
  const loc = e.location;
  if (loc === undefined) return { start: 0, end: 0, line: 1, column: 1 };
  return { start: loc.startOffset, end: (loc.endOffset ?? loc.startOffset) + 1, line: loc.startLine ?? 1, column: loc.startColumn ?? 1 };
}

/** Span from the start of `a` to the end of `b`. */
export function spanFrom(a: CstElement, b: CstElement): Span {
  const s = spanOf(a);
  return { ...s, end: spanOf(b).end };
}
