/**
 * Printer handlers for statements and their clauses, in the canonical clause order of the
 * grammar, keywords upper-case, one space between parts (docs/mql_grammar.md §2, §4).
 */
import type { Node } from '../types.js';
import type { PrintChild, Printers } from './printers.js';

/** Join the present parts with single spaces. */
const join = (...parts: (string | null | false)[]): string => parts.filter((x): x is string => typeof x === 'string').join(' ');
/** `KEYWORD value` when the value is present. */
const opt = (p: PrintChild, keyword: string, v: Node | null): string | null => (v === null ? null : `${keyword} ${p(v)}`);
const inSpace = (p: PrintChild, v: Node | null): string | null => opt(p, 'IN SPACE', v);
const list = (p: PrintChild, xs: readonly Node[]): string => xs.map(p).join(', ');

export const spacePrinters: Pick<Printers, 'Decay.None' | 'Decay.Exponential' | 'Decay.Power' | 'Decay.Actr'
  | 'CreateSpace' | 'DropSpace' | 'UseSpace' | 'ShowSpaces' | 'ShowStats' | 'Describe'> = {
  'Decay.None': () => 'NONE',
  'Decay.Exponential': (n, p) => `EXPONENTIAL(${p(n.halfLife)})`,
  'Decay.Power': (n, p) => `POWER(${p(n.d)})`,
  'Decay.Actr': (n, p) => `ACTR(${p(n.d)}, ${p(n.tau)}, ${p(n.s)})`,
  CreateSpace: (n, p) => join('CREATE SPACE', p(n.name), opt(p, 'DIM', n.dim), n.metric && `METRIC ${n.metric.toUpperCase()}`,
    opt(p, 'DECAY', n.decay), n.ifNotExists && 'IF NOT EXISTS'),
  DropSpace: (n, p) => join('DROP SPACE', p(n.name), n.ifExists && 'IF EXISTS'),
  UseSpace: (n, p) => `USE SPACE ${p(n.name)}`,
  ShowSpaces: () => 'SHOW SPACES',
  ShowStats: (n, p) => join('SHOW STATS', opt(p, 'FOR SPACE', n.space)),
  Describe: (n, p) => join('DESCRIBE', p(n.id), inSpace(p, n.space)),
};

export const writePrinters: Pick<Printers, 'Remember' | 'Associate' | 'Dissociate' | 'Reinforce' | 'Forget'> = {
  Remember: (n, p) => join('REMEMBER', p(n.content), opt(p, 'AS', n.id), opt(p, 'EMBEDDING', n.embedding),
    opt(p, 'CONFIDENCE', n.confidence), opt(p, 'AT', n.at), n.memoryKind && `KIND ${n.memoryKind.toUpperCase()}`,
    opt(p, 'META', n.meta), inSpace(p, n.space)),
  Associate: (n, p) => join('ASSOCIATE', p(n.from), 'WITH', p(n.to), opt(p, 'KIND', n.assocKind), opt(p, 'WEIGHT', n.weight),
    opt(p, 'CONFIDENCE', n.confidence), n.bidirectional && 'BIDIRECTIONAL', inSpace(p, n.space)),
  Dissociate: (n, p) => join('DISSOCIATE', p(n.from), 'FROM', p(n.to), opt(p, 'KIND', n.assocKind), inSpace(p, n.space)),
  Reinforce: (n, p) => join('REINFORCE', p(n.id), opt(p, 'TIMES', n.times), opt(p, 'AT', n.at), inSpace(p, n.space)),
  Forget: (n, p) => join('FORGET', n.where ? `WHERE ${p(n.where)}` : n.id && p(n.id), inSpace(p, n.space)),
};

export const readPrinters: Pick<Printers, 'ConfidenceFilter' | 'OrderBy' | 'Recall' | 'Spread' | 'Predict' | 'Imagine'
  | 'Scheduler.Immediate' | 'Scheduler.Interval' | 'Scheduler.Threshold' | 'Consolidate'> = {
  ConfidenceFilter: (n, p) => `CONFIDENCE ${n.op} ${p(n.value)}`,
  OrderBy: (n, p) => join('ORDER BY', p(n.column), n.direction && n.direction.toUpperCase()),
  Recall: (n, p) => join('RECALL', p(n.pattern), opt(p, 'THRESHOLD', n.threshold), inSpace(p, n.space), opt(p, 'WHERE', n.where),
    n.confidence && p(n.confidence), opt(p, 'AS OF', n.asOf), opt(p, 'KNOWN AS OF', n.knownAsOf),
    n.orderBy && p(n.orderBy), opt(p, 'LIMIT', n.limit), n.noReinforce && 'NO REINFORCE'),
  Spread: (n, p) => join('SPREAD FROM', list(p, n.sources), inSpace(p, n.space), opt(p, 'MAX_HOPS', n.maxHops),
    opt(p, 'DECAY', n.decay), opt(p, 'THRESHOLD', n.threshold), opt(p, 'LIMIT', n.limit)),
  Predict: (n, p) => join('PREDICT', p(n.pattern), 'GIVEN', list(p, n.given), inSpace(p, n.space), opt(p, 'HORIZON', n.horizon),
    n.confidence && p(n.confidence), opt(p, 'LIMIT', n.limit)),
  Imagine: (n, p) => join('IMAGINE', p(n.pattern), inSpace(p, n.space), n.basedOn && `BASED ON ${list(p, n.basedOn)}`,
    opt(p, 'NOVELTY', n.novelty), n.confidence && p(n.confidence), opt(p, 'LIMIT', n.limit)),
  'Scheduler.Immediate': () => 'IMMEDIATE',
  'Scheduler.Interval': (n, p) => `INTERVAL ${p(n.every)}`,
  'Scheduler.Threshold': (n, p) => `THRESHOLD ${p(n.count)}`,
  Consolidate: (n, p) => join('CONSOLIDATE', n.pattern && p(n.pattern), opt(p, 'WHERE', n.where), inSpace(p, n.space),
    opt(p, 'INTO', n.into), opt(p, 'SIMILARITY', n.similarity), opt(p, 'MIN_SIZE', n.minSize), opt(p, 'SCHEDULER', n.scheduler)),
};

export const utilityPrinters: Pick<Printers, 'Explain' | 'Profile' | 'Begin' | 'Commit' | 'Rollback' | 'Checkpoint'
  | 'Compact' | 'Backup' | 'Script'> = {
  Explain: (n, p) => `EXPLAIN ${p(n.statement)}`,
  Profile: (n, p) => `PROFILE ${p(n.statement)}`,
  Begin: () => 'BEGIN',
  Commit: () => 'COMMIT',
  Rollback: () => 'ROLLBACK',
  Checkpoint: () => 'CHECKPOINT',
  Compact: (n, p) => join('COMPACT', opt(p, 'SPACE', n.space)),
  Backup: (n, p) => `BACKUP TO ${p(n.dir)}`,
  Script: (n, p) => n.statements.map((s) => `${p(s)};`).join('\n'),
};
