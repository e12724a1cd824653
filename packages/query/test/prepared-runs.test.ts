/**
 * Re-running one prepared statement (host API §6, language.md §3): what a run may reuse from the
 * frozen AST (the WHERE partition into pushed and post-scoring conjuncts, the id conjunct, cached
 * plan pieces) never carries values, spaces or errors from an earlier run. Each case re-runs the
 * SAME statement object and would fail if any of that leaked. Also the result object's shape.
 */
import { describe, expect, it } from 'vitest';
import { errorCode, twoSpacesPerTest } from './helpers/db.js';

const t = twoSpacesPerTest();

const code = errorCode;

const contents = (r: { rows: Array<Record<string, unknown>> }): unknown[] => r.rows.map((x) => x.content);

describe('a prepared RECALL re-run', () => {
  it('binds each run\'s id value, re-validates its type and never reads it as MQL', async () => {
    await t.db.query('USE SPACE s1');
    const st = t.db.prepare('RECALL * WHERE id = $id NO REINFORCE');
    expect(contents(await st.run({ id: 'a' }))).toEqual(['alpha']);
    expect(contents(await st.run({ id: 'b' }))).toEqual(['beta']);
    expect(contents(await st.run({ id: 'zzz' }))).toEqual([]);
    expect(await code(st.run({ id: 5 }))).toBe('TYPE_ERROR');
    expect(contents(await st.run({ id: "a' OR id = 'b" }))).toEqual([]);
    expect(await code(st.run({}))).toBe('MISSING_PARAMETER');
    expect(contents(await st.run({ id: 'a' }))).toEqual(['alpha']);
  });

  it('follows USE SPACE, DROP SPACE and CREATE SPACE between runs', async () => {
    await t.db.query("REMEMBER 'in default' AS a");
    const st = t.db.prepare('RECALL * WHERE id = $id NO REINFORCE');
    const inS2 = t.db.prepare('RECALL * IN SPACE s2 WHERE id = $id NO REINFORCE');
    expect(contents(await st.run({ id: 'a' }))).toEqual(['in default']);
    await t.db.query('USE SPACE s1');
    expect(contents(await st.run({ id: 'a' }))).toEqual(['alpha']);
    await t.db.query('USE SPACE s2');
    expect(contents(await st.run({ id: 'a' }))).toEqual(['other']);
    expect(contents(await inS2.run({ id: 'a' }))).toEqual(['other']);
    // dropping the session's space makes 'default' the session space again
    await t.db.query('DROP SPACE s2');
    expect(contents(await st.run({ id: 'a' }))).toEqual(['in default']);
    expect(await code(inS2.run({ id: 'a' }))).toBe('UNKNOWN_SPACE');
    await t.db.query('CREATE SPACE s2 DIM 3; USE SPACE s2');
    expect(contents(await st.run({ id: 'a' }))).toEqual([]);
    expect(contents(await inS2.run({ id: 'a' }))).toEqual([]);
    await t.db.query("REMEMBER 'again' AS a EMBEDDING [0, 0, 1] IN SPACE s2");
    expect(contents(await st.run({ id: 'a' }))).toEqual(['again']);
    expect(contents(await inS2.run({ id: 'a' }))).toEqual(['again']);
  });

  it('takes IN SPACE from each run\'s parameter', async () => {
    const st = t.db.prepare('RECALL * IN SPACE $sp WHERE id = $id NO REINFORCE');
    expect(contents(await st.run({ sp: 's1', id: 'a' }))).toEqual(['alpha']);
    expect(contents(await st.run({ sp: 's2', id: 'a' }))).toEqual(['other']);
    expect(await code(st.run({ sp: 'nope', id: 'a' }))).toBe('UNKNOWN_SPACE');
  });

  it('evaluates pushed and post-scoring conjuncts with each run\'s values and types', async () => {
    const st = t.db.prepare('RECALL * IN SPACE s1 WHERE kind = $k AND retention >= $r ORDER BY id ASC NO REINFORCE');
    expect(contents(await st.run({ k: 'episodic', r: 0 }))).toEqual(['alpha']);
    expect(contents(await st.run({ k: 'semantic', r: 0 }))).toEqual(['beta']);
    expect(contents(await st.run({ k: 'semantic', r: 2 }))).toEqual([]);
    expect(await code(st.run({ k: 'semantic', r: 'high' }))).toBe('TYPE_ERROR');
    expect(await code(st.run({ k: 1, r: 0 }))).toBe('TYPE_ERROR');
    expect(contents(await st.run({ k: 'EPISODIC', r: 0 }))).toEqual(['alpha']);
  });

  it('reads the ids of `id IN (…)` per run, and EXPLAIN shows this run\'s ids', async () => {
    const st = t.db.prepare('RECALL * IN SPACE s1 WHERE id IN ($x, $y) ORDER BY id ASC NO REINFORCE');
    expect(contents(await st.run({ x: 'a', y: 'b' }))).toEqual(['alpha', 'beta']);
    expect(contents(await st.run({ x: 'b', y: 'b' }))).toEqual(['beta']);
    expect(contents(await st.run({ x: 'q', y: 'a' }))).toEqual(['alpha']);
    const ex = t.db.prepare('EXPLAIN RECALL * IN SPACE s1 WHERE id = $id NO REINFORCE');
    const lookup = async (id: string): Promise<string> => JSON.stringify((await ex.run({ id })).rows.find((r) => String(r.plan).includes('Lookup')));
    expect(await lookup('a')).toContain('ids=a ');
    expect(await lookup('b')).toContain('ids=b ');
  });

  it('a vector RECALL re-run checks each vector\'s dimension against the space of that run', async () => {
    const st = t.db.prepare('RECALL $v IN SPACE $sp LIMIT 1 NO REINFORCE');
    expect(contents(await st.run({ v: [1, 0, 0], sp: 's1' }))).toEqual(['alpha']);
    expect(contents(await st.run({ v: [0, 1, 0], sp: 's1' }))).toEqual(['beta']);
    expect(await code(st.run({ v: [1, 0], sp: 's1' }))).toBe('DIMENSION_MISMATCH');
    await t.db.query('CREATE SPACE s4 DIM 4');
    expect(await code(st.run({ v: [1, 0, 0], sp: 's4' }))).toBe('DIMENSION_MISMATCH');
    expect(contents(await st.run({ v: [0, 0, 1], sp: 's2' }))).toEqual(['other']);
  });
});

