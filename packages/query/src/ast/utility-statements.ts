/**
 * Utility statements: EXPLAIN, PROFILE, transactions, CHECKPOINT, COMPACT, BACKUP, and the
 * Script that holds a parsed text's statements (docs/mql_grammar.md §2.4).
 */
import { make, type Fields, type NodeBase } from './node.js';
import type { Statement } from './types.js';
import type { IdRef, StringValue } from './values.js';

/** EXPLAIN stmt: the plan, not run. The inner statement is never EXPLAIN/PROFILE. */
export interface Explain extends NodeBase<'Explain'> { readonly statement: Statement }
/** PROFILE stmt: run it and report per-operator figures. */
export interface Profile extends NodeBase<'Profile'> { readonly statement: Statement }
export type Begin = NodeBase<'Begin'>;
export type Commit = NodeBase<'Commit'>;
export type Rollback = NodeBase<'Rollback'>;
export type Checkpoint = NodeBase<'Checkpoint'>;
export interface Compact extends NodeBase<'Compact'> { readonly space: IdRef | null }
export interface Backup extends NodeBase<'Backup'> { readonly dir: StringValue }
export interface Script extends NodeBase<'Script'> { readonly statements: readonly Statement[] }

export const explain = (f: Fields<Explain>): Explain => make('Explain', f);
export const profile = (f: Fields<Profile>): Profile => make('Profile', f);
export const begin = (f: Fields<Begin> = {}): Begin => make('Begin', f);
export const commit = (f: Fields<Commit> = {}): Commit => make('Commit', f);
export const rollback = (f: Fields<Rollback> = {}): Rollback => make('Rollback', f);
export const checkpoint = (f: Fields<Checkpoint> = {}): Checkpoint => make('Checkpoint', f);
export const compact = (f: Fields<Compact>): Compact => make('Compact', f);
export const backup = (f: Fields<Backup>): Backup => make('Backup', f);
export const script = (f: Fields<Script>): Script => make('Script', f);
