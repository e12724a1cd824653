/**
 * Which condition fields are stored columns (evaluable on a RowRef during HNSW traversal, so
 * pushable into the vector search) and which are computed at read time (retention, activation,
 * score, last_access, access_count). docs/mql_reference.md §"Conditions".
 */
import type { Condition } from '../ast/index.js';

const STORED = new Set(['id', 'content', 'kind', 'created', 'confidence']);
const TIME_FIELDS = new Set(['created', 'last_access']);

export function isStoredField(name: string): boolean {
  return STORED.has(name) || name.startsWith('meta.');
}

export function isTimeField(name: string): boolean {
  return TIME_FIELDS.has(name);
}

/** Every field a condition names. */
export function conditionFields(c: Condition, out: string[] = []): string[] {
  switch (c.kind) {
    case 'Condition.And':
    case 'Condition.Or':
      for (const o of c.operands) conditionFields(o, out);
      break;
    case 'Condition.Not':
      conditionFields(c.operand, out);
      break;
    default:
      out.push(c.field.name);
  }
  return out;
}

export function isStoredCondition(c: Condition): boolean {
  return conditionFields(c).every(isStoredField);
}

/** Top-level AND operands (a condition that is not an AND is its own single conjunct). */
export function conjuncts(c: Condition | null): Condition[] {
  if (c === null) return [];
  return c.kind === 'Condition.And' ? [...c.operands] : [c];
}

/** Reads a metadata path (`meta.a.b` → meta.a.b); undefined when any step is missing. */
export function metaPath(meta: unknown, field: string): unknown {
  let cur: unknown = meta;
  for (const key of field.slice(5).split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
