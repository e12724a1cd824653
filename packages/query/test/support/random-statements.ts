/**
 * Random valid statements of every kind (see random-ast.ts for the values and conditions).
 */
import { ast, type Statement } from '../../src/syntax.js';
import { AstGen } from './random-ast.js';
import type { Rng } from '@mnemo/engine';

export class StatementGen extends AstGen {
  constructor(private readonly rng: Rng) {
    super(rng);
  }

  statement(): Statement {
    const inner = this.inner();
    if (this.rng.bool(0.1)) return ast.explain({ statement: inner });
    if (this.rng.bool(0.05)) return ast.profile({ statement: inner });
    return inner;
  }

  private decay(): ast.DecaySpec {
    switch (this.rng.int(4)) {
      case 0: return ast.decayNone();
      case 1: return ast.decayExponential({ halfLife: this.durationValue() });
      case 2: return ast.decayPower({ d: this.numberValue() });
      default: return ast.decayActr({ d: this.numberValue(), tau: this.numberValue(), s: this.numberValue() });
    }
  }

  private inner(): Statement {
    const m = <T>(f: () => T): T | null => this.maybe(f);
    switch (this.rng.int(16)) {
      case 0: return ast.createSpace({ name: this.idRef(), dim: m(() => this.count()), metric: m(() => this.rng.pick(['cosine', 'l2', 'dot'] as const)), decay: m(() => this.decay()), ifNotExists: this.rng.bool() });
      case 1: return this.rng.bool() ? ast.dropSpace({ name: this.idRef(), ifExists: this.rng.bool() }) : ast.useSpace({ name: this.idRef() });
      case 2: return this.rng.bool() ? ast.showSpaces() : ast.showStats({ space: m(() => this.idRef()) });
      case 3: return ast.describe({ id: this.idRef(), space: m(() => this.idRef()) });
      case 4: return ast.remember({
        content: this.stringValue(), id: m(() => this.idRef()), embedding: m(() => (this.rng.bool() ? this.vector() : this.param())),
        confidence: m(() => this.confidence()), at: m(() => this.time()), memoryKind: m(() => this.rng.pick(['episodic', 'semantic'] as const)),
        meta: m(() => (this.rng.bool(0.8) ? this.object() : this.param())), space: m(() => this.idRef()),
      });
      case 5: return ast.associate({
        from: this.idRef(), to: this.idRef(), assocKind: m(() => this.idRef()), weight: m(() => this.numberValue()),
        confidence: m(() => this.confidence()), bidirectional: this.rng.bool(), space: m(() => this.idRef()),
      });
      case 6: return ast.dissociate({ from: this.idRef(), to: this.idRef(), assocKind: m(() => this.idRef()), space: m(() => this.idRef()) });
      case 7: return ast.reinforce({ id: this.idRef(), times: m(() => this.count()), at: m(() => this.time()), space: m(() => this.idRef()) });
      case 8: return this.rng.bool()
        ? ast.forget({ id: this.idRef(), where: null, space: m(() => this.idRef()) })
        : ast.forget({ id: null, where: this.condition(), space: m(() => this.idRef()) });
      case 9: return this.recall();
      case 10: return ast.spread({
        sources: this.ids(), space: m(() => this.idRef()), maxHops: m(() => this.count()), decay: m(() => this.numberValue()),
        threshold: m(() => this.numberValue()), limit: m(() => this.count()),
      });
      case 11: return ast.predict({
        pattern: this.pattern(), given: this.ids(), space: m(() => this.idRef()), horizon: m(() => this.durationValue()),
        confidence: m(() => this.filter()), limit: m(() => this.count()),
      });
      case 12: return ast.imagine({
        pattern: this.pattern(), space: m(() => this.idRef()), basedOn: m(() => this.ids()), novelty: m(() => this.numberValue()),
        confidence: m(() => this.filter()), limit: m(() => this.count()),
      });
      case 13: return this.consolidate();
      case 14: return this.rng.pick([ast.begin(), ast.commit(), ast.rollback(), ast.checkpoint()]);
      default: return this.rng.bool() ? ast.compact({ space: m(() => this.idRef()) }) : ast.backup({ dir: this.stringValue() });
    }
  }

  private recall(): ast.Recall {
    const m = <T>(f: () => T): T | null => this.maybe(f);
    const pattern = this.pattern();
    const similar = pattern.kind !== 'Id' && pattern.kind !== 'All';
    return ast.recall({
      pattern, threshold: similar ? m(() => this.numberValue()) : null, space: m(() => this.idRef()), where: m(() => this.condition()),
      confidence: m(() => this.filter()), asOf: m(() => this.time()), knownAsOf: m(() => this.time()),
      orderBy: m(() => ast.orderBy({ column: this.rng.bool(0.1) ? ast.field({ name: 'hops' }) : this.field(), direction: this.rng.pick(['asc', 'desc', null] as const) })),
      limit: m(() => this.count()), noReinforce: this.rng.bool(),
    });
  }

  private consolidate(): ast.Consolidate {
    const m = <T>(f: () => T): T | null => this.maybe(f);
    const pattern = this.rng.bool(0.7) ? this.pattern() : null;
    const scheduler = (): ast.Scheduler => {
      const k = this.rng.int(3);
      if (k === 0) return ast.schedulerImmediate();
      return k === 1 ? ast.schedulerInterval({ every: this.durationValue() }) : ast.schedulerThreshold({ count: this.count() });
    };
    return ast.consolidate({
      pattern, where: pattern === null ? this.condition() : m(() => this.condition()), space: m(() => this.idRef()),
      into: m(() => this.idRef()), similarity: m(() => this.numberValue()), minSize: m(() => this.count()), scheduler: m(scheduler),
    });
  }
}
