/**
 * Rank: orders candidates by the ranking column (default score, descending; ORDER BY column
 * [ASC|DESC], ASC when no direction is written), ties always broken by id ascending, so results
 * are deterministic. Missing values sort last.
 */
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from './candidate.js';
import { candidateField } from './candidate-fields.js';
import { pullThrough, type MaybePromise, type Op } from './op.js';

function sortable(v: unknown): number | string | null {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && 'lo' in v) return (v as { lo: number }).lo;
  return null;
}

/** The sort key of `column` (the computed scores read directly; other columns through candidateField). */
function sortKey(column: string): (c: Candidate) => number | string | null {
  switch (column) {
    case 'score': return (c) => c.score;
    case 'activation': return (c) => c.activation;
    case 'retention': return (c) => c.retention;
    default: return (c) => sortable(candidateField(c, column));
  }
}

export function compareBy(column: string, desc: boolean): (a: Candidate, b: Candidate) => number {
  const key = sortKey(column);
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      const c = x < y ? -1 : x > y ? 1 : 0;
      if (c !== 0) return desc ? -c : c;
    }
    return a.rec.id < b.rec.id ? -1 : a.rec.id > b.rec.id ? 1 : 0;
  };
}

export class RankOp implements Op<Candidate> {
  readonly name = 'Rank';
  constructor(readonly children: readonly Op[], readonly column: string, readonly desc: boolean) {}

  describe(): string {
    return `by=${this.column} ${this.desc ? 'DESC' : 'ASC'}, id ASC`;
  }

  run(ctx: ExecContext): MaybePromise<Candidate[]> {
    return pullThrough(ctx, this);
  }

  apply(_ctx: ExecContext, rows: Candidate[]): Candidate[] {
    return rows.length > 1 ? rows.sort(compareBy(this.column, this.desc)) : rows;
  }
}
