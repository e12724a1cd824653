/**
 * Plan reuse (docs/mql_reference.md §"Prepared statements"): a RECALL's operator tree is built
 * once per statement node and pattern kind (a SPREAD's once per node) and each run binds its own
 * values. These tests re-run one statement object across catalog changes, USE SPACE, parameter
 * type changes, EXPLAIN/PROFILE, transactions, concurrent runs and failed runs; each would fail
 * if a run saw a stale plan or another run's values.
 */
import { seededRandom } from '@mnemo/engine';
import { describe, expect, it } from 'vitest';
import type { Row } from '../src/index.js';
import { DAY, errorCode, twoSpacesPerTest } from './helpers/db.js';

const t = twoSpacesPerTest();

const ids = (r: { rows: Row[] }): unknown[] => r.rows.map((x) => x.id);
const contents = (r: { rows: Row[] }): unknown[] => r.rows.map((x) => x.content);
const planText = (r: { rows: Row[] }): string[] => r.rows.map((x) => String(x.plan));
/** The EXPLAIN line of operator `name`, without its indentation. */
const opLine = (r: { rows: Row[] }, name: string): string | undefined => r.rows.find((x) => x.operator === name)?.plan?.toString().trim();

describe('plan reuse of a prepared RECALL', () => {
  it('builds one plan per statement and pattern kind and keeps it across runs', async () => {
    const st = t.db.prepare('RECALL $x IN SPACE s1 LIMIT 1 NO REINFORCE');
    const node = st.statements[0] as object;
    await st.run({ x: [1, 0, 0] });
    const vectorPlan = t.db.plans.get(node, 'vector');
    expect(vectorPlan).toBeDefined();
    await st.run({ x: [0, 1, 0] });
    expect(t.db.plans.get(node, 'vector')).toBe(vectorPlan);
    expect(t.db.plans.get(node, 'text')).toBeUndefined();
    await st.run({ x: 'alpha' });
    expect(t.db.plans.get(node, 'text')).toBeDefined();
    expect(t.db.plans.get(node, 'vector')).toBe(vectorPlan);
  });

  it('follows DROP SPACE + CREATE SPACE with another DIM, metric and decay between runs', async () => {
    const st = t.db.prepare('RECALL $v IN SPACE s2 LIMIT 1 NO REINFORCE');
    const ex = t.db.prepare('EXPLAIN RECALL $v IN SPACE s2 LIMIT 1 NO REINFORCE');
    expect(contents(await st.run({ v: [0, 0, 1] }))).toEqual(['other']);
    expect(opLine(await ex.run({ v: [0, 0, 1] }), 'VectorSearch')).toBe('VectorSearch space=s2 metric=cosine k=18 dim=3');
    await t.db.query('DROP SPACE s2; CREATE SPACE s2 DIM 4 METRIC L2 DECAY EXPONENTIAL(7d)');
    expect(await errorCode(st.run({ v: [0, 0, 1] }))).toBe('DIMENSION_MISMATCH');
    expect(ids(await st.run({ v: [0, 0, 0, 1] }))).toEqual([]);
    await t.db.query("REMEMBER 'four' AS f EMBEDDING [0, 0, 0, 1] IN SPACE s2");
    expect(contents(await st.run({ v: [0, 0, 0, 1] }))).toEqual(['four']);
    const plan = await ex.run({ v: [0, 0, 0, 1] });
    expect(opLine(plan, 'VectorSearch')).toBe('VectorSearch space=s2 metric=l2 k=18 dim=4');
    expect(opLine(plan, 'DecayScore')).toMatch(/^DecayScore model=exponential/);
    // the same plans as a statement prepared now, against the new catalog
    expect(planText(await ex.run({ v: [0, 0, 0, 1] }))).toEqual(planText(await t.db.prepare(ex.text).run({ v: [0, 0, 0, 1] })));
    await t.db.query('DROP SPACE s2');
    expect(await errorCode(st.run({ v: [0, 0, 0, 1] }))).toBe('UNKNOWN_SPACE');
  });

  it('takes the session space of each run (USE SPACE between runs) for id, * and vector plans', async () => {
    const byId = t.db.prepare('RECALL a NO REINFORCE');
    const byVector = t.db.prepare('RECALL $v LIMIT 1 NO REINFORCE');
    const all = t.db.prepare('RECALL * ORDER BY id ASC NO REINFORCE');
    await t.db.query('USE SPACE s1');
    expect(contents(await byId.run())).toEqual(['alpha']);
    expect(contents(await byVector.run({ v: [0, 1, 0] }))).toEqual(['beta']);
    expect(contents(await all.run())).toEqual(['alpha', 'beta']);
    await t.db.query('USE SPACE s2');
    expect(contents(await byId.run())).toEqual(['other']);
    expect(contents(await byVector.run({ v: [0, 1, 0] }))).toEqual(['other']);
    expect(contents(await all.run())).toEqual(['other']);
    await t.db.query('CREATE SPACE s5 DIM 5; USE SPACE s5');
    expect(await errorCode(byVector.run({ v: [0, 1, 0] }))).toBe('DIMENSION_MISMATCH');
    expect(contents(await all.run())).toEqual([]);
  });

  it('changes plan when a parameter changes type, and re-checks each value', async () => {
    const st = t.db.prepare('RECALL $x IN SPACE s1 LIMIT 1 NO REINFORCE');
    const ex = t.db.prepare('EXPLAIN RECALL $x IN SPACE s1 LIMIT 1 NO REINFORCE');
    expect(contents(await st.run({ x: [0, 1, 0] }))).toEqual(['beta']);
    expect(contents(await st.run({ x: 'alpha' }))).toHaveLength(1);
    expect(contents(await st.run({ x: [1, 0, 0] }))).toEqual(['alpha']);
    expect(await errorCode(st.run({ x: 7 }))).toBe('TYPE_ERROR');
    expect(await errorCode(st.run({ x: [1, 0] }))).toBe('DIMENSION_MISMATCH');
    const search = async (x: unknown): Promise<string | undefined> => opLine(await ex.run({ x }), 'VectorSearch');
    expect(await search([1, 0, 0])).toBe('VectorSearch space=s1 metric=cosine k=18 dim=3');
    expect(await search('milk')).toBe('VectorSearch space=s1 metric=cosine k=18 text="milk" lexical_boost=0.1');
    expect(await search([0, 0, 1])).toBe('VectorSearch space=s1 metric=cosine k=18 dim=3');
    // an id compared with a list, then with a string
    const byId = t.db.prepare('RECALL * IN SPACE s1 WHERE id = $id NO REINFORCE');
    expect(await errorCode(byId.run({ id: ['a', 'b'] }))).toBe('TYPE_ERROR');
    expect(contents(await byId.run({ id: 'b' }))).toEqual(['beta']);
  });

  it('never executes MQL text in a parameter value of a reused plan', async () => {
    const byId = t.db.prepare('RECALL * IN SPACE s1 WHERE id = $id NO REINFORCE');
    expect(contents(await byId.run({ id: 'a' }))).toEqual(['alpha']);
    expect(ids(await byId.run({ id: "a'; DROP SPACE s1; --" }))).toEqual([]);
    const text = t.db.prepare('RECALL $x IN SPACE s1 LIMIT 5 NO REINFORCE');
    expect(ids(await text.run({ x: '* IN SPACE s2' })).sort()).toEqual(['a', 'b']);
    expect((await t.db.query('SHOW SPACES')).rows.map((r) => r.name)).toEqual(expect.arrayContaining(['s1', 's2']));
    expect(contents(await byId.run({ id: 'a' }))).toEqual(['alpha']);
  });

  it('gives each run a result of its own (columns are not shared between runs)', async () => {
    const st = t.db.prepare('RECALL * IN SPACE s1 WHERE id = $id NO REINFORCE');
    const r1 = await st.run({ id: 'a' });
    r1.columns.push('mutated');
    r1.columns.length = 1;
    const r2 = await st.run({ id: 'b' });
    expect(r2.columns).toContain('content');
    expect(r2.columns).not.toBe(r1.columns);
    expect(Object.keys(r2.rows[0] as Row)).toEqual(r2.columns);
  });
});

