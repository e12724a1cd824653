/**
 * Parser tests per statement and clause (docs/mql_grammar.md §2): the AST each produces,
 * spans, parameters and countParams, scripts and statement separation, and the input limits.
 */
import { describe, expect, it } from 'vitest';
import { countParams, MqlSyntaxError, parse, parseStatement } from '../src/syntax.js';
import { stripSpans } from './support/strip.js';

const p = (text: string): any => stripSpans(parseStatement(text));
const id = (name: string) => ({ kind: 'Id', name });
const num = (value: number) => ({ kind: 'Literal.Number', value });
const str = (value: string) => ({ kind: 'Literal.String', value });
const named = (name: string) => ({ kind: 'Param', name, position: null });
const pos = (position: number) => ({ kind: 'Param', name: null, position });
const field = (name: string) => ({ kind: 'Field', name });
const dur = (value: number, unit: string, ms: number) => ({ kind: 'Literal.Duration', value, unit, ms });

describe('spaces', () => {
  it('CREATE SPACE with every clause', () => {
    expect(p('CREATE SPACE s DIM 3 METRIC dot DECAY EXPONENTIAL(7d) IF NOT EXISTS')).toEqual({
      kind: 'CreateSpace', name: id('s'), dim: num(3), metric: 'dot',
      decay: { kind: 'Decay.Exponential', halfLife: dur(7, 'd', 604_800_000) }, ifNotExists: true,
    });
  });
  it('CREATE SPACE defaults and the leading IF NOT EXISTS', () => {
    expect(p('CREATE SPACE s')).toEqual({ kind: 'CreateSpace', name: id('s'), dim: null, metric: null, decay: null, ifNotExists: false });
    expect(p('CREATE SPACE IF NOT EXISTS s').ifNotExists).toBe(true);
  });
  it('decay models', () => {
    expect(p('CREATE SPACE s DECAY NONE').decay).toEqual({ kind: 'Decay.None' });
    expect(p('CREATE SPACE s DECAY POWER(0.5)').decay).toEqual({ kind: 'Decay.Power', d: num(0.5) });
    expect(p('CREATE SPACE s DECAY ACTR(0.5, -0.5, $s)').decay).toEqual({ kind: 'Decay.Actr', d: num(0.5), tau: num(-0.5), s: named('s') });
  });
  it('DROP, USE, SHOW, DESCRIBE', () => {
    expect(p('DROP SPACE s IF EXISTS')).toEqual({ kind: 'DropSpace', name: id('s'), ifExists: true });
    expect(p('DROP SPACE IF EXISTS s')).toEqual({ kind: 'DropSpace', name: id('s'), ifExists: true });
    expect(p('DROP SPACE s')).toEqual({ kind: 'DropSpace', name: id('s'), ifExists: false });
    expect(p('USE SPACE default')).toEqual({ kind: 'UseSpace', name: id('default') });
    expect(p('SHOW SPACES')).toEqual({ kind: 'ShowSpaces' });
    expect(p('SHOW STATS')).toEqual({ kind: 'ShowStats', space: null });
    expect(p('SHOW STATS FOR SPACE s')).toEqual({ kind: 'ShowStats', space: id('s') });
    expect(p('DESCRIBE `m 1` IN SPACE s')).toEqual({ kind: 'Describe', id: id('m 1'), space: id('s') });
  });
});