describe('a prepared SPREAD re-run', () => {
  it("takes each hop's confidence from its best edge over kinds (highest weight, then higher lo), per run's source", async () => {
    await t.db.query("USE SPACE s1; REMEMBER 'c' AS c EMBEDDING [0, 0, 1]; REMEMBER 'd' AS d EMBEDDING [1, 1, 1]");
    // three kinds a → b: the weaker x, and y and z tied on weight (z has the higher lo, so z counts)
    await t.db.query('ASSOCIATE a WITH b KIND x WEIGHT 0.5 CONFIDENCE 0.3; ASSOCIATE a WITH b KIND y WEIGHT 0.9 CONFIDENCE [0.6, 1]; ASSOCIATE a WITH b KIND z WEIGHT 0.9 CONFIDENCE [0.7, 0.8]');
    await t.db.query('ASSOCIATE b WITH c CONFIDENCE 0.5; ASSOCIATE d WITH b KIND y WEIGHT 1 CONFIDENCE 0.4; ASSOCIATE d WITH b KIND x WEIGHT 0.2 CONFIDENCE 0.9');
    const st = t.db.prepare('SPREAD FROM $s MAX_HOPS 3');
    const conf = async (s: string): Promise<Record<string, unknown>> => Object.fromEntries((await st.run({ s })).rows.map((r) => [r.id, r.confidence]));
    expect(await conf('a')).toEqual({ b: [0.7, 0.8], c: [0.35, 0.4] });
    expect(await conf('d')).toEqual({ b: [0.4, 0.4], c: [0.2, 0.2] });
    expect(await conf('a')).toEqual({ b: [0.7, 0.8], c: [0.35, 0.4] });
    expect(await errorCode(st.run({ s: 7 }))).toBe('TYPE_ERROR');
  });
});

describe('the result object', () => {
  it('is a plain object with exactly columns, rows and stats (rows plain too), and serialises like one', async () => {
    const r = await t.db.query("RECALL * IN SPACE s1 WHERE id = 'a' NO REINFORCE");
    expect(Object.keys(r)).toEqual(['columns', 'rows', 'stats']);
    expect(Object.keys(r.stats)).toEqual(['rows', 'elapsedMs', 'statement']);
    for (const o of [r, r.stats, r.rows[0], r.rows[0]!.confidence]) expect(Object.getPrototypeOf(o)).toBe(Array.isArray(o) ? Array.prototype : Object.prototype);
    expect(Object.keys(r.rows[0]!)).toEqual(r.columns);
    const plain = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
    expect(plain).toEqual({ columns: r.columns, rows: r.rows, stats: { rows: 1, elapsedMs: r.stats.elapsedMs, statement: 'Recall' } });
    const w = await t.db.query("REMEMBER 'gamma' AS g EMBEDDING [1, 1, 0] IN SPACE s1");
    expect(Object.keys(w.stats)).toEqual(['rows', 'elapsedMs', 'statement', 'ids', 'writes']);
    expect(w.stats.ids).toEqual(['g']);
    const empty = await t.db.query(';');
    expect(empty).toEqual({ columns: [], rows: [], stats: { rows: 0, elapsedMs: 0, statement: 'Empty' } });
  });

  it('PROFILE still lists the candidates LIMIT and WHERE cut', async () => {
    const r = await t.db.query('PROFILE RECALL * IN SPACE s1 WHERE retention > 0 ORDER BY id ASC LIMIT 1 NO REINFORCE');
    const cands = r.rows.filter((x) => x.section === 'candidate').map((x) => [x.id, x.status, x.reason]);
    expect(cands).toEqual([['a', 'returned', null], ['b', 'suppressed', 'Limit k=1']]);
  });
});
