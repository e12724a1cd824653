/**
 * Filter: keeps the candidates a predicate accepts; the others are suppressed with a reason that
 * PROFILE shows (THRESHOLD, CONFIDENCE, WHERE on computed columns, AS OF existence).
 */
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from './candidate.js';
import { only, pull, type Op } from './op.js';

export class FilterOp implements Op<Candidate> {
  constructor(
    readonly children: readonly Op[],
    readonly name: string,
    readonly text: string,
    readonly predicate: (c: Candidate) => boolean,
  ) {}

  describe(): string {
    return this.text;
  }

  async run(ctx: ExecContext): Promise<Candidate[]> {
    const rows = (await pull(ctx, only(this.children))) as Candidate[];
    const out: Candidate[] = [];
    for (const c of rows) {
      if (this.predicate(c)) out.push(c);
      else if (ctx.profile !== null) {
        c.suppressed = `${this.name} ${this.text}`;
        ctx.suppressed.push(c);
      }
    }
    return out;
  }
}
