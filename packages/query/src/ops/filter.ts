/**
 * Filter: keeps the candidates a predicate accepts; the others are suppressed with a reason that
 * PROFILE shows (THRESHOLD, CONFIDENCE, WHERE on computed columns, AS OF existence).
 */
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from './candidate.js';
import { pullThrough, type MaybePromise, type Op } from './op.js';

export class FilterOp implements Op<Candidate> {
  constructor(
    readonly children: readonly Op[],
    readonly name: string,
    private readonly label: string | ((ctx: ExecContext) => string),
    /** Takes its run values (a reused plan's parameters) from `ctx`, never from a closure over one run. */
    readonly predicate: (c: Candidate, ctx: ExecContext) => boolean,
  ) {}

  /** The condition as text (EXPLAIN, PROFILE's suppression reason); a function label is printed on demand. */
  text(ctx: ExecContext): string {
    return typeof this.label === 'string' ? this.label : this.label(ctx);
  }

  describe(ctx: ExecContext): string {
    return this.text(ctx);
  }

  run(ctx: ExecContext): MaybePromise<Candidate[]> {
    return pullThrough(ctx, this);
  }

  apply(ctx: ExecContext, rows: Candidate[]): Candidate[] {
    const out: Candidate[] = [];
    for (const c of rows) {
      if (this.predicate(c, ctx)) out.push(c);
      else if (ctx.profile !== null) ctx.suppress(c, `${this.name} ${this.text(ctx)}`);
    }
    return out;
  }
}
