/**
 * The shared tail of read plans: post-scoring WHERE filter, CONFIDENCE filter, Rank, Limit,
 * optional Reinforce and Project (docs/mql_reference.md §"Plans").
 */
import type { Condition, ConfidenceFilter, OrderBy } from '../ast/index.js';
import { print } from '../ast/printer/print.js';
import { bindRhs, prepareConditions, type PreparedCondition } from '../analyze/condition.js';
import { evalNumber } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import type { Candidate } from '../ops/candidate.js';
import { candidateField } from '../ops/candidate-fields.js';
import { FilterOp } from '../ops/filter.js';
import { LimitOp } from '../ops/limit.js';
import type { Op } from '../ops/op.js';
import { MEMORY_COLUMNS, ProjectOp } from '../ops/project.js';
import { RankOp } from '../ops/rank.js';
import { ReinforceOp } from '../ops/reinforce.js';
import { runValue, type RunValue } from '../ops/run-value.js';
import { planOf, type Plan } from './plan.js';

/** WHERE on computed columns, compiled for one run. */
export function postWhere(ctx: ExecContext, input: Op, post: readonly Condition[]): Op {
  if (post.length === 0) return input;
  const prepared = prepareConditions(post, candidateField);
  return whereFilter(input, post, prepared, bindRhs(prepared, ctx));
}

/** The post-scoring WHERE filter of `prepared` (compiled from `post`), its values `rhs` fixed or bound per run. */
export function whereFilter(input: Op, post: readonly Condition[], prepared: PreparedCondition<Candidate>, rhs: RunValue<readonly unknown[]>): Op {
  let text: string | null = null;
  const test = prepared.test;
  return new FilterOp([input], 'Where', () => (text ??= post.map((c) => print(c)).join(' AND ')), (c, ctx) => test(c, runValue(ctx, rhs)));
}

/** CONFIDENCE > c tests the lower end of the interval; < c the upper end. */
export function confidenceFilter(ctx: ExecContext, input: Op, f: ConfidenceFilter | null): Op {
  if (f === null) return input;
  return confidenceOp(input, f, evalNumber(f.value, ctx.params));
}

/** The CONFIDENCE filter with its bound `value` (fixed, or a slot bound per run). */
export function confidenceOp(input: Op, f: ConfidenceFilter, value: RunValue<number>): Op {
  const test = (c: Candidate, ctx: ExecContext): boolean => {
    const v = runValue(ctx, value);
    const { lo, hi } = c.confidence;
    return f.op === '>' ? lo > v : f.op === '>=' ? lo >= v : f.op === '<' ? hi < v : hi <= v;
  };
  return new FilterOp([input], 'Confidence', (ctx) => `${f.op} ${runValue(ctx, value)}`, test);
}

export interface TailOptions {
  orderBy: OrderBy | null;
  /** Ranking column when there is no ORDER BY (descending). */
  defaultColumn: string;
  /** Direction without ORDER BY (default descending). */
  defaultDesc?: boolean;
  limit: RunValue<number | null>;
  reinforceSpace: RunValue<string> | null;
  extraColumns?: string[];
}

export function readTail(input: Op, o: TailOptions): Plan {
  const column = o.orderBy?.column.name ?? o.defaultColumn;
  const desc = o.orderBy === null ? o.defaultDesc ?? true : o.orderBy.direction === 'desc';
  let op: Op = new RankOp([input], column, desc, o.limit);
  op = new LimitOp([op], o.limit);
  if (o.reinforceSpace !== null) op = new ReinforceOp([op], o.reinforceSpace);
  const columns = [...MEMORY_COLUMNS, ...(o.extraColumns ?? [])];
  return planOf(new ProjectOp([op], columns), columns);
}
