/**
 * Literal, parameter and identifier nodes: everything that can stand where MQL expects a value
 * (docs/mql_grammar.md §1, §4). A parameter (`$name` or `?`) may stand wherever a literal may.
 */
import { make, type Fields, type NodeBase } from './node.js';

export interface StringLiteral extends NodeBase<'Literal.String'> { readonly value: string }
export interface NumberLiteral extends NodeBase<'Literal.Number'> { readonly value: number }
export interface BooleanLiteral extends NodeBase<'Literal.Boolean'> { readonly value: boolean }
export type NullLiteral = NodeBase<'Literal.Null'>;
/** `[0.1, -0.2]` where a vector is expected. */
export interface VectorLiteral extends NodeBase<'Literal.Vector'> { readonly values: readonly number[] }
/** `[lo, hi]` where a confidence is expected. */
export interface IntervalLiteral extends NodeBase<'Literal.Interval'> { readonly lo: number; readonly hi: number }
export interface ObjectEntry extends NodeBase<'Entry'> { readonly key: string; readonly value: JsonValue }
export interface ObjectLiteral extends NodeBase<'Literal.Object'> { readonly entries: readonly ObjectEntry[] }
export interface ArrayLiteral extends NodeBase<'Literal.Array'> { readonly items: readonly JsonValue[] }

export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w';
/** `7d`: `value` in `unit`, `ms` the same in milliseconds. */
export interface DurationLiteral extends NodeBase<'Literal.Duration'> {
  readonly value: number;
  readonly unit: DurationUnit;
  readonly ms: number;
}
/** `NOW`, `NOW - 7d`, `NOW + $d`. */
export interface NowLiteral extends NodeBase<'Literal.Now'> {
  readonly op: '+' | '-' | null;
  readonly offset: DurationLiteral | Param | null;
}
/** `$name` (name set, position null) or `?` (position = 0-based index among the statement's `?`). */
export interface Param extends NodeBase<'Param'> {
  readonly name: string | null;
  readonly position: number | null;
}
/** A memory id or space name, bare or backquoted in the source. */
export interface Id extends NodeBase<'Id'> { readonly name: string }
/** The `*` pattern. */
export type All = NodeBase<'All'>;

export type JsonValue =
  | StringLiteral | NumberLiteral | BooleanLiteral | NullLiteral | ObjectLiteral | ArrayLiteral | Param;
/** Right-hand side of a condition. */
export type Value =
  | StringLiteral | NumberLiteral | BooleanLiteral | NullLiteral | ObjectLiteral | ArrayLiteral
  | DurationLiteral | NowLiteral | Param | Id;
export type NumberValue = NumberLiteral | Param;
export type StringValue = StringLiteral | Param;
export type DurationValue = DurationLiteral | Param;
/** ISO-8601 string, unix seconds, NOW ± duration, or a parameter. */
export type TimeValue = StringLiteral | NumberLiteral | NowLiteral | Param;
export type ConfidenceValue = NumberLiteral | IntervalLiteral | Param;
export type VectorValue = VectorLiteral | Param;
export type ObjectValue = ObjectLiteral | Param;
export type IdRef = Id | Param;
/** What RECALL/PREDICT/IMAGINE/CONSOLIDATE look for. */
export type Pattern = Id | StringLiteral | VectorLiteral | Param | All;

export const stringLiteral = (f: Fields<StringLiteral>): StringLiteral => make('Literal.String', f);
export const numberLiteral = (f: Fields<NumberLiteral>): NumberLiteral => make('Literal.Number', f);
export const booleanLiteral = (f: Fields<BooleanLiteral>): BooleanLiteral => make('Literal.Boolean', f);
export const nullLiteral = (f: Fields<NullLiteral> = {}): NullLiteral => make('Literal.Null', f);
export const vectorLiteral = (f: Fields<VectorLiteral>): VectorLiteral => make('Literal.Vector', f);
export const intervalLiteral = (f: Fields<IntervalLiteral>): IntervalLiteral => make('Literal.Interval', f);
export const objectEntry = (f: Fields<ObjectEntry>): ObjectEntry => make('Entry', f);
export const objectLiteral = (f: Fields<ObjectLiteral>): ObjectLiteral => make('Literal.Object', f);
export const arrayLiteral = (f: Fields<ArrayLiteral>): ArrayLiteral => make('Literal.Array', f);
export const durationLiteral = (f: Fields<DurationLiteral>): DurationLiteral => make('Literal.Duration', f);
export const nowLiteral = (f: Fields<NowLiteral>): NowLiteral => make('Literal.Now', f);
export const param = (f: Fields<Param>): Param => make('Param', f);
export const id = (f: Fields<Id>): Id => make('Id', f);
export const all = (f: Fields<All> = {}): All => make('All', f);

const UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds in `value` `unit`s. */
export function durationMs(value: number, unit: DurationUnit): number {
  return value * UNIT_MS[unit];
}
