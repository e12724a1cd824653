/**
 * Rewrite: a `RECALL *` (or CONSOLIDATE/FORGET source) whose WHERE has a top-level conjunct
 * `id = x` or `id IN (…)` reads those ids with a Lookup instead of scanning the space (the whole
 * pushed filter is still applied to the looked-up rows).
 */
import type { Condition } from '../ast/index.js';
import type { Params } from '../api/result.js';
import { conjuncts } from '../analyze/fields.js';
import { evalValue } from '../analyze/values.js';

export function idsFromWhere(where: Condition | null, params: Params | undefined): string[] | null {
  for (const c of conjuncts(where)) {
    if (c.kind === 'Condition.Compare' && c.field.name === 'id' && c.op === '=') {
      const v = evalValue(c.value, params);
      return typeof v === 'string' ? [v] : [];
    }
    if (c.kind === 'Condition.In' && c.field.name === 'id') {
      const vs = c.values.map((x) => evalValue(x, params)).filter((v): v is string => typeof v === 'string');
      return [...new Set(vs)].sort();
    }
  }
  return null;
}
