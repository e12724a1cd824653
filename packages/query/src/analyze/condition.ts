/**
 * Compiles a WHERE condition into a predicate over any row shape (a RowRef during vector
 * traversal, a scored candidate afterwards) given a field accessor. Compiling is split in two:
 * prepareConditions builds the test once (a reused plan keeps it), bindRhs evaluates the
 * right-hand sides of one run (times against the query's NOW, parameters type-checked) in source
 * order, and the test reads them from that run's array. Semantics in docs/mql_reference.md
 * §"Conditions" (confidence: >/>= test lo, </<= test hi, =/!= test containment).
 */
import { MnemoError, type Interval } from '@mnemo/engine';
import type { CompareOperator, Condition, TimeValue, Value } from '../ast/index.js';
import type { Params } from '../api/result.js';
import { isTimeField } from './fields.js';
import { evalTime } from './time.js';
import { evalValue } from './values.js';

export type FieldAccessor<T> = (row: T, field: string) => unknown;
export type Predicate<T> = (row: T) => boolean;
/** A compiled condition: `rhs` holds one run's right-hand-side values (bindRhs). */
export type Test<T> = (row: T, rhs: readonly unknown[]) => boolean;

/** What a condition's right-hand sides are evaluated against (a statement's ExecContext is one). */
export interface CompileEnv {
  readonly params: Params | undefined;
  readonly now: number;
}

/** A right-hand side evaluated per run: compared with `field`, a time (BEFORE/AFTER), or CONTAINS's needle. */
interface RhsNode {
  readonly field: string;
  readonly how: 'compare' | 'time' | 'contains';
  readonly value: Value | TimeValue;
}

/** The AND of conditions, compiled once: the test and the right-hand sides it reads, in evaluation order. */
export interface PreparedCondition<T> {
  readonly test: Test<T>;
  readonly rhs: readonly RhsNode[];
}

export function prepareConditions<T>(conditions: readonly Condition[], get: FieldAccessor<T>): PreparedCondition<T> {
  const rhs: RhsNode[] = [];
  const tests = conditions.map((c) => build(c, get, rhs));
  return { test: every(tests), rhs };
}

/** This run's right-hand-side values of `p`, evaluated (and type-checked) in source order. */
export function bindRhs(p: { readonly rhs: readonly RhsNode[] }, env: CompileEnv): unknown[] {
  const out = new Array<unknown>(p.rhs.length);
  for (let i = 0; i < p.rhs.length; i++) {
    const n = p.rhs[i] as RhsNode;
    out[i] = n.how === 'compare' ? rhs(n.field, n.value as Value, env)
      : n.how === 'time' ? evalTime(n.value as TimeValue, env.params, env.now)
        : evalValue(n.value as Value, env.params);
  }
  return out;
}

/** `c` compiled for one run (prepare and bind at once). */
export function compileCondition<T>(c: Condition, get: FieldAccessor<T>, env: CompileEnv): Predicate<T> {
  const p = prepareConditions([c], get);
  const values = bindRhs(p, env);
  const test = p.test;
  return (r) => test(r, values);
}

function every<T>(tests: ReadonlyArray<Test<T>>): Test<T> {
  if (tests.length === 1) return tests[0] as Test<T>;
  return (r, v) => {
    for (const t of tests) if (!t(r, v)) return false;
    return true;
  };
}

function some<T>(tests: ReadonlyArray<Test<T>>): Test<T> {
  return (r, v) => {
    for (const t of tests) if (t(r, v)) return true;
    return false;
  };
}

function build<T>(c: Condition, get: FieldAccessor<T>, rhsOut: RhsNode[]): Test<T> {
  switch (c.kind) {
    case 'Condition.And':
      return every(c.operands.map((o) => build(o, get, rhsOut)));
    case 'Condition.Or':
      return some(c.operands.map((o) => build(o, get, rhsOut)));
    case 'Condition.Not': {
      const inner = build(c.operand, get, rhsOut);
      return (r, v) => !inner(r, v);
    }
    case 'Condition.Compare':
      return compareTest(c.field.name, c.op, rhsOut.push({ field: c.field.name, how: 'compare', value: c.value }) - 1, get);
    case 'Condition.Time': {
      const i = rhsOut.push({ field: c.field.name, how: 'time', value: c.value }) - 1;
      const f = c.field.name;
      return c.op === 'before' ? (r, v) => cmpNum(get(r, f), v[i] as number) < 0 : (r, v) => cmpNum(get(r, f), v[i] as number) > 0;
    }
    case 'Condition.In': {
      const f = c.field.name;
      return some(c.values.map((x) => compareTest(f, '=', rhsOut.push({ field: f, how: 'compare', value: x }) - 1, get)));
    }
    case 'Condition.Contains': {
      const f = c.field.name;
      const i = rhsOut.push({ field: f, how: 'contains', value: c.value }) - 1;
      return (r, v) => contains(get(r, f), v[i]);
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

function compareTest<T>(f: string, op: CompareOperator, i: number, get: FieldAccessor<T>): Test<T> {
  if (f === 'confidence') return (r, v) => compareInterval(get(r, f) as Interval, op, v[i] as number);
  return (r, v) => {
    const x = get(r, f);
    const y = v[i];
    if (op === '=') return equal(x, y);
    if (op === '!=') return !equal(x, y);
    const c = compareAny(x, y);
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
