/**
 * Write statements: REMEMBER (one memory, or a `$batch` parameter), ASSOCIATE, DISSOCIATE,
 * REINFORCE, FORGET (docs/mql_grammar.md §2.2).
 */
import type { Condition } from './conditions.js';
import { make, type Fields, type NodeBase } from './node.js';
import type {
  ConfidenceValue, IdRef, NumberValue, ObjectValue, StringValue, TimeValue, VectorValue,
} from './values.js';

export type MemoryKindName = 'episodic' | 'semantic';

/** REMEMBER content …; with `content` a Param and no other clause it may be a batch ($batch). */
export interface Remember extends NodeBase<'Remember'> {
  readonly content: StringValue;
  readonly id: IdRef | null;
  readonly embedding: VectorValue | null;
  readonly confidence: ConfidenceValue | null;
  readonly at: TimeValue | null;
  readonly memoryKind: MemoryKindName | null;
  readonly meta: ObjectValue | null;
  readonly space: IdRef | null;
}
export interface Associate extends NodeBase<'Associate'> {
  readonly from: IdRef;
  readonly to: IdRef;
  /** Association kind (KIND name); null means the default 'assoc'. */
  readonly assocKind: IdRef | null;
  readonly weight: NumberValue | null;
  readonly confidence: ConfidenceValue | null;
  readonly bidirectional: boolean;
  readonly space: IdRef | null;
}
export interface Dissociate extends NodeBase<'Dissociate'> {
  readonly from: IdRef;
  readonly to: IdRef;
  /** Only associations of this kind; null means every kind. */
  readonly assocKind: IdRef | null;
  readonly space: IdRef | null;
}
export interface Reinforce extends NodeBase<'Reinforce'> {
  readonly id: IdRef;
  readonly times: NumberValue | null;
  readonly at: TimeValue | null;
  readonly space: IdRef | null;
}
/** FORGET id, or FORGET WHERE condition (exactly one of `id`, `where` is set). */
export interface Forget extends NodeBase<'Forget'> {
  readonly id: IdRef | null;
  readonly where: Condition | null;
  readonly space: IdRef | null;
}

export const remember = (f: Fields<Remember>): Remember => make('Remember', f);
export const associate = (f: Fields<Associate>): Associate => make('Associate', f);
export const dissociate = (f: Fields<Dissociate>): Dissociate => make('Dissociate', f);
export const reinforce = (f: Fields<Reinforce>): Reinforce => make('Reinforce', f);
export const forget = (f: Fields<Forget>): Forget => make('Forget', f);
