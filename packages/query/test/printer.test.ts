/**
 * Printer tests: canonical text for known statements, and the round trip parse → print → parse
 * giving the same AST (spans aside) over every golden statement and 5,000 random generated ones.
 */
import { describe, expect, it } from 'vitest';
import { ast, countParams, parse, parseStatement, print } from '../src/syntax.js';
import { GOLDEN } from './support/golden.js';
import { Rng } from '@mnemo/engine';
import { StatementGen } from './support/random-statements.js';
import { stripSpans } from './support/strip.js';

/** Spans stripped and `?` positions erased (generated ASTs carry null positions). */
function normal(node: unknown): unknown {
  return JSON.parse(JSON.stringify(stripSpans(node), (k, v: unknown) => (k === 'position' ? null : v)));
}

describe('printer: canonical text', () => {
  const cases: [string, string][] = [
    ["recall 'coffee' where CREATED > now-7d limit 5", "RECALL 'coffee' WHERE created > NOW - 7d LIMIT 5"],
    ['create space if not exists s metric l2', 'CREATE SPACE s METRIC L2 IF NOT EXISTS'],
    ["REMEMBER \"it's\\n\" META {tags : [\"a\", true, null], n: -0}", "REMEMBER 'it\\'s\\n' META { \"tags\": [\"a\", true, null], \"n\": -0 }"],
    ['ASSOCIATE `recall` WITH `a b` BIDIRECTIONAL', 'ASSOCIATE `recall` WITH `a b` BIDIRECTIONAL'],
    ['DESCRIBE `plain`', 'DESCRIBE plain'],
    ['DESCRIBE `now-1d`', 'DESCRIBE `now-1d`'],
    ['DESCRIBE `a``b`', 'DESCRIBE `a``b`'],
    ['RECALL * WHERE (id = a AND id = b) AND (id = c OR id = d)', 'RECALL * WHERE (id = a AND id = b) AND (id = c OR id = d)'],
    ['RECALL * WHERE id = a OR id = b AND id = c', 'RECALL * WHERE id = a OR id = b AND id = c'],
    ['RECALL * WHERE (id = a OR id = b) AND id = c', 'RECALL * WHERE (id = a OR id = b) AND id = c'],
    ['RECALL * WHERE NOT (id = a OR id = b)', 'RECALL * WHERE NOT (id = a OR id = b)'],
    ['RECALL * WHERE id <> a AND id == b AND id NOT IN (c)', 'RECALL * WHERE id != a AND id = b AND NOT id IN (c)'],
    ['recall x where kind = episodic', "RECALL x WHERE kind = 'episodic'"],
    ['spread from a,b max_hops 2', 'SPREAD FROM a, b MAX_HOPS 2'],
    ['consolidate where kind = semantic scheduler interval 1h', "CONSOLIDATE WHERE kind = 'semantic' SCHEDULER INTERVAL 1h"],
    ['FORGET WHERE id = 1; begin;; commit', 'FORGET WHERE id = 1;\nBEGIN;\nCOMMIT;'],
  ];
  for (const [input, expected] of cases) {
    it(`prints ${JSON.stringify(input)}`, () => {
      const script = parse(input);
      const printed = script.statements.length === 1 ? print(script.statements[0]!) : print(script);
      expect(printed).toBe(expected);
    });
  }

  it('prints hand-built nodes', () => {
    const stmt = ast.recall({
      pattern: ast.stringLiteral({ value: 'tea' }), threshold: null, space: ast.id({ name: 'with' }), where: null,
      confidence: null, asOf: null, knownAsOf: null, orderBy: null, limit: ast.param({ name: 'k', position: null }), noReinforce: true,
    });
    expect(print(stmt)).toBe("RECALL 'tea' IN SPACE `with` LIMIT $k NO REINFORCE");
    expect(Object.isFrozen(stmt)).toBe(true);
  });

  it('durations never print in exponent notation (the lexer has none for them), so they round-trip', () => {
    const cases: [string, string][] = [
      ['CREATE SPACE s DECAY EXPONENTIAL(0.0000001s)', 'CREATE SPACE s DECAY EXPONENTIAL(0.0000001s)'],
      ['CREATE SPACE s DECAY EXPONENTIAL(1000000000000000000000ms)', 'CREATE SPACE s DECAY EXPONENTIAL(1000000000000000000000ms)'],
      ['RECALL * WHERE created > NOW - 0.00000001ms', 'RECALL * WHERE created > NOW - 0.00000001ms'],
      ['RECALL * WHERE meta.d = 123456789012345678901234567890.5w', 'RECALL * WHERE meta.d = 123456789012345680000000000000w'],
    ];
    for (const [input, expected] of cases) {
      const first = parseStatement(input);
      expect(print(first)).toBe(expected);
      expect(stripSpans(parseStatement(print(first)))).toEqual(stripSpans(first));
    }
    const tiny = ast.durationLiteral({ value: 5e-324, unit: 'ms', ms: 5e-324 });
    expect(stripSpans(parseStatement(`RECALL * WHERE meta.d = ${print(tiny)}`))).toMatchObject({ where: { value: { value: 5e-324, unit: 'ms' } } });
  });

  it('refuses to print a non-finite number', () => {
    expect(() => print(ast.numberLiteral({ value: Number.NaN }))).toThrow(/cannot print/);
  });
});

describe('printer: round trip', () => {
  it.each(GOLDEN.map((s) => [s]))('golden %s', (text) => {
    const first = parseStatement(text);
    const printed = print(first);
    const second = parseStatement(printed);
    expect(stripSpans(second)).toEqual(stripSpans(first));
    expect(print(second)).toBe(printed);
  });

  it('round-trips 5,000 random grammar-generated statements (seed 7)', () => {
    const gen = new StatementGen(new Rng(7));
    for (let i = 0; i < 5000; i++) {
      const stmt = gen.statement();
      const text = print(stmt);
      let parsed;
      try {
        parsed = parseStatement(text);
      } catch (e) {
        throw new Error(`statement ${i} did not parse: ${text}\n${(e as Error).message}`);
      }
      expect(normal(parsed), text).toEqual(normal(stmt));
      expect(print(parsed)).toBe(text);
      const positional = (text.match(/\?/g) ?? []).length;
      expect(countParams(parsed).positional).toBeLessThanOrEqual(positional);
    }
  });
});