describe('EXPLAIN and PROFILE of a reused plan', () => {
  const TEXT = 'RECALL $v THRESHOLD $th IN SPACE s1 WHERE kind = $k AND retention > $r CONFIDENCE >= $c AS OF $at ORDER BY id ASC LIMIT $n';
  const P1 = { v: [1, 0, 0], th: 0.1, k: 'episodic', r: 0.01, c: 0.2, n: 2, at: '2024-01-01T00:00:00Z' };
  const P2 = { v: [0, 1, 0], th: 0.3, k: 'semantic', r: 0.02, c: 0.4, n: 5, at: '2024-01-01T00:00:00.500Z' };

  it('prints each run\'s values, the same rows as a statement prepared for that run alone', async () => {
    const ex = t.db.prepare(`EXPLAIN ${TEXT}`);
    const runs: string[][] = [];
    for (const p of [P1, P2, P1]) {
      const rows = planText(await ex.run(p));
      expect(rows).toEqual(planText(await t.db.prepare(`EXPLAIN ${TEXT}`).run(p)));
      runs.push(rows);
    }
    expect(runs[0]).toEqual(runs[2]);
    expect(runs[1]).toEqual([
      'Project id, content, kind, score, activation, retention, confidence, created, last_access, access_count, similarity, meta',
      '  Limit k=5',
      '    Rank by=id ASC, id ASC top=5',
      '      Confidence >= 0.4',
      '        Where retention > $r',
      '          DecayScore model=actr(d=0.177, tau=-1.391, s=0.853) at=2024-01-01T00:00:00.500Z',
      '            ContextSpread seeds=3 hops=2',
      '              Threshold similarity >= 0.3',
      "                VectorSearch space=s1 metric=cosine k=36 dim=3 filter=(kind = $k AND created <= 2024-01-01T00:00:00.500Z)",
    ]);
  });

  it('PROFILE of a reused plan counts and cuts per run', async () => {
    t.clock.now += DAY;
    const pr = t.db.prepare('PROFILE RECALL * IN SPACE s1 WHERE kind = $k ORDER BY id ASC LIMIT $n NO REINFORCE');
    const summary = async (p: Record<string, unknown>): Promise<unknown[]> => (await pr.run(p)).rows
      .map((r) => (r.section === 'plan' ? [String(r.plan).trim(), r.rows_out] : [r.id, r.status, r.reason]));
    const one = await summary({ k: 'episodic', n: 1 });
    expect(one).toContainEqual(['a', 'returned', null]);
    expect(one).toContainEqual(['Limit k=1', 1]);
    const two = await summary({ k: 'semantic', n: 0 });
    expect(two).toContainEqual(['b', 'suppressed', 'Limit k=0']);
    expect(two).toContainEqual(['Limit k=0', 0]);
    expect(two.some((r) => Array.isArray(r) && r[0] === 'a')).toBe(false);
  });
});

