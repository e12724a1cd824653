/**
 * The MQL AST: node types, their factories and the union types (docs/mql_grammar.md §4).
 */
export * from './node.js';
export * from './values.js';
export * from './conditions.js';
export * from './space-statements.js';
export * from './write-statements.js';
export * from './read-statements.js';
export * from './utility-statements.js';
export type * from './types.js';
export { print } from './printer/print.js';
export { countParams, type ParamList } from './params.js';