describe('writes', () => {
  it('REMEMBER with every clause', () => {
    expect(p(`REMEMBER 'x' AS m1 EMBEDDING [1, -2.5] CONFIDENCE [0.5, 0.9] AT NOW - 1h KIND semantic META {"a": [1]} IN SPACE s`)).toEqual({
      kind: 'Remember', content: str('x'), id: id('m1'), embedding: { kind: 'Literal.Vector', values: [1, -2.5] },
      confidence: { kind: 'Literal.Interval', lo: 0.5, hi: 0.9 },
      at: { kind: 'Literal.Now', op: '-', offset: dur(1, 'h', 3_600_000) }, memoryKind: 'semantic',
      meta: { kind: 'Literal.Object', entries: [{ kind: 'Entry', key: 'a', value: { kind: 'Literal.Array', items: [num(1)] } }] },
      space: id('s'),
    });
  });
  it('REMEMBER defaults, a single confidence, unix and ISO times', () => {
    expect(p(`REMEMBER 'x'`)).toMatchObject({ id: null, embedding: null, confidence: null, at: null, memoryKind: null, meta: null, space: null });
    expect(p(`REMEMBER 'x' CONFIDENCE 0.7 AT 1700000000`)).toMatchObject({ confidence: num(0.7), at: num(1700000000) });
    expect(p(`REMEMBER 'x' AT '2024-05-01T12:00:00Z'`).at).toEqual(str('2024-05-01T12:00:00Z'));
  });
  it('REMEMBER $batch is a REMEMBER whose content is a parameter', () => {
    expect(p('REMEMBER $batch IN SPACE s')).toMatchObject({ kind: 'Remember', content: named('batch'), space: id('s') });
  });
  it('ASSOCIATE with KIND, WEIGHT, CONFIDENCE, BIDIRECTIONAL', () => {
    expect(p('ASSOCIATE a WITH b KIND causes WEIGHT 0.5 CONFIDENCE 0.9 BIDIRECTIONAL IN SPACE s')).toEqual({
      kind: 'Associate', from: id('a'), to: id('b'), assocKind: id('causes'), weight: num(0.5), confidence: num(0.9),
      bidirectional: true, space: id('s'),
    });
    expect(p('ASSOCIATE a WITH b')).toMatchObject({ assocKind: null, weight: null, confidence: null, bidirectional: false });
  });
  it('DISSOCIATE, REINFORCE, FORGET', () => {
    expect(p('DISSOCIATE a FROM b KIND causes')).toEqual({ kind: 'Dissociate', from: id('a'), to: id('b'), assocKind: id('causes'), space: null });
    expect(p('REINFORCE m TIMES 3 AT NOW')).toEqual({ kind: 'Reinforce', id: id('m'), times: num(3), at: { kind: 'Literal.Now', op: null, offset: null }, space: null });
    expect(p('FORGET m')).toEqual({ kind: 'Forget', id: id('m'), where: null, space: null });
    expect(p('FORGET WHERE retention < 0.1 IN SPACE s')).toEqual({
      kind: 'Forget', id: null, where: { kind: 'Condition.Compare', field: field('retention'), op: '<', value: num(0.1) }, space: id('s'),
    });
  });
});

describe('RECALL', () => {
  it('pattern forms', () => {
    expect(p('RECALL m1').pattern).toEqual(id('m1'));
    expect(p(`RECALL 'text'`).pattern).toEqual(str('text'));
    expect(p('RECALL [0.1, 0.2]').pattern).toEqual({ kind: 'Literal.Vector', values: [0.1, 0.2] });
    expect(p('RECALL $q').pattern).toEqual(named('q'));
    expect(p('RECALL ?').pattern).toEqual(pos(0));
    expect(p('RECALL *').pattern).toEqual({ kind: 'All' });
  });
  it('every clause', () => {
    const r = p(`RECALL [1] THRESHOLD 0.8 IN SPACE s WHERE content CONTAINS 'a' CONFIDENCE >= 0.5 AS OF NOW KNOWN AS OF 100 ORDER BY score ASC LIMIT 5 NO REINFORCE`);
    expect(r).toEqual({
      kind: 'Recall', pattern: { kind: 'Literal.Vector', values: [1] }, threshold: num(0.8), space: id('s'),
      where: { kind: 'Condition.Contains', field: field('content'), value: str('a') },
      confidence: { kind: 'ConfidenceFilter', op: '>=', value: num(0.5) },
      asOf: { kind: 'Literal.Now', op: null, offset: null }, knownAsOf: num(100),
      orderBy: { kind: 'OrderBy', column: field('score'), direction: 'asc' }, limit: num(5), noReinforce: true,
    });
  });
  it('defaults', () => {
    expect(p('RECALL x')).toEqual({
      kind: 'Recall', pattern: id('x'), threshold: null, space: null, where: null, confidence: null, asOf: null,
      knownAsOf: null, orderBy: null, limit: null, noReinforce: false,
    });
  });
  it('ORDER BY without a direction, and the hops column', () => {
    expect(p('RECALL * ORDER BY hops').orderBy).toEqual({ kind: 'OrderBy', column: field('hops'), direction: null });
  });
});

