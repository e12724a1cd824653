/**
 * Write: commits a batch of engine write ops as ONE atomic write (or buffers it in the open
 * transaction) and returns one row per written item. The ops are built by the planner.
 */
import type { WriteOp } from '@mnemo/engine';
import type { Row } from '../api/result.js';
import type { ExecContext } from '../exec/context.js';
import type { Op } from './op.js';

export class WriteBatchOp implements Op<Row> {
  readonly name = 'Write';
  constructor(
    readonly what: string,
    private readonly build: (ctx: ExecContext) => Promise<WriteOp[]> | WriteOp[],
    private readonly rows: (ops: WriteOp[], ids: string[]) => Row[],
    readonly children: readonly Op[] = [],
  ) {}

  describe(): string {
    return this.what;
  }

  async run(ctx: ExecContext): Promise<Row[]> {
    const ops = await this.build(ctx);
    const ids = await ctx.write(ops);
    ctx.recordWrites(ids, ops.length);
    return this.rows(ops, ids);
  }
}
