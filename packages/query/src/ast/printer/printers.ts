/**
 * The printer's handler table type: one handler per node kind, so a new kind without a
 * printer is a compile error (Kysely-style visitor) (docs/mql_grammar.md §4).
 */
import type { Node, NodeKind, NodeOfKind } from '../types.js';

/** Print any child node. */
export type PrintChild = (node: Node) => string;

export type Printers = { [K in NodeKind]: (node: NodeOfKind<K>, p: PrintChild) => string };
