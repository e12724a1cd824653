/**
 * Condition nodes for WHERE clauses: AND/OR (n-ary, so long chains stay shallow), NOT,
 * comparisons, CONTAINS, BEFORE/AFTER and IN (docs/mql_grammar.md §2.3).
 */
import { make, type Fields, type NodeBase } from './node.js';
import type { TimeValue, Value } from './values.js';

/** The built-in fields a condition may name; `meta.<path>` names a metadata path. */
export const CONDITION_FIELDS = [
  'id', 'content', 'kind', 'created', 'last_access', 'access_count', 'confidence', 'retention',
  'activation', 'score',
] as const;
/** Columns ORDER BY accepts besides the fields (SPREAD rows carry `hops`). */
export const EXTRA_ORDER_COLUMNS = ['hops'] as const;

/** `content`, `created`, `meta.tags` … (built-in names lower-cased; meta paths kept as written). */
export interface Field extends NodeBase<'Field'> { readonly name: string }

export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface AndCondition extends NodeBase<'Condition.And'> { readonly operands: readonly Condition[] }
export interface OrCondition extends NodeBase<'Condition.Or'> { readonly operands: readonly Condition[] }
export interface NotCondition extends NodeBase<'Condition.Not'> { readonly operand: Condition }
export interface CompareCondition extends NodeBase<'Condition.Compare'> {
  readonly field: Field;
  readonly op: CompareOperator;
  readonly value: Value;
}
export interface ContainsCondition extends NodeBase<'Condition.Contains'> {
  readonly field: Field;
  readonly value: Value;
}
/** `created BEFORE t` / `created AFTER t`. */
export interface TimeCondition extends NodeBase<'Condition.Time'> {
  readonly field: Field;
  readonly op: 'before' | 'after';
  readonly value: TimeValue;
}
export interface InCondition extends NodeBase<'Condition.In'> {
  readonly field: Field;
  readonly values: readonly Value[];
}

export type Condition =
  | AndCondition | OrCondition | NotCondition | CompareCondition | ContainsCondition | TimeCondition | InCondition;

export const field = (f: Fields<Field>): Field => make('Field', f);
export const and = (f: Fields<AndCondition>): AndCondition => make('Condition.And', f);
export const or = (f: Fields<OrCondition>): OrCondition => make('Condition.Or', f);
export const not = (f: Fields<NotCondition>): NotCondition => make('Condition.Not', f);
export const compare = (f: Fields<CompareCondition>): CompareCondition => make('Condition.Compare', f);
export const contains = (f: Fields<ContainsCondition>): ContainsCondition => make('Condition.Contains', f);
export const timeCondition = (f: Fields<TimeCondition>): TimeCondition => make('Condition.Time', f);
export const inCondition = (f: Fields<InCondition>): InCondition => make('Condition.In', f);
