/**
 * The AST's union types: Statement, Node and NodeKind (docs/mql_grammar.md §4).
 * `NodeOfKind<K>` narrows a kind tag to its node type (used by the printer's handler table).
 */
import type { Condition, Field } from './conditions.js';
import type { ConfidenceFilter, Consolidate, Imagine, OrderBy, Predict, Recall, Scheduler, Spread } from './read-statements.js';
import type { CreateSpace, DecaySpec, Describe, DropSpace, ShowSpaces, ShowStats, UseSpace } from './space-statements.js';
import type {
  Backup, Begin, Checkpoint, Commit, Compact, Explain, Profile, Rollback, Script,
} from './utility-statements.js';
import type {
  All, ArrayLiteral, BooleanLiteral, DurationLiteral, Id, IntervalLiteral, NowLiteral, NullLiteral,
  NumberLiteral, ObjectEntry, ObjectLiteral, Param, StringLiteral, VectorLiteral,
} from './values.js';
import type { Associate, Dissociate, Forget, Reinforce, Remember } from './write-statements.js';

export type Statement =
  | CreateSpace | DropSpace | UseSpace | ShowSpaces | ShowStats | Describe
  | Remember | Associate | Dissociate | Reinforce | Forget
  | Recall | Spread | Predict | Imagine | Consolidate
  | Explain | Profile | Begin | Commit | Rollback | Checkpoint | Compact | Backup;

export type Node =
  | Script | Statement | Condition | Field | DecaySpec | ConfidenceFilter | OrderBy | Scheduler
  | StringLiteral | NumberLiteral | BooleanLiteral | NullLiteral | VectorLiteral | IntervalLiteral
  | ObjectEntry | ObjectLiteral | ArrayLiteral | DurationLiteral | NowLiteral | Param | Id | All;

export type NodeKind = Node['kind'];
export type StatementKind = Statement['kind'];
export type NodeOfKind<K extends NodeKind> = Extract<Node, { kind: K }>;
