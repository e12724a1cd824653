/**
 * Filter pushdown: splits WHERE into its top-level AND conjuncts; those naming only stored
 * columns (id, content, kind, created, confidence, meta.*), together with AS OF (created ≤ t)
 * and KNOWN AS OF (recorded ≤ t), become one RowPredicate evaluated in the source (during HNSW
 * traversal for a vector search); the rest stays as a filter after scoring.
 */
import type { RowRef } from '@mnemo/engine';
import type { Condition } from '../ast/index.js';
import { print } from '../ast/printer/print.js';
import { bindRhs, prepareConditions, type CompileEnv, type PreparedCondition } from '../analyze/condition.js';
import { conjuncts, isStoredCondition } from '../analyze/fields.js';
import { isoTime } from '../analyze/time.js';
import { storedField } from '../ops/candidate-fields.js';
import type { PushedFilter } from '../ops/row-filter.js';

export interface SplitWhere {
  pushed: PushedFilter | null;
  /** Conjuncts that need computed columns (evaluated after scoring). */
  post: readonly Condition[];
}

/**
 * A WHERE split and compiled once (a property of the frozen AST, not of parameter values): the
 * stored conjuncts as one test, their printed text, and the post-scoring conjuncts.
 */
export interface PreparedWhere {
  readonly stored: PreparedCondition<RowRef>;
  readonly hasStored: boolean;
  /** The stored conjuncts as MQL (EXPLAIN's filter text; parameters print as their names). */
  readonly storedText: readonly string[];
  readonly post: readonly Condition[];
}

const NO_CONDITIONS: readonly Condition[] = Object.freeze([]);
/** Per WHERE node (ASTs are frozen, so a prepared statement's runs share it); values are bound per run. */
const preparedOf = new WeakMap<Condition, PreparedWhere>();
const NO_WHERE: PreparedWhere = { stored: prepareConditions([], storedField), hasStored: false, storedText: Object.freeze([]), post: NO_CONDITIONS };

export function prepareWhere(where: Condition | null): PreparedWhere {
  if (where === null) return NO_WHERE;
  let p = preparedOf.get(where);
  if (p === undefined) {
    const stored: Condition[] = [];
    const post: Condition[] = [];
    for (const c of conjuncts(where)) (isStoredCondition(c) ? stored : post).push(c);
    p = { stored: prepareConditions(stored, storedField), hasStored: stored.length > 0, storedText: stored.map((c) => print(c)), post: Object.freeze(post) };
    preparedOf.set(where, p);
  }
  return p;
}

/**
 * The pushed filter of one run: the stored conjuncts' right-hand sides evaluated (and
 * type-checked) against this run's parameters and NOW, with AS OF / KNOWN AS OF; null when none.
 */
export function bindPushdown(p: PreparedWhere, env: CompileEnv, asOf: number | null, knownAsOf: number | null): PushedFilter | null {
  if (!p.hasStored && asOf === null && knownAsOf === null) return null;
  return new BoundFilter(p, bindRhs(p.stored, env), asOf, knownAsOf);
}

/** prepareWhere and bindPushdown at once (plans built for one run). */
export function splitWhere(where: Condition | null, env: CompileEnv, asOf: number | null, knownAsOf: number | null): SplitWhere {
  const p = prepareWhere(where);
  return { pushed: bindPushdown(p, env, asOf, knownAsOf), post: p.post };
}

/** A pushed filter whose EXPLAIN/PROFILE text is printed on demand, not on every run of a statement. */
class BoundFilter implements PushedFilter {
  private printed: string | null = null;

  constructor(
    private readonly where: PreparedWhere,
    private readonly rhs: readonly unknown[],
    private readonly asOf: number | null,
    private readonly knownAsOf: number | null,
  ) {}

  test(r: RowRef): boolean {
    if (this.asOf !== null && r.created > this.asOf) return false;
    if (this.knownAsOf !== null && r.recorded > this.knownAsOf) return false;
    return this.where.stored.test(r, this.rhs);
  }

  get text(): string {
    if (this.printed !== null) return this.printed;
    const texts = [...this.where.storedText];
    if (this.asOf !== null) texts.push(`created <= ${isoTime(this.asOf)}`);
    if (this.knownAsOf !== null) texts.push(`recorded <= ${isoTime(this.knownAsOf)}`);
    return (this.printed = texts.join(' AND '));
  }
}
