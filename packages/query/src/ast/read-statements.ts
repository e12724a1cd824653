/**
 * Read statements: RECALL, SPREAD, PREDICT, IMAGINE, CONSOLIDATE and their clause nodes
 * (ORDER BY, CONFIDENCE filters, SCHEDULER) (docs/mql_grammar.md §2.3).
 */
import type { Condition, Field } from './conditions.js';
import { make, type Fields, type NodeBase } from './node.js';
import type { DurationValue, IdRef, NumberValue, Pattern, TimeValue } from './values.js';

/** CONFIDENCE (> | >= | < | <=) c */
export interface ConfidenceFilter extends NodeBase<'ConfidenceFilter'> {
  readonly op: '>' | '>=' | '<' | '<=';
  readonly value: NumberValue;
}
export interface OrderBy extends NodeBase<'OrderBy'> {
  readonly column: Field;
  /** null when neither ASC nor DESC was written. */
  readonly direction: 'asc' | 'desc' | null;
}

export interface Recall extends NodeBase<'Recall'> {
  readonly pattern: Pattern;
  /** Similarity threshold (vector, text or parameter patterns only). */
  readonly threshold: NumberValue | null;
  readonly space: IdRef | null;
  readonly where: Condition | null;
  readonly confidence: ConfidenceFilter | null;
  readonly asOf: TimeValue | null;
  readonly knownAsOf: TimeValue | null;
  readonly orderBy: OrderBy | null;
  readonly limit: NumberValue | null;
  readonly noReinforce: boolean;
}
export interface Spread extends NodeBase<'Spread'> {
  readonly sources: readonly IdRef[];
  readonly space: IdRef | null;
  readonly maxHops: NumberValue | null;
  readonly decay: NumberValue | null;
  readonly threshold: NumberValue | null;
  readonly limit: NumberValue | null;
}
export interface Predict extends NodeBase<'Predict'> {
  readonly pattern: Pattern;
  readonly given: readonly IdRef[];
  readonly space: IdRef | null;
  readonly horizon: DurationValue | null;
  readonly confidence: ConfidenceFilter | null;
  readonly limit: NumberValue | null;
}
export interface Imagine extends NodeBase<'Imagine'> {
  readonly pattern: Pattern;
  readonly space: IdRef | null;
  /** BASED ON ids; null when the clause is absent. */
  readonly basedOn: readonly IdRef[] | null;
  readonly novelty: NumberValue | null;
  readonly confidence: ConfidenceFilter | null;
  readonly limit: NumberValue | null;
}

export type SchedulerImmediate = NodeBase<'Scheduler.Immediate'>;
export interface SchedulerInterval extends NodeBase<'Scheduler.Interval'> { readonly every: DurationValue }
/** Run when this many new episodic memories have arrived. */
export interface SchedulerThreshold extends NodeBase<'Scheduler.Threshold'> { readonly count: NumberValue }
export type Scheduler = SchedulerImmediate | SchedulerInterval | SchedulerThreshold;

/** CONSOLIDATE: `pattern` (possibly `*`), `where`, or both; never neither. */
export interface Consolidate extends NodeBase<'Consolidate'> {
  readonly pattern: Pattern | null;
  readonly where: Condition | null;
  readonly space: IdRef | null;
  readonly into: IdRef | null;
  readonly similarity: NumberValue | null;
  readonly minSize: NumberValue | null;
  readonly scheduler: Scheduler | null;
}

export const confidenceFilter = (f: Fields<ConfidenceFilter>): ConfidenceFilter => make('ConfidenceFilter', f);
export const orderBy = (f: Fields<OrderBy>): OrderBy => make('OrderBy', f);
export const recall = (f: Fields<Recall>): Recall => make('Recall', f);
export const spread = (f: Fields<Spread>): Spread => make('Spread', f);
export const predict = (f: Fields<Predict>): Predict => make('Predict', f);
export const imagine = (f: Fields<Imagine>): Imagine => make('Imagine', f);
export const schedulerImmediate = (f: Fields<SchedulerImmediate> = {}): SchedulerImmediate => make('Scheduler.Immediate', f);
export const schedulerInterval = (f: Fields<SchedulerInterval>): SchedulerInterval => make('Scheduler.Interval', f);
export const schedulerThreshold = (f: Fields<SchedulerThreshold>): SchedulerThreshold => make('Scheduler.Threshold', f);
export const consolidate = (f: Fields<Consolidate>): Consolidate => make('Consolidate', f);