describe('runs of one reused plan', () => {
  it('inside BEGIN … COMMIT buffers each run\'s reinforcement for the space of that run', async () => {
    const st = t.db.prepare('RECALL * IN SPACE $sp WHERE id = $id');
    const count = async (sp: string, id: string): Promise<unknown> =>
      (await t.db.query('RECALL * IN SPACE $sp WHERE id = $id NO REINFORCE', { sp, id })).rows[0]?.access_count;
    const before = [await count('s1', 'a'), await count('s1', 'b'), await count('s2', 'a')];
    await t.db.query('BEGIN');
    const r1 = await st.run({ sp: 's1', id: 'a' });
    const r2 = await st.run({ sp: 's2', id: 'a' });
    expect(contents(r1)).toEqual(['alpha']);
    expect(contents(r2)).toEqual(['other']);
    expect(r2.stats.inTransaction).toBe(true);
    expect(await count('s1', 'a')).toBe(before[0]);
    const commit = await t.db.query('COMMIT');
    expect(commit.rows[0]).toEqual({ ok: true, writes: 2 });
    expect([await count('s1', 'a'), await count('s1', 'b'), await count('s2', 'a')]).toEqual([
      (before[0] as number) + 1, before[1], (before[2] as number) + 1,
    ]);
  });

  it('two runs in flight at once each get their own values (id and text/vector plans)', async () => {
    const byId = t.db.prepare('RECALL * IN SPACE s1 WHERE id = $id NO REINFORCE');
    const [a, b] = await Promise.all([byId.run({ id: 'a' }), byId.run({ id: 'b' })]);
    expect(contents(a)).toEqual(['alpha']);
    expect(contents(b)).toEqual(['beta']);
    const st = t.db.prepare('RECALL $x IN SPACE s1 LIMIT 1 NO REINFORCE');
    const alone = [contents(await st.run({ x: 'beta' })), ['beta'], ['alpha']];
    const together = await Promise.all([st.run({ x: 'beta' }), st.run({ x: [0, 1, 0] }), st.run({ x: [1, 0, 0] })]);
    expect(together.map(contents)).toEqual(alone);
    const ex = t.db.prepare('EXPLAIN RECALL $x IN SPACE s1 LIMIT $n NO REINFORCE');
    const plans = await Promise.all([ex.run({ x: 'gamma', n: 3 }), ex.run({ x: [1, 0, 0], n: 4 })]);
    expect(planText(plans[0] as { rows: Row[] })).toContain('  Limit k=3');
    expect(planText(plans[1] as { rows: Row[] })).toContain('  Limit k=4');
    expect(planText(plans[0] as { rows: Row[] }).join('\n')).toContain('text="gamma"');
  });

  it('a run that throws leaves nothing behind for the next run', async () => {
    const st = t.db.prepare('RECALL * IN SPACE s1 WHERE id = $id AND retention >= $r LIMIT $n NO REINFORCE');
    expect(await errorCode(st.run({ id: 'a', r: 0, n: -1 }))).toBe('INVALID_ARGUMENT');
    expect(await errorCode(st.run({ id: 'a', r: 'x', n: 1 }))).toBe('TYPE_ERROR');
    expect(await errorCode(st.run({ id: 'a', n: 1 }))).toBe('MISSING_PARAMETER');
    const aborted = new AbortController();
    aborted.abort();
    expect(await errorCode(st.run({ id: 'a', r: 0, n: 1 }, { signal: aborted.signal }))).toBe('LIMIT_EXCEEDED');
    expect(contents(await st.run({ id: 'b', r: 0, n: 1 }))).toEqual(['beta']);
    expect(contents(await st.run({ id: 'a', r: 2, n: 1 }))).toEqual([]);
    expect(contents(await st.run({ id: 'a', r: 0, n: 1 }))).toEqual(['alpha']);
  });
});

