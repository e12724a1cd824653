/**
 * Project: candidates to result rows with the columns of language.md §3 — id, content, kind,
 * score, activation, retention, confidence [lo, hi], created, last_access, access_count, meta
 * (plus similarity, and any operator extras such as hops/path). Times as ISO-8601 text.
 */
import type { Row } from '../api/result.js';
import { isoTime } from '../analyze/time.js';
import type { ExecContext } from '../exec/context.js';
import { plainConstructor } from '../exec/plain-object.js';
import type { Candidate } from './candidate.js';
import { lastAccess } from './candidate-fields.js';
import { pullThrough, type MaybePromise, type Op } from './op.js';

export const MEMORY_COLUMNS = [
  'id', 'content', 'kind', 'score', 'activation', 'retention', 'confidence', 'created', 'last_access', 'access_count', 'similarity', 'meta',
];

const round = (x: number): number => (Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : x);

/**
 * `[lo, hi]` as a plain array without an array literal: V8 pretenures a literal site whose arrays
 * survive scavenges (a caller keeping results), and from then on allocates them old, ~90 ns each.
 * `new Array(2)` is not pretenured and costs ~15 ns; `Array.of`, used before, ~230 ns
 * (bench/results/query.md, session 12).
 */
function pair(lo: number, hi: number): [number, number] {
  const a = new Array<number>(2);
  a[0] = lo;
  a[1] = hi;
  return a as [number, number];
}

/**
 * A result row's columns in MEMORY_COLUMNS order, made by a constructor rather than a literal (the
 * rows stay plain objects; a literal site can be pretenured: exec/result-objects.ts).
 */
const MemoryRow = plainConstructor(function (this: Row, c: Candidate) {
  const la = lastAccess(c);
  this.id = c.rec.id;
  this.content = c.rec.content;
  this.kind = c.rec.kind;
  this.score = round(c.score);
  this.activation = round(c.activation);
  this.retention = round(c.retention);
  this.confidence = pair(round(c.confidence.lo), round(c.confidence.hi));
  this.created = isoTime(c.rec.created);
  this.last_access = la === null ? null : isoTime(la);
  this.access_count = c.decay?.presentations ?? c.rec.decay.count;
  this.similarity = c.similarity === null ? null : round(Math.min(1, c.similarity + c.lexical));
  this.meta = c.rec.meta ?? null;
});

export function memoryRow(c: Candidate): Row {
  const row = new MemoryRow(c);
  if (c.hops !== undefined) row.hops = c.hops;
  if (c.path !== undefined) row.path = c.path;
  if (c.extra) Object.assign(row, c.extra);
  return row;
}

export class ProjectOp implements Op<Row> {
  readonly name = 'Project';
  constructor(readonly children: readonly Op[], readonly columns: readonly string[]) {}

  describe(): string {
    return this.columns.join(', ');
  }

  run(ctx: ExecContext): MaybePromise<Row[]> {
    return pullThrough(ctx, this);
  }

  apply(ctx: ExecContext, rows: Candidate[]): Row[] {
    if (ctx.profile !== null) ctx.returned = rows;
    return rows.map(memoryRow);
  }
}
