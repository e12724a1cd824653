/**
 * Space (tenant) statements: CREATE SPACE with its decay model, DROP SPACE, USE SPACE,
 * SHOW SPACES, SHOW STATS, DESCRIBE (docs/mql_grammar.md §2.1).
 */
import { make, type Fields, type NodeBase } from './node.js';
import type { DurationValue, IdRef, NumberValue } from './values.js';

export type MetricName = 'cosine' | 'l2' | 'dot';

export type DecayNone = NodeBase<'Decay.None'>;
export interface DecayExponential extends NodeBase<'Decay.Exponential'> { readonly halfLife: DurationValue }
export interface DecayPower extends NodeBase<'Decay.Power'> { readonly d: NumberValue }
export interface DecayActr extends NodeBase<'Decay.Actr'> {
  readonly d: NumberValue;
  readonly tau: NumberValue;
  readonly s: NumberValue;
}
export type DecaySpec = DecayNone | DecayExponential | DecayPower | DecayActr;

export interface CreateSpace extends NodeBase<'CreateSpace'> {
  readonly name: IdRef;
  readonly dim: NumberValue | null;
  readonly metric: MetricName | null;
  readonly decay: DecaySpec | null;
  readonly ifNotExists: boolean;
}
export interface DropSpace extends NodeBase<'DropSpace'> { readonly name: IdRef; readonly ifExists: boolean }
export interface UseSpace extends NodeBase<'UseSpace'> { readonly name: IdRef }
export type ShowSpaces = NodeBase<'ShowSpaces'>;
/** SHOW STATS [FOR SPACE name]. */
export interface ShowStats extends NodeBase<'ShowStats'> { readonly space: IdRef | null }
/** DESCRIBE id [IN SPACE name]. */
export interface Describe extends NodeBase<'Describe'> { readonly id: IdRef; readonly space: IdRef | null }

export const decayNone = (f: Fields<DecayNone> = {}): DecayNone => make('Decay.None', f);
export const decayExponential = (f: Fields<DecayExponential>): DecayExponential => make('Decay.Exponential', f);
export const decayPower = (f: Fields<DecayPower>): DecayPower => make('Decay.Power', f);
export const decayActr = (f: Fields<DecayActr>): DecayActr => make('Decay.Actr', f);
export const createSpace = (f: Fields<CreateSpace>): CreateSpace => make('CreateSpace', f);
export const dropSpace = (f: Fields<DropSpace>): DropSpace => make('DropSpace', f);
export const useSpace = (f: Fields<UseSpace>): UseSpace => make('UseSpace', f);
export const showSpaces = (f: Fields<ShowSpaces> = {}): ShowSpaces => make('ShowSpaces', f);
export const showStats = (f: Fields<ShowStats>): ShowStats => make('ShowStats', f);
export const describe = (f: Fields<Describe>): Describe => make('Describe', f);
