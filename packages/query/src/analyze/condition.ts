/**
 * Compiles a WHERE condition into a predicate over any row shape (a RowRef during vector
 * traversal, a scored candidate afterwards) given a field accessor. Right-hand sides are
 * evaluated once at compile time (times against the query's NOW). Semantics in
 * docs/mql_reference.md §"Conditions" (confidence: >/>= test lo, </<= test hi, =/!= test containment).
 */
import { MnemoError, type Interval } from '@mnemo/engine';
import type { CompareOperator, Condition, Value } from '../ast/index.js';
import type { Params } from '../api/result.js';
import { isTimeField } from './fields.js';
import { evalTime } from './time.js';
import { evalValue } from './values.js';

export type FieldAccessor<T> = (row: T, field: string) => unknown;
export type Predicate<T> = (row: T) => boolean;

/** What a condition's right-hand sides are evaluated against (a statement's ExecContext is one). */
export interface CompileEnv {
  readonly params: Params | undefined;
  readonly now: number;
}

export function compileCondition<T>(c: Condition, get: FieldAccessor<T>, env: CompileEnv): Predicate<T> {
  switch (c.kind) {
    case 'Condition.And': {
      const parts = c.operands.map((o) => compileCondition(o, get, env));
      return (r) => parts.every((p) => p(r));
    }
    case 'Condition.Or': {
      const parts = c.operands.map((o) => compileCondition(o, get, env));
      return (r) => parts.some((p) => p(r));
    }
    case 'Condition.Not': {
      const inner = compileCondition(c.operand, get, env);
      return (r) => !inner(r);
    }
    case 'Condition.Compare':
      return compileCompare(c.field.name, c.op, rhs(c.field.name, c.value, env), get);
    case 'Condition.Time': {
      const t = evalTime(c.value, env.params, env.now);
      const f = c.field.name;
      return c.op === 'before' ? (r) => cmpNum(get(r, f), t) < 0 : (r) => cmpNum(get(r, f), t) > 0;
    }
    case 'Condition.In': {
      const f = c.field.name;
      const preds = c.values.map((v) => compileCompare(f, '=', rhs(f, v, env), get));
      return (r) => preds.some((p) => p(r));
    }
    case 'Condition.Contains': {
      const f = c.field.name;
      const needle = evalValue(c.value, env.params);
      return (r) => contains(get(r, f), needle);
    }
  }
}

const NUMBER_FIELDS = new Set(['confidence', 'retention', 'activation', 'score', 'access_count']);

function rhs(field: string, v: Value, env: CompileEnv): unknown {
  if (isTimeField(field)) {
    if (v.kind === 'Literal.String' || v.kind === 'Literal.Number' || v.kind === 'Literal.Now' || v.kind === 'Param') {
      return evalTime(v, env.params, env.now);
    }
    throw new MnemoError('TYPE_ERROR', `${field} compares with a time (ISO text, unix seconds or NOW - d)`);
  }
  if (v.kind === 'Literal.Now') return evalTime(v, env.params, env.now);
  const value = evalValue(v, env.params);
  if ((field === 'id' || field === 'content' || field === 'kind') && typeof value !== 'string') {
    throw new MnemoError('TYPE_ERROR', `${field} compares with a string, got ${JSON.stringify(value)}`);
  }
  if (NUMBER_FIELDS.has(field) && typeof value !== 'number') {
    throw new MnemoError('TYPE_ERROR', `${field} compares with a number, got ${JSON.stringify(value)}`);
  }
  return field === 'kind' && typeof value === 'string' ? value.toLowerCase() : value;
}

function compileCompare<T>(f: string, op: CompareOperator, v: unknown, get: FieldAccessor<T>): Predicate<T> {
  if (f === 'confidence') return (r) => compareInterval(get(r, f) as Interval, op, v as number);
  return (r) => {
    const x = get(r, f);
    if (op === '=') return equal(x, v);
    if (op === '!=') return !equal(x, v);
    const c = compareAny(x, v);
    if (c === null) return false;
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  };
}

function compareInterval(x: Interval, op: CompareOperator, v: number): boolean {
  switch (op) {
    case '>': return x.lo > v;
    case '>=': return x.lo >= v;
    case '<': return x.hi < v;
    case '<=': return x.hi <= v;
    case '=': return x.lo <= v && v <= x.hi;
    case '!=': return !(x.lo <= v && v <= x.hi);
  }
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined && b === null) return true;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function compareAny(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

function cmpNum(a: unknown, b: number): number {
  return typeof a === 'number' ? a - b : NaN;
}

function contains(hay: unknown, needle: unknown): boolean {
  if (typeof hay === 'string' && typeof needle === 'string') return hay.toLowerCase().includes(needle.toLowerCase());
  if (Array.isArray(hay)) return hay.some((h) => equal(h, needle));
  return false;
}
