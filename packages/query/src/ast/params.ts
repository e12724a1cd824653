/**
 * `countParams(stmt)`: the parameters a statement needs, for prepared statements
 * (docs/mql_grammar.md §1): how many positional `?` and which `$name`s, in order of appearance.
 */
import type { Node } from './types.js';
import type { Param } from './values.js';

export interface ParamList {
  /** Number of `?` parameters (bound by position, 0-based in source order). */
  positional: number;
  /** Distinct `$name` parameters (without '$'), in order of first appearance. */
  named: string[];
  /** Every parameter node, in source order. */
  params: Param[];
}

export function countParams(node: Node): ParamList {
  const params: Param[] = [];
  collect(node, params);
  params.sort((a, b) => a.span.start - b.span.start);
  const named: string[] = [];
  let positional = 0;
  for (const p of params) {
    if (p.name === null) positional = Math.max(positional, (p.position ?? 0) + 1);
    else if (!named.includes(p.name)) named.push(p.name);
  }
  return { positional, named, params };
}

function collect(value: unknown, out: Param[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out);
    return;
  }
  if (value === null || typeof value !== 'object' || !('kind' in value)) return;
  if ((value as Node).kind === 'Param') {
    out.push(value as Param);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'span') collect(v, out);
  }
}
