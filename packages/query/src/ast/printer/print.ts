/**
 * `print(node)`: any AST node back to canonical MQL text. For every parsed node,
 * `parse(print(node))` rebuilds the same tree (spans aside) (docs/mql_grammar.md §4).
 */
import type { Node } from '../types.js';
import { conditionPrinters } from './print-conditions.js';
import { readPrinters, spacePrinters, utilityPrinters, writePrinters } from './print-statements.js';
import { valuePrinters } from './print-values.js';
import type { Printers } from './printers.js';

const PRINTERS: Printers = {
  ...valuePrinters, ...conditionPrinters, ...spacePrinters, ...writePrinters, ...readPrinters, ...utilityPrinters,
};

export function print(node: Node): string {
  const handler = PRINTERS[node.kind] as (n: Node, p: (child: Node) => string) => string;
  return handler(node, print);
}
