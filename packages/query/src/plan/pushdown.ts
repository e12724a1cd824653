/**
 * Filter pushdown: splits WHERE into its top-level AND conjuncts; those naming only stored
 * columns (id, content, kind, created, confidence, meta.*), together with AS OF (created ≤ t)
 * and KNOWN AS OF (recorded ≤ t), become one RowPredicate evaluated in the source (during HNSW
 * traversal for a vector search); the rest stays as a filter after scoring.
 */
import type { RowRef } from '@mnemo/engine';
import type { Condition } from '../ast/index.js';
import { print } from '../ast/printer/print.js';
import { compileCondition, type CompileEnv, type Predicate } from '../analyze/condition.js';
import { conjuncts, isStoredCondition } from '../analyze/fields.js';
import { isoTime } from '../analyze/time.js';
import { storedField } from '../ops/candidate-fields.js';
import type { PushedFilter } from '../ops/row-filter.js';

export interface SplitWhere {
  pushed: PushedFilter | null;
  /** Conjuncts that need computed columns (evaluated after scoring). */
  post: readonly Condition[];
}

/** Which top-level conjuncts of a WHERE are pushable: a property of the (frozen) AST, not of parameter values. */
interface WhereParts {
  readonly stored: readonly Condition[];
  readonly post: readonly Condition[];
}

const NO_CONDITIONS: readonly Condition[] = Object.freeze([]);
const NO_WHERE: WhereParts = { stored: NO_CONDITIONS, post: NO_CONDITIONS };
/** Per WHERE node (ASTs are frozen, so a prepared statement's runs share it); values are bound per run. */
const partsOf = new WeakMap<Condition, WhereParts>();

function whereParts(where: Condition | null): WhereParts {
  if (where === null) return NO_WHERE;
  let parts = partsOf.get(where);
  if (parts === undefined) {
    const stored: Condition[] = [];
    const post: Condition[] = [];
    for (const c of conjuncts(where)) (isStoredCondition(c) ? stored : post).push(c);
    parts = { stored: Object.freeze(stored), post: Object.freeze(post) };
    partsOf.set(where, parts);
  }
  return parts;
}

/**
 * Compiles the stored conjuncts (their right-hand sides evaluated and type-checked against this
 * run's parameters) into the pushed filter; the partition itself is cached per WHERE node.
 */
export function splitWhere(where: Condition | null, env: CompileEnv, asOf: number | null, knownAsOf: number | null): SplitWhere {
  const { stored, post } = whereParts(where);
  const preds: Array<Predicate<RowRef>> = [];
  for (const c of stored) preds.push(compileCondition<RowRef>(c, storedField, env));
  if (asOf !== null) preds.push((r) => r.created <= asOf);
  if (knownAsOf !== null) preds.push((r) => r.recorded <= knownAsOf);
  if (preds.length === 0) return { pushed: null, post };
  const predicate = preds.length === 1 ? (preds[0] as Predicate<RowRef>) : (r: RowRef) => preds.every((p) => p(r));
  return { pushed: new LazyTextFilter(predicate, stored, asOf, knownAsOf), post };
}

/** A pushed filter whose EXPLAIN/PROFILE text is printed on demand, not on every run of a statement. */
class LazyTextFilter implements PushedFilter {
  private printed: string | null = null;

  constructor(
    readonly predicate: Predicate<RowRef>,
    private readonly conditions: readonly Condition[],
    private readonly asOf: number | null,
    private readonly knownAsOf: number | null,
  ) {}

  get text(): string {
    if (this.printed !== null) return this.printed;
    const texts = this.conditions.map((c) => print(c));
    if (this.asOf !== null) texts.push(`created <= ${isoTime(this.asOf)}`);
    if (this.knownAsOf !== null) texts.push(`recorded <= ${isoTime(this.knownAsOf)}`);
    return (this.printed = texts.join(' AND '));
  }
}
