/**
 * Grammar-aware random generation of valid MQL ASTs (built with the public factories), for the
 * printer round-trip test and the fuzz test's mutation seeds. Deterministic for a given Rng.
 */
import { ast, type Condition } from '../../src/syntax.js';
import type { Rng } from '@mnemo/engine';

const NAMES = ['m1', 'notes', 'a-b', 'x.y:z', '_u', 'recall', 'NOW-7d', 'with space', 'tick`quote', 'ünï', 'default', 'L2x'];
const PARAMS = ['a', 'b', 'q', 'x1', '2'];
const STRINGS = ['coffee', '', "it's", 'say "hi"', 'back\\slash', 'line\nbreak\ttab', 'ctl\u0001\u007f', 'μ café ☕', '\ud800lone', '-- not a comment', '/* nor this */'];
const NUMBERS = [0, 1, 0.5, -3, 1e-3, 42, 1e21, 123.456, -0, 5e-7, -2.25];
const UNITS: ast.DurationUnit[] = ['ms', 's', 'm', 'h', 'd', 'w'];
const FIELDS = ['id', 'content', 'kind', 'created', 'last_access', 'access_count', 'confidence', 'retention', 'activation', 'score', 'meta.tags', 'meta.a.b', 'meta.x-y'];

export class AstGen {
  constructor(private readonly r: Rng) {}

  param(): ast.Param {
    return this.r.bool(0.4) ? ast.param({ name: null, position: null }) : ast.param({ name: this.r.pick(PARAMS), position: null });
  }
  idRef(): ast.IdRef { return this.r.bool(0.2) ? this.param() : ast.id({ name: this.r.pick(NAMES) }); }
  maybe<T>(f: () => T, p = 0.5): T | null { return this.r.bool(p) ? f() : null; }
  number(): ast.NumberLiteral { return ast.numberLiteral({ value: this.r.pick(NUMBERS) }); }
  numberValue(): ast.NumberValue { return this.r.bool(0.15) ? this.param() : this.number(); }
  count(): ast.NumberValue { return this.r.bool(0.15) ? this.param() : ast.numberLiteral({ value: this.r.int(1000) }); }
  string(): ast.StringLiteral { return ast.stringLiteral({ value: this.r.pick(STRINGS) }); }
  stringValue(): ast.StringValue { return this.r.bool(0.15) ? this.param() : this.string(); }
  duration(): ast.DurationLiteral {
    const value = this.r.bool(0.8) ? this.r.int(100) : 1.5;
    const unit = this.r.pick(UNITS);
    return ast.durationLiteral({ value, unit, ms: ast.durationMs(value, unit) });
  }
  durationValue(): ast.DurationValue { return this.r.bool(0.15) ? this.param() : this.duration(); }
  now(): ast.NowLiteral {
    if (this.r.bool(0.3)) return ast.nowLiteral({ op: null, offset: null });
    return ast.nowLiteral({ op: this.r.pick(['+', '-'] as const), offset: this.durationValue() });
  }
  time(): ast.TimeValue {
    switch (this.r.int(4)) {
      case 0: return ast.stringLiteral({ value: this.r.pick(['2024-05-01T12:00:00Z', '2020-01-01', '1999-12-31T23:59:59.999+02:00']) });
      case 1: return ast.numberLiteral({ value: this.r.pick([1700000000, 0, 12.5]) });
      case 2: return this.now();
      default: return this.param();
    }
  }
  confidence(): ast.ConfidenceValue {
    const lo = this.r.pick([0, 0.25, 0.5, 1]);
    switch (this.r.int(3)) {
      case 0: return ast.numberLiteral({ value: lo });
      case 1: return ast.intervalLiteral({ lo, hi: Math.max(lo, this.r.pick([0.5, 0.9, 1])) });
      default: return this.param();
    }
  }
  vector(): ast.VectorLiteral {
    return ast.vectorLiteral({ values: Array.from({ length: 1 + this.r.int(5) }, () => this.r.pick(NUMBERS)) });
  }
  json(depth: number): ast.JsonValue {
    const k = depth > 3 ? this.r.int(5) : this.r.int(7);
    switch (k) {
      case 0: return this.string();
      case 1: return this.number();
      case 2: return ast.booleanLiteral({ value: this.r.bool() });
      case 3: return ast.nullLiteral();
      case 4: return this.param();
      case 5: return this.object(depth + 1);
      default: return ast.arrayLiteral({ items: Array.from({ length: this.r.int(4) }, () => this.json(depth + 1)) });
    }
  }
  object(depth = 0): ast.ObjectLiteral {
    const keys = [...new Set(Array.from({ length: this.r.int(4) }, () => this.r.pick(['k', 'tags', 'a b', 'ключ', "q'uote", ''])))];
    return ast.objectLiteral({ entries: keys.map((key) => ast.objectEntry({ key, value: this.json(depth + 1) })) });
  }
  value(): ast.Value {
    switch (this.r.int(6)) {
      case 0: return this.duration();
      case 1: return this.now();
      case 2: return ast.id({ name: this.r.pick(NAMES) });
      default: return this.json(2);
    }
  }
  field(): ast.Field { return ast.field({ name: this.r.pick(FIELDS) }); }
  condition(depth = 0): Condition {
    const k = depth > 3 ? 3 + this.r.int(4) : this.r.int(7);
    switch (k) {
      case 0: return ast.and({ operands: this.operands(depth) });
      case 1: return ast.or({ operands: this.operands(depth) });
      case 2: return ast.not({ operand: this.condition(depth + 1) });
      case 3: return ast.compare({ field: this.field(), op: this.r.pick(['=', '!=', '<', '<=', '>', '>='] as const), value: this.value() });
      case 4: return ast.contains({ field: this.field(), value: this.value() });
      case 5: return ast.timeCondition({ field: this.field(), op: this.r.pick(['before', 'after'] as const), value: this.time() });
      default: return ast.inCondition({ field: this.field(), values: Array.from({ length: 1 + this.r.int(3) }, () => this.value()) });
    }
  }
  operands(depth: number): Condition[] {
    return Array.from({ length: 2 + this.r.int(2) }, () => this.condition(depth + 1));
  }
  pattern(): ast.Pattern {
    switch (this.r.int(5)) {
      case 0: return ast.id({ name: this.r.pick(NAMES) });
      case 1: return this.string();
      case 2: return this.vector();
      case 3: return this.param();
      default: return ast.all();
    }
  }
  filter(): ast.ConfidenceFilter {
    return ast.confidenceFilter({ op: this.r.pick(['>', '>=', '<', '<='] as const), value: this.numberValue() });
  }
  ids(): ast.IdRef[] { return Array.from({ length: 1 + this.r.int(3) }, () => this.idRef()); }
}
