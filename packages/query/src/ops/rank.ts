/**
 * Rank: orders candidates by the ranking column (default score, descending; ORDER BY column
 * [ASC|DESC], ASC when no direction is written), ties always broken by id ascending, so results
 * are deterministic. Missing values sort last. With the LIMIT that follows it pushed down (`top`),
 * it keeps only the first k, selected without sorting the rest (ops/top-k.ts); under PROFILE it
 * sorts them all, so that Limit can list every candidate it cuts.
 */
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from './candidate.js';
import { candidateField } from './candidate-fields.js';
import { pullThrough, type MaybePromise, type Op } from './op.js';
import { runValue, type RunValue } from './run-value.js';
import { topK, worthSelecting } from './top-k.js';

function sortable(v: unknown): number | string | null {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && 'lo' in v) return (v as { lo: number }).lo;
  return null;
}

/** Ties of the ranking column: by id ascending. */
function byId(a: Candidate, b: Candidate): number {
  return a.rec.id < b.rec.id ? -1 : a.rec.id > b.rec.id ? 1 : 0;
}

/**
 * The comparator of a computed score column (always a number): a fixed property read, no key
 * function per comparison. NaN compares as the generic comparator does (as neither smaller nor larger).
 */
function byScore(column: 'score' | 'activation' | 'retention', desc: boolean): (a: Candidate, b: Candidate) => number {
  const sign = desc ? -1 : 1;
  switch (column) {
    case 'score': return (a, b) => (a.score < b.score ? -sign : a.score > b.score ? sign : byId(a, b));
    case 'activation': return (a, b) => (a.activation < b.activation ? -sign : a.activation > b.activation ? sign : byId(a, b));
    case 'retention': return (a, b) => (a.retention < b.retention ? -sign : a.retention > b.retention ? sign : byId(a, b));
  }
}

export function compareBy(column: string, desc: boolean): (a: Candidate, b: Candidate) => number {
  if (column === 'score' || column === 'activation' || column === 'retention') return byScore(column, desc);
  const key = (c: Candidate): number | string | null => sortable(candidateField(c, column));
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      const c = x < y ? -1 : x > y ? 1 : 0;
      if (c !== 0) return desc ? -c : c;
    }
    return byId(a, b);
  };
}

export class RankOp implements Op<Candidate> {
  readonly name = 'Rank';
  /** Made once: a reused plan's Rank sorts every run with it. */
  private readonly compare: (a: Candidate, b: Candidate) => number;

  constructor(
    readonly children: readonly Op[],
    readonly column: string,
    readonly desc: boolean,
    /** The LIMIT of the Limit above, pushed down; null: no LIMIT, every candidate is kept. */
    readonly top: RunValue<number | null> = null,
  ) {
    this.compare = compareBy(column, desc);
  }

  describe(ctx: ExecContext): string {
    const k = runValue(ctx, this.top);
    return `by=${this.column} ${this.desc ? 'DESC' : 'ASC'}, id ASC${k === null ? '' : ` top=${k}`}`;
  }

  run(ctx: ExecContext): MaybePromise<Candidate[]> {
    return pullThrough(ctx, this);
  }

  apply(ctx: ExecContext, rows: Candidate[]): Candidate[] {
    const k = runValue(ctx, this.top);
    if (k !== null && ctx.profile === null && worthSelecting(k, rows.length)) return topK(rows, k, this.compare);
    return rows.length > 1 ? rows.sort(this.compare) : rows;
  }
}
