/**
 * Rewrite: a `RECALL *` (or CONSOLIDATE/FORGET source) whose WHERE has a top-level conjunct
 * `id = x` or `id IN (…)` reads those ids with a Lookup instead of scanning the space (the whole
 * pushed filter is still applied to the looked-up rows).
 */
import type { Condition } from '../ast/index.js';
import type { Params } from '../api/result.js';
import { conjuncts } from '../analyze/fields.js';
import { evalValue } from '../analyze/values.js';

function namesIds(c: Condition): boolean {
  if (c.kind === 'Condition.Compare') return c.op === '=' && c.field.name === 'id';
  return c.kind === 'Condition.In' && c.field.name === 'id';
}

/** The first top-level conjunct naming ids, per WHERE node (a property of the frozen AST). */
const idConjunctOf = new WeakMap<Condition, Condition | null>();

function idConjunct(where: Condition): Condition | null {
  let found = idConjunctOf.get(where);
  if (found === undefined) {
    found = conjuncts(where).find(namesIds) ?? null;
    idConjunctOf.set(where, found);
  }
  return found;
}

/** True when the WHERE names ids (a RECALL * then reads them with a Lookup); a property of the AST. */
export function namesIdsIn(where: Condition | null): boolean {
  return where !== null && idConjunct(where) !== null;
}

/** The ids named by the WHERE's first `id = x` / `id IN (…)` conjunct, evaluated with this run's parameters; null when none. */
export function idsFromWhere(where: Condition | null, params: Params | undefined): string[] | null {
  const c = where === null ? null : idConjunct(where);
  if (c === null) return null;
  if (c.kind === 'Condition.Compare') {
    const v = evalValue(c.value, params);
    return typeof v === 'string' ? [v] : [];
  }
  if (c.kind !== 'Condition.In') return null;
  const vs = c.values.map((x) => evalValue(x, params)).filter((v): v is string => typeof v === 'string');
  return [...new Set(vs)].sort();
}
