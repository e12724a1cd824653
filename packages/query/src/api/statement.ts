/**
 * Statement: a prepared statement (host API §6). The text is parsed once by `db.prepare`;
 * `run(params)` executes the stored AST and returns the same result object as `db.query`.
 * Re-running never re-parses (a RECALL also keeps its plan: plan/plan-cache.ts); parameter values
 * are bound as values, never as MQL text.
 */
import type { Statement as AstStatement } from '../ast/index.js';
import { countParams, type ParamList } from '../ast/params.js';
import type { Database, QueryOptions } from './database.js';
import type { Params, ResultSet } from './result.js';

export class PreparedStatement {
  /** Parameters of each statement of the prepared text. */
  readonly params: readonly ParamList[];

  constructor(private readonly db: Database, readonly text: string, readonly statements: readonly AstStatement[]) {
    this.params = statements.map((s) => countParams(s));
  }

  run(params?: Params, options: QueryOptions = {}): Promise<ResultSet> {
    return this.db.run(this.statements, params, options);
  }
}