/** A run's outcome as text: rows and columns, or the error's code and message. */
async function outcome(p: Promise<{ columns: string[]; rows: Row[] }>): Promise<string> {
  try {
    const r = await p;
    return JSON.stringify({ columns: r.columns, rows: r.rows });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return `error ${err.code ?? '?'}: ${err.message ?? String(e)}`;
  }
}

describe('plan reuse of a prepared SPREAD', () => {
  it('binds sources, space, options and LIMIT per run; EXPLAIN and rows match a fresh statement', async () => {
    await t.db.query("ASSOCIATE a WITH b IN SPACE s1; REMEMBER 'c' AS c EMBEDDING [0, 1, 1] IN SPACE s2; ASSOCIATE a WITH c IN SPACE s2");
    const text = 'SPREAD FROM $from IN SPACE $sp MAX_HOPS $h DECAY $d LIMIT $n';
    const runs = [
      { from: 'a', sp: 's1', h: 2, d: 0.5, n: 5 }, { from: 'a', sp: 's2', h: 1, d: 0.9, n: 1 }, { from: 'b', sp: 's1', h: 3, d: 0.5, n: 5 },
      { from: 'a', sp: 's1', h: 99, d: 0.5, n: 5 }, { from: 'a', sp: 'nope', h: 2, d: 0.5, n: 5 }, { from: 'a', sp: 's2', h: 2, d: 2, n: 5 },
    ];
    for (const prefix of ['', 'EXPLAIN ']) {
      const st = t.db.prepare(prefix + text);
      for (const p of [...runs, ...runs]) expect(await outcome(st.run(p))).toBe(await outcome(t.db.prepare(prefix + text).run(p)));
    }
    const st = t.db.prepare(text);
    expect(ids(await st.run(runs[0]))).toEqual(['b']);
    expect(ids(await st.run(runs[1]))).toEqual(['c']);
    expect(await errorCode(st.run(runs[3]))).toBe('LIMIT_EXCEEDED');
    await t.db.query('DROP SPACE s2');
    expect(await errorCode(st.run(runs[1]))).toBe('UNKNOWN_SPACE');
    expect(ids(await st.run(runs[0]))).toEqual(['b']);
  });
});