describe('conditions', () => {
  const where = (cond: string): any => p(`RECALL * WHERE ${cond}`).where;
  it('precedence: NOT > AND > OR, n-ary chains', () => {
    expect(where('id = a OR id = b AND NOT id = c OR id = d')).toEqual({
      kind: 'Condition.Or', operands: [
        { kind: 'Condition.Compare', field: field('id'), op: '=', value: id('a') },
        { kind: 'Condition.And', operands: [
          { kind: 'Condition.Compare', field: field('id'), op: '=', value: id('b') },
          { kind: 'Condition.Not', operand: { kind: 'Condition.Compare', field: field('id'), op: '=', value: id('c') } },
        ] },
        { kind: 'Condition.Compare', field: field('id'), op: '=', value: id('d') },
      ],
    });
  });
  it('parentheses group', () => {
    expect(where('(id = a OR id = b) AND id = c').kind).toBe('Condition.And');
    expect(where('((id = a))')).toEqual({ kind: 'Condition.Compare', field: field('id'), op: '=', value: id('a') });
  });
  it('every comparison operator', () => {
    const ops = ['=', '!=', '<', '<=', '>', '>='];
    for (const op of ops) expect(where(`score ${op} 1`).op).toBe(op);
    expect(where('score <> 1').op).toBe('!=');
    expect(where('score == 1').op).toBe('=');
  });
  it('BEFORE / AFTER, IN, NOT IN, CONTAINS', () => {
    expect(where('created BEFORE NOW - 7d')).toEqual({
      kind: 'Condition.Time', field: field('created'), op: 'before', value: { kind: 'Literal.Now', op: '-', offset: dur(7, 'd', 604_800_000) },
    });
    expect(where(`created AFTER '2024-01-01'`).op).toBe('after');
    expect(where(`id IN ('a', b, $c)`)).toEqual({ kind: 'Condition.In', field: field('id'), values: [str('a'), id('b'), named('c')] });
    expect(where('id NOT IN (a)')).toEqual({ kind: 'Condition.Not', operand: { kind: 'Condition.In', field: field('id'), values: [id('a')] } });
    expect(where(`meta.tags CONTAINS "x"`)).toEqual({ kind: 'Condition.Contains', field: field('meta.tags'), value: str('x') });
  });
  it('fields: built-ins case-insensitive, KIND and CONFIDENCE keywords, meta paths kept', () => {
    expect(where('KIND = episodic')).toEqual({ kind: 'Condition.Compare', field: field('kind'), op: '=', value: str('episodic') });
    expect(where('Confidence > 0.5').field).toEqual(field('confidence'));
    expect(where('LAST_ACCESS > 0').field).toEqual(field('last_access'));
    expect(where('meta.Source.Name = 1').field).toEqual(field('meta.Source.Name'));
    for (const f of ['id', 'content', 'created', 'access_count', 'retention', 'activation', 'score']) {
      expect(where(`${f} = 1`).field).toEqual(field(f));
    }
  });
  it('values: JSON, booleans, null, durations, NOW ± d', () => {
    expect(where('meta.a = true').value).toEqual({ kind: 'Literal.Boolean', value: true });
    expect(where('meta.a = null').value).toEqual({ kind: 'Literal.Null' });
    expect(where('meta.a = [1, "x"]').value).toEqual({ kind: 'Literal.Array', items: [num(1), str('x')] });
    expect(where('meta.a = {}').value).toEqual({ kind: 'Literal.Object', entries: [] });
    expect(where('meta.a = 5m').value).toEqual(dur(5, 'm', 300_000));
    expect(where('created > NOW + $d').value).toEqual({ kind: 'Literal.Now', op: '+', offset: named('d') });
  });
});

