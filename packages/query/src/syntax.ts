/**
 * The public syntax API of @mnemo/query (docs/mql_grammar.md): parse MQL text into a frozen AST,
 * print an AST back to MQL, list a statement's parameters, and the typed parse error.
 * AST node types and factories live under the `ast` namespace (e.g. `ast.recall({...})`).
 */
export { parse, parseStatement, type ParseOptions } from './parser/parse.js';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH } from './parser/limits.js';
export { print } from './ast/printer/print.js';
export { countParams, type ParamList } from './ast/params.js';
export { MqlSyntaxError, type SyntaxErrorCode, type SyntaxErrorInit } from './errors/syntax-error.js';
export { tokenize } from './lexer/lexer.js';
export { KEYWORD_NAMES, isKeyword, type KeywordName } from './lexer/keywords.js';
export * as ast from './ast/index.js';
export type { Script } from './ast/utility-statements.js';
export type { Statement, StatementKind, Node as AstNode, NodeKind as AstNodeKind } from './ast/types.js';
export type { Condition } from './ast/conditions.js';
export type { Pattern, Value, Param, Span as SourceSpan } from './ast/index.js';
