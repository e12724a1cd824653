/**
 * @mnemo/query public API: the host API (`open`, Database, prepared Statement, result types),
 * the syntax API (parse/print/AST, KEYWORD_NAMES), the embedder, MnemoError, and isoTime (a time
 * formatted as result rows format `created` and `last_access`).
 * See docs/mql_reference.md.
 */
export { open } from './api/open.js';
export { Database, type QueryOptions, type Progress } from './api/database.js';
export { PreparedStatement, PreparedStatement as Statement } from './api/statement.js';
export type { OpenOptions, Limits } from './api/options.js';
export { DEFAULT_LIMITS } from './api/options.js';
export type { ResultSet, QueryStats, Row, Params } from './api/result.js';
export { isoTime } from './analyze/iso-time.js';
export * from './syntax.js';
export * from './embedder/index.js';
export { MnemoError, isMnemoError } from '@mnemo/engine';
export type { ErrorCode } from '@mnemo/engine';