describe('SPREAD, PREDICT, IMAGINE, CONSOLIDATE', () => {
  it('SPREAD', () => {
    expect(p('SPREAD FROM a, `b c` IN SPACE s MAX_HOPS 3 DECAY 0.5 THRESHOLD 0.1 LIMIT 10')).toEqual({
      kind: 'Spread', sources: [id('a'), id('b c')], space: id('s'), maxHops: num(3), decay: num(0.5), threshold: num(0.1), limit: num(10),
    });
  });
  it('PREDICT', () => {
    expect(p(`PREDICT 'x' GIVEN a, b HORIZON 2h CONFIDENCE > 0.2 LIMIT 3`)).toEqual({
      kind: 'Predict', pattern: str('x'), given: [id('a'), id('b')], space: null, horizon: dur(2, 'h', 7_200_000),
      confidence: { kind: 'ConfidenceFilter', op: '>', value: num(0.2) }, limit: num(3),
    });
  });
  it('IMAGINE', () => {
    expect(p('IMAGINE * BASED ON a NOVELTY 0.3 LIMIT 2')).toEqual({
      kind: 'Imagine', pattern: { kind: 'All' }, space: null, basedOn: [id('a')], novelty: num(0.3), confidence: null, limit: num(2),
    });
    expect(p(`IMAGINE 'x'`).basedOn).toBeNull();
  });
  it('CONSOLIDATE forms and the scheduler', () => {
    expect(p('CONSOLIDATE * IN SPACE s INTO sem SIMILARITY 0.8 MIN_SIZE 3 SCHEDULER IMMEDIATE')).toEqual({
      kind: 'Consolidate', pattern: { kind: 'All' }, where: null, space: id('s'), into: id('sem'), similarity: num(0.8),
      minSize: num(3), scheduler: { kind: 'Scheduler.Immediate' },
    });
    expect(p(`CONSOLIDATE WHERE kind = 'episodic'`)).toMatchObject({ pattern: null, where: { kind: 'Condition.Compare' } });
    expect(p(`CONSOLIDATE 'x' WHERE score > 1`)).toMatchObject({ pattern: str('x'), where: { kind: 'Condition.Compare' } });
    expect(p('CONSOLIDATE * SCHEDULER INTERVAL 1h').scheduler).toEqual({ kind: 'Scheduler.Interval', every: dur(1, 'h', 3_600_000) });
    expect(p('CONSOLIDATE * SCHEDULER THRESHOLD 50').scheduler).toEqual({ kind: 'Scheduler.Threshold', count: num(50) });
  });
});

describe('utilities', () => {
  it('EXPLAIN and PROFILE wrap a statement', () => {
    expect(p('EXPLAIN RECALL x')).toMatchObject({ kind: 'Explain', statement: { kind: 'Recall', pattern: id('x') } });
    expect(p('PROFILE SPREAD FROM a')).toMatchObject({ kind: 'Profile', statement: { kind: 'Spread' } });
  });
  it('transactions and maintenance', () => {
    expect(parse('BEGIN; COMMIT; ROLLBACK; CHECKPOINT; COMPACT; COMPACT SPACE s').statements.map((s) => stripSpans(s))).toEqual([
      { kind: 'Begin' }, { kind: 'Commit' }, { kind: 'Rollback' }, { kind: 'Checkpoint' }, { kind: 'Compact', space: null },
      { kind: 'Compact', space: id('s') },
    ]);
    expect(p(`BACKUP TO '/tmp/b'`)).toEqual({ kind: 'Backup', dir: str('/tmp/b') });
  });
});

