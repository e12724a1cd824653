/**
 * Test helper: an AST as plain JSON without spans, for comparing trees from different texts.
 */
export function stripSpans(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (k, v: unknown) => (k === 'span' ? undefined : Object.is(v, -0) ? '-0' : v)));
}
