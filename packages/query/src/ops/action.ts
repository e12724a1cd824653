/**
 * Action: a leaf operator that performs one step of a non-read statement (a space change, a
 * write batch, a utility) and returns its result rows. EXPLAIN shows its name and detail.
 */
import type { Row } from '../api/result.js';
import type { ExecContext } from '../exec/context.js';
import type { Op } from './op.js';

export class ActionOp implements Op<Row> {
  readonly children: readonly Op[] = [];
  constructor(
    readonly name: string,
    readonly detail: string,
    private readonly fn: (ctx: ExecContext) => Promise<Row[]>,
  ) {}

  describe(): string {
    return this.detail;
  }

  run(ctx: ExecContext): Promise<Row[]> {
    return this.fn(ctx);
  }
}