describe('reused plans against fresh ones (seeded random runs)', () => {
  const TEXTS = [
    'RECALL $x THRESHOLD $th IN SPACE $sp WHERE kind = $k AND retention >= $r CONFIDENCE >= $c ORDER BY id ASC LIMIT $n NO REINFORCE',
    'RECALL * IN SPACE $sp WHERE id IN ($a, $b) AND created BEFORE $t ORDER BY id ASC NO REINFORCE',
    'RECALL $x LIMIT $n NO REINFORCE',
    'EXPLAIN RECALL $x IN SPACE $sp WHERE kind = $k AND retention >= $r AS OF $t LIMIT $n',
    'PROFILE RECALL * IN SPACE $sp WHERE kind = $k CONFIDENCE >= $c ORDER BY id ASC LIMIT $n NO REINFORCE',
  ];
  const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

  it('give the same outcome for 400 runs across catalog, session and parameter-type changes', async () => {
    const rnd = seededRandom(20261121);
    const reused = TEXTS.map((x) => t.db.prepare(x));
    // each pool ends with a value of the wrong type or range (picked about one time in ten or less)
    const xs: unknown[] = [[1, 0, 0], [0, 1, 0], [0.5, 0.5, 0], [1, 1, 0], [0, 0, 0, 1], 'alpha', 'beta gamma', 'other', 7];
    const ok = (good: readonly unknown[], bad: unknown): readonly unknown[] => [...good, ...good, ...good, bad];
    const params = (): Record<string, unknown> => ({
      x: pick(rnd, xs), th: pick(rnd, ok([0, 0.2, 0.9], 2)), sp: pick(rnd, ok(['s1', 's2', 's2'], 'nope')),
      k: pick(rnd, ok(['episodic', 'semantic', 'SEMANTIC'], 3)), r: pick(rnd, ok([0, 0.01, 5], 'x')), c: pick(rnd, [0, 0.3, 0.95]),
      n: pick(rnd, ok([0, 1, 2, 5], -1)), a: pick(rnd, ok(['a', 'b', 'f'], 9)), b: pick(rnd, ['a', 'b', 'zz']),
      t: pick(rnd, ok(['2024-01-01T00:00:00Z', '2023-12-31T23:00:00Z', 1704067200], 'soon')),
    });
    for (let step = 0; step < 400; step++) {
      const action = rnd();
      if (action < 0.04) await t.db.query(`USE SPACE ${pick(rnd, ['s1', 's2', 'default'])}`).catch(() => undefined);
      else if (action < 0.07) {
        await t.db.query(`DROP SPACE IF EXISTS s2; CREATE SPACE s2 DIM ${pick(rnd, [3, 4])} METRIC ${pick(rnd, ['COSINE', 'L2'])}`);
      } else if (action < 0.1) {
        await t.db.query(`REMEMBER $c AS $id EMBEDDING $e KIND ${pick(rnd, ['EPISODIC', 'SEMANTIC'])} IN SPACE s2`, {
          c: `note ${step}`, id: pick(rnd, ['a', 'f', `n${step}`]), e: [rnd(), rnd(), rnd(), rnd()].slice(0, pick(rnd, [3, 4])),
        }).catch(() => undefined);
      } else if (action < 0.12) {
        t.clock.now += 3_600_000;
      }
      const i = Math.floor(rnd() * TEXTS.length);
      const p = params();
      const got = await outcome((reused[i] as (typeof reused)[number]).run(p));
      const fresh = await outcome(t.db.prepare(TEXTS[i] as string).run(p));
      const strip = (x: string): string => x.replace(/"time_ms":[0-9.e-]+/g, '"time_ms":0');
      if (strip(got) !== strip(fresh)) expect({ step, text: TEXTS[i], params: p, got: strip(got) }).toEqual({ step, text: TEXTS[i], params: p, got: strip(fresh) });
    }
  });
});