describe('scripts, spans, parameters', () => {
  it('statements separated by ;, empty statements dropped, last ; optional', () => {
    expect(parse('').statements).toEqual([]);
    expect(parse(' ; ;; ').statements).toEqual([]);
    expect(parse('BEGIN; COMMIT').statements.length).toBe(2);
    expect(parse('BEGIN; COMMIT;').statements.length).toBe(2);
  });
  it('parseStatement requires exactly one statement', () => {
    expect(parseStatement('RECALL x;').kind).toBe('Recall');
    expect(() => parseStatement('')).toThrow(/expected a statement, found end of input/);
    expect(() => parseStatement('BEGIN; COMMIT')).toThrow(/expected exactly one statement/);
  });
  it('spans are offsets, 1-based line and column', () => {
    const s = parse('BEGIN;\n  RECALL x LIMIT 5').statements[1]!;
    expect(s.span).toEqual({ start: 9, end: 25, line: 2, column: 3 });
    if (s.kind !== 'Recall') throw new Error('not a recall');
    expect(s.limit!.span).toEqual({ start: 24, end: 25, line: 2, column: 18 });
    expect(s.pattern.span).toEqual({ start: 16, end: 17, line: 2, column: 10 });
  });
  it('nodes are frozen', () => {
    const s = parseStatement('RECALL * WHERE id IN (a, b)');
    expect(Object.isFrozen(s)).toBe(true);
    if (s.kind !== 'Recall' || s.where?.kind !== 'Condition.In') throw new Error('shape');
    expect(Object.isFrozen(s.where.values)).toBe(true);
  });
  it('? parameters are numbered per statement in source order', () => {
    const [a, b] = parse('RECALL ? WHERE id = ? LIMIT ?; REMEMBER ? AS ?').statements;
    expect(countParams(a!)).toMatchObject({ positional: 3, named: [] });
    expect(countParams(b!)).toMatchObject({ positional: 2, named: [] });
    if (a!.kind !== 'Recall') throw new Error('shape');
    expect(a!.limit).toMatchObject(pos(2));
  });
  it('countParams lists named parameters once, in order', () => {
    const params = countParams(parseStatement('REMEMBER $c AS $id EMBEDDING $v META $c IN SPACE ?'));
    expect(params.named).toEqual(['c', 'id', 'v']);
    expect(params.positional).toBe(1);
    expect(params.params.map((x) => x.name)).toEqual(['c', 'id', 'v', 'c', null]);
  });
  it('parameters stand wherever a literal may', () => {
    const text = 'RECALL $p THRESHOLD $t IN SPACE $s WHERE created > $t0 AND id IN ($a) CONFIDENCE > $c AS OF $at KNOWN AS OF $k LIMIT $n';
    expect(countParams(parseStatement(text)).named).toEqual(['p', 't', 's', 't0', 'a', 'c', 'at', 'k', 'n']);
  });
  it('keywords are case-insensitive, comments anywhere', () => {
    expect(stripSpans(parseStatement('recall /* c */ x -- trailing\n limit 1'))).toEqual(stripSpans(parseStatement('RECALL x LIMIT 1')));
  });
});

describe('limits', () => {
  it('input longer than maxLength is LIMIT_EXCEEDED at the first byte past the limit', () => {
    const e = catchError(() => parse(`RECALL '${'x'.repeat(100)}'`, { maxLength: 50 }));
    expect([e.code, e.offset, e.column]).toEqual(['LIMIT_EXCEEDED', 50, 51]);
    expect(() => parse('RECALL x', { maxLength: 8 })).not.toThrow();
    expect(() => parse('RECALL é', { maxLength: 8 })).toThrow(/9 bytes, longer than the limit of 8 bytes/);
  });
  it('the default limit is 1 MiB', () => {
    const big = `RECALL '${'x'.repeat(1024 * 1024)}'`;
    expect(catchError(() => parse(big)).code).toBe('LIMIT_EXCEEDED');
    const fits = `RECALL '${'x'.repeat(1024 * 1024 - 20)}'`;
    expect(parse(fits).statements.length).toBe(1);
  });
  it('nesting deeper than maxDepth is LIMIT_EXCEEDED at the bracket', () => {
    const deep = (n: number) => `RECALL * WHERE ${'('.repeat(n)}id = a${')'.repeat(n)}`;
    expect(() => parse(deep(64))).not.toThrow();
    const e = catchError(() => parse(deep(65)));
    expect([e.code, e.column]).toEqual(['LIMIT_EXCEEDED', 16 + 64]);
    expect(() => parse(deep(10), { maxDepth: 9 })).toThrow(/nesting deeper than 9 levels/);
    expect(() => parse(`REMEMBER 'x' META ${'{"a":'.repeat(70)}1${'}'.repeat(70)}`)).toThrow(/nesting deeper than 64/);
  });
  it('rejects bad arguments with INVALID_ARGUMENT', () => {
    expect(() => parse(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => parse('BEGIN', { maxDepth: 0 })).toThrow(/maxDepth must be a whole number/);
    expect(() => parse('BEGIN', { maxLength: 1.5 })).toThrow(/maxLength must be a whole number/);
  });
  it('NOT chains count toward the depth', () => {
    expect(() => parse(`RECALL * WHERE ${'NOT '.repeat(64)}id = a`)).not.toThrow();
    const e = catchError(() => parse(`RECALL * WHERE ${'NOT '.repeat(65)}id = a`));
    expect([e.code, e.reason]).toEqual(['LIMIT_EXCEEDED', 'condition nested deeper than 64 levels']);
  });
});

function catchError(f: () => unknown): MqlSyntaxError {
  try {
    f();
  } catch (e) {
    if (e instanceof MqlSyntaxError) return e;
    throw e;
  }
  throw new Error('expected an MqlSyntaxError');
}
