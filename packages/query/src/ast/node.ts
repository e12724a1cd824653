/**
 * The base of every MQL AST node: a `kind` tag and a source `span`. Nodes are frozen plain
 * objects made by one factory per kind (Kysely style); `make` does the freezing.
 * See docs/mql_grammar.md §4.
 */

/** Where a node came from: offsets are 0-based [start, end); line and column are 1-based. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

/** The span of nodes built by hand rather than parsed. */
export const NO_SPAN: Span = Object.freeze({ start: 0, end: 0, line: 0, column: 0 });

export interface NodeBase<K extends string> {
  readonly kind: K;
  readonly span: Span;
}

/** What a factory takes: every field of the node but `kind`; `span` is optional. */
export type Fields<T extends NodeBase<string>> = Omit<T, 'kind' | 'span'> & { span?: Span };

/** Freeze `fields` (and any arrays in them) into a node of `kind`. */
export function make<T extends NodeBase<string>>(kind: T['kind'], fields: Fields<T>): T {
  const out: Record<string, unknown> = { kind, ...fields };
  out.kind = kind;
  out.span = fields.span ?? NO_SPAN;
  for (const key in out) {
    const value = out[key];
    if (Array.isArray(value)) out[key] = Object.freeze(value.slice());
  }
  return Object.freeze(out) as unknown as T;
}
