/**
 * Cognitive and transactional semantics observable through MQL (language.md §4): RECALL
 * reinforces unless NO REINFORCE, AS OF past/future, KNOWN AS OF, PROFILE shows a decayed
 * candidate's parts, EXPLAIN shows filter pushdown, transactions (atomic COMMIT, ROLLBACK, an
 * error mid-transaction), SPREAD budget, CONSOLIDATE idempotence and scheduled jobs across reopen.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MnemoError } from '../src/index.js';
import { DAY, freshDb, HOUR, T0, type TestDb } from './helpers/db.js';

let t: TestDb;
beforeEach(async () => {
  t = await freshDb();
});
afterEach(async () => {
  await t.cleanup();
});

const count = async (id: string): Promise<number> => (await t.db.query('DESCRIBE $id', { id })).rows[0]!.access_count as number;

describe('reinforcement and decay', () => {
  it('RECALL reinforces returned memories unless NO REINFORCE', async () => {
    await t.db.query("REMEMBER 'coffee in the morning' AS c; REMEMBER 'tea at noon' AS n");
    t.clock.now += HOUR;
    await t.db.query("RECALL 'coffee' LIMIT 1 NO REINFORCE");
    expect(await count('c')).toBe(1);
    await t.db.query("RECALL 'coffee' LIMIT 1");
    expect(await count('c')).toBe(2);
    expect(await count('n')).toBe(1);
    const d = (await t.db.query('DESCRIBE c')).rows[0]!;
    expect(d.last_access).toBe(new Date(T0 + HOUR).toISOString());
  });

  it('REINFORCE TIMES raises retention; retention decays with time (power law, lazily)', async () => {
    await t.db.query("REMEMBER 'a' AS a; REMEMBER 'b' AS b");
    await t.db.query('REINFORCE a TIMES 3');
    t.clock.now += 30 * DAY;
    const r = await t.db.query('RECALL * ORDER BY id ASC NO REINFORCE');
    const [a, b] = r.rows as Array<{ retention: number; access_count: number }>;
    expect(a!.access_count).toBe(4);
    expect(a!.retention).toBeGreaterThan(b!.retention);
    t.clock.now += 300 * DAY;
    const later = await t.db.query('RECALL b NO REINFORCE');
    expect(later.rows[0]!.retention as number).toBeLessThan(b!.retention);
  });

  it('AS OF evaluates the past (existence and decay) and forecasts the future', async () => {
    await t.db.query("REMEMBER 'old' AS old AT '2023-12-01T00:00:00Z'; REMEMBER 'new' AS new");
    const past = await t.db.query("RECALL * AS OF '2023-12-15T00:00:00Z' ORDER BY id ASC");
    expect(past.rows.map((r) => r.id)).toEqual(['old']);
    const now = (await t.db.query('RECALL old NO REINFORCE')).rows[0]!.retention as number;
    const future = (await t.db.query('RECALL old AS OF NOW + 365d')).rows[0]!.retention as number;
    const earlier = (await t.db.query("RECALL old AS OF '2023-12-02T00:00:00Z'")).rows[0]!.retention as number;
    expect(future).toBeLessThan(now);
    expect(earlier).toBeGreaterThan(now);
    expect(await count('old')).toBe(1);
  });

  it('KNOWN AS OF restricts to what had been recorded', async () => {
    await t.db.query("REMEMBER 'first' AS f");
    t.clock.now += DAY;
    await t.db.query("REMEMBER 'backdated' AS bd AT '2023-06-01T00:00:00Z'");
    const known = await t.db.query("RECALL * KNOWN AS OF $t ORDER BY id ASC", { t: new Date(T0 + HOUR) });
    expect(known.rows.map((r) => r.id)).toEqual(['f']);
    const all = await t.db.query('RECALL * ORDER BY id ASC NO REINFORCE');
    expect(all.rows.map((r) => r.id)).toEqual(['bd', 'f']);
  });

  it('KNOWN AS OF counts only the presentations made by then', async () => {
    await t.db.query("REMEMBER 'fact' AS f");
    t.clock.now += HOUR;
    const known = new Date(t.clock.now);
    t.clock.now += HOUR;
    await t.db.query('REINFORCE f TIMES 3');
    t.clock.now += DAY;
    const row = async (q: string): Promise<{ access_count: number; retention: number; last_access: string }> =>
      (await t.db.query(q, { t: known })).rows[0] as { access_count: number; retention: number; last_access: string };
    const now = await row('RECALL f NO REINFORCE');
    const then = await row('RECALL f KNOWN AS OF $t');
    expect(now.access_count).toBe(4);
    expect(then.access_count).toBe(1);
    expect(then.last_access).toBe(new Date(T0).toISOString());
    expect(then.retention).toBeLessThan(now.retention);
    // the same as a store that never saw the reinforcement, evaluated at the same NOW
    const other = await freshDb();
    try {
      other.clock.now = t.clock.now;
      await other.db.query("REMEMBER 'fact' AS f AT $at", { at: new Date(T0) });
      const fresh = (await other.db.query('RECALL f NO REINFORCE')).rows[0]!;
      expect(then.retention).toBeCloseTo(fresh.retention as number, 6);
    } finally {
      await other.cleanup();
    }
    // combined with AS OF: decay at the AS OF time from the presentations up to KNOWN AS OF
    const both = await row("RECALL f AS OF NOW KNOWN AS OF $t");
    expect(both.access_count).toBe(1);
    expect(both.retention).toBeCloseTo(then.retention, 6);
  });
});

describe('LIMIT pushed into Rank and into an ordered scan', () => {
  it('returns the first rows of the full order, whichever column and direction, with ties, filters and AS OF', async () => {
    // 300 memories, 20 creation times (ties on created), two thirds flushed to two segments (ids
    // interleaved across them); some reinforced after the flush (decay updates over segment rows),
    // some forgotten
    const batch = Array.from({ length: 300 }, (_, i) => ({
      id: `m${String((i * 37) % 300).padStart(3, '0')}`, content: `memory ${i}`, at: new Date(T0 - (i % 20) * HOUR), kind: i % 3 === 0 ? 'semantic' : 'episodic',
    }));
    await t.db.query('REMEMBER $batch', { batch: batch.slice(0, 100) });
    await t.db.query('CHECKPOINT');
    await t.db.query('REMEMBER $batch', { batch: batch.slice(100, 200) });
    await t.db.query('CHECKPOINT');
    await t.db.query('REMEMBER $batch', { batch: batch.slice(200) });
    await t.db.query('REINFORCE m007 TIMES 3; REINFORCE m150; REINFORCE m299 TIMES 2; FORGET m010; FORGET m200');
    t.clock.now += DAY;
    const orders = [
      '', 'ORDER BY created DESC', 'ORDER BY created ASC', 'ORDER BY access_count DESC', 'ORDER BY id DESC', 'ORDER BY id',
      'ORDER BY score ASC', 'ORDER BY retention', 'ORDER BY activation DESC',
    ];
    const wheres = ['', "WHERE kind = 'semantic'", `WHERE created <= '${new Date(T0 - 5 * HOUR).toISOString()}' AND content CONTAINS '1'`];
    for (const where of wheres) {
      for (const order of orders) {
        for (const asOf of ['', `AS OF '${new Date(T0 - 10 * HOUR).toISOString()}'`]) {
          const text = `RECALL * ${where} ${asOf} ${order}`;
          const all = (await t.db.query(`${text} NO REINFORCE`)).rows.map((r) => r.id);
          if (where === '' && asOf === '') expect(all).toHaveLength(298);
          for (const k of [0, 1, 7, 40, 150, 400]) {
            const top = await t.db.query(`${text} LIMIT ${k} NO REINFORCE`);
            expect(top.rows.map((r) => r.id), `${text} LIMIT ${k}`).toEqual(all.slice(0, k));
          }
        }
      }
    }
    const plan = (await t.db.query('EXPLAIN RECALL * ORDER BY created DESC LIMIT 7')).rows.map((x) => (x.plan as string).trim());
    expect(plan).toContain('Rank by=created DESC, id ASC top=7');
    expect(plan).toContain('ScanTop space=default by=created DESC, id ASC top=7');
    expect((await t.db.query('EXPLAIN RECALL * LIMIT 4')).rows.map((x) => (x.plan as string).trim())).toContain('ScanTop space=default by=score DESC, id ASC top=4');
    // the ordered scan only where nothing after scoring can drop a row, and only under a LIMIT
    const source = async (q: string): Promise<string> => (await t.db.query(`EXPLAIN ${q}`)).rows.at(-1)!.operator as string;
    expect(await source('RECALL * ORDER BY id LIMIT 3')).toBe('ScanTop');
    expect(await source('RECALL * ORDER BY id')).toBe('Scan');
    expect(await source('RECALL * WHERE retention > 0.1 ORDER BY id LIMIT 3')).toBe('Scan');
    expect(await source('RECALL * CONFIDENCE > 0.5 ORDER BY id LIMIT 3')).toBe('Scan');
    expect(await source('RECALL * ORDER BY score LIMIT 3')).toBe('ScanTop');
    expect(await source('RECALL * LIMIT 3')).toBe('ScanTop');
    expect(await source('RECALL * ORDER BY access_count DESC LIMIT 3')).toBe('Scan');
    expect(await source('RECALL * ORDER BY meta.n LIMIT 3')).toBe('Scan');
    expect(await source("RECALL * WHERE id = 'm001' ORDER BY id LIMIT 3")).toBe('Lookup');
  });
});

describe('EXPLAIN and PROFILE', () => {
  it('EXPLAIN pushes stored-column conditions into the vector search and keeps computed ones after scoring', async () => {
    const r = await t.db.query("EXPLAIN RECALL 'coffee' WHERE kind = 'episodic' AND retention > 0.2 LIMIT 3");
    expect(r.columns).toEqual(['plan', 'operator', 'depth']);
    expect(r.rows.map((x) => x.plan)).toEqual([
      'Project id, content, kind, score, activation, retention, confidence, created, last_access, access_count, similarity, meta',
      '  Reinforce present each returned memory at NOW (one batch)',
      '    Limit k=3',
      '      Rank by=score DESC, id ASC top=3',
      '        Where retention > 0.2',
      '          DecayScore model=actr(d=0.177, tau=-1.391, s=0.853) at=NOW',
      '            ContextSpread seeds=3 hops=2',
      "              VectorSearch space=default metric=cosine k=28 text=\"coffee\" lexical_boost=0.1 filter=(kind = 'episodic')",
    ]);
    expect((await t.db.query('RECALL * NO REINFORCE')).rows).toEqual([]);
  });

  it('PROFILE runs the query and lists a decayed, suppressed candidate with its parts', async () => {
    await t.db.query("REMEMBER 'coffee beans' AS stale AT '2023-01-01T00:00:00Z'; REMEMBER 'coffee cup' AS fresh");
    t.clock.now += HOUR;
    const r = await t.db.query("PROFILE RECALL 'coffee' WHERE retention > 0.3 NO REINFORCE");
    const plan = r.rows.filter((x) => x.section === 'plan');
    expect(plan.map((x) => x.operator)).toEqual(['Project', 'Limit', 'Rank', 'Where', 'DecayScore', 'ContextSpread', 'VectorSearch']);
    expect(plan.find((x) => x.operator === 'Where')).toMatchObject({ rows_in: 2, rows_out: 1 });
    const cands = r.rows.filter((x) => x.section === 'candidate');
    const fresh = cands.find((x) => x.id === 'fresh')!;
    const stale = cands.find((x) => x.id === 'stale')!;
    expect(fresh.status).toBe('returned');
    expect(stale).toMatchObject({ status: 'suppressed', reason: 'Where retention > 0.3', presentations: 1 });
    expect(stale.retention as number).toBeLessThan(0.3);
    expect(stale.base_level as number).toBeLessThan(fresh.base_level as number);
    for (const k of ['similarity', 'spread', 'match', 'activation', 'score', 'age_ms']) expect(stale[k]).not.toBeNull();
  });
});

describe('transactions', () => {
  it('COMMIT writes the buffered statements as one batch; reads inside see the committed state', async () => {
    await t.db.query('BEGIN');
    const r1 = await t.db.query("REMEMBER 'one' AS one");
    expect(r1.stats.inTransaction).toBe(true);
    await t.db.query("REMEMBER 'two' AS two; ASSOCIATE one WITH two");
    expect((await t.db.query('RECALL * NO REINFORCE')).rows).toEqual([]);
    const c = await t.db.query('COMMIT');
    expect(c.rows).toEqual([{ ok: true, writes: 3 }]);
    expect((await t.db.query('RECALL * ORDER BY id ASC NO REINFORCE')).rows.map((r) => r.id)).toEqual(['one', 'two']);
    expect((await t.db.query('DESCRIBE one')).rows[0]!.associations).toEqual([{ to: 'two', kind: 'assoc', weight: 1, confidence: [1, 1] }]);
  });

  it('ROLLBACK discards; an invalid batch at COMMIT writes nothing; a failed statement keeps the transaction open', async () => {
    await t.db.query("BEGIN; REMEMBER 'x' AS x");
    expect((await t.db.query('ROLLBACK')).rows).toEqual([{ ok: true, discarded: 1 }]);
    expect((await t.db.query('RECALL * NO REINFORCE')).rows).toEqual([]);
    await t.db.query("BEGIN; REMEMBER 'y' AS y");
    await expect(t.db.query('RECALL * IN SPACE nope')).rejects.toMatchObject({ code: 'UNKNOWN_SPACE' });
    await t.db.query('ASSOCIATE y WITH missing');
    await expect(t.db.query('COMMIT')).rejects.toMatchObject({ code: 'UNKNOWN_MEMORY' });
    expect((await t.db.query('RECALL * NO REINFORCE')).rows).toEqual([]);
    await expect(t.db.query('COMMIT')).rejects.toMatchObject({ code: 'TRANSACTION_ERROR' });
    await expect(t.db.query('BEGIN; CREATE SPACE s')).rejects.toMatchObject({ code: 'TRANSACTION_ERROR' });
    await t.db.query('ROLLBACK');
  });
});

describe('SPREAD, CONSOLIDATE and jobs', () => {
  it('SPREAD ranks by activation with hops and path; the node budget gives LIMIT_EXCEEDED', async () => {
    await t.db.query("REMEMBER 'a' AS a; REMEMBER 'b' AS b; REMEMBER 'c' AS c; ASSOCIATE a WITH b; ASSOCIATE b WITH c; ASSOCIATE c WITH a");
    const r = await t.db.query('SPREAD FROM a MAX_HOPS 3');
    expect(r.rows.map((x) => [x.id, x.hops, x.path, x.activation])).toEqual([['b', 1, ['a', 'b'], 0.5], ['c', 2, ['a', 'b', 'c'], 0.25]]);
    await t.reopen({ limits: { nodesVisited: 1 } });
    await expect(t.db.query('SPREAD FROM a MAX_HOPS 3')).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      message: expect.stringMatching(/more than 1 nodes \(limit nodesVisited\); raise limits\.nodesVisited in open\(\)/),
      details: { limit: 'nodesVisited', value: 1 },
    });
  });

  it("SPREAD narrows each row's confidence by the edges of its path", async () => {
    await t.db.query("REMEMBER 'a' AS a; REMEMBER 'b' AS b CONFIDENCE [0.9, 1]; REMEMBER 'c' AS c");
    await t.db.query('ASSOCIATE a WITH b CONFIDENCE 0.8; ASSOCIATE b WITH c CONFIDENCE [0.5, 0.6]');
    // c is also reachable directly by a weaker edge, which is not its strongest path
    await t.db.query('ASSOCIATE a WITH c WEIGHT 0.1 CONFIDENCE 0.1');
    const rows = (await t.db.query('SPREAD FROM a MAX_HOPS 3')).rows;
    const conf = Object.fromEntries(rows.map((r) => [r.id, r.confidence]));
    expect(conf.b).toEqual([0.72, 0.8]);
    expect(conf.c).toEqual([0.4, 0.48]);
  });

  it('CONSOLIDATE makes semantic memories with derived_from edges, and a re-run updates instead of duplicating', async () => {
    const batch = ['aa', 'ab', 'ac', 'ba', 'bb', 'bc'].map((id) => ({
      id, content: `item ${id}`, embedding: id[0] === 'a' ? [1, 0.01 * id.charCodeAt(1), 0] : [0, 1, 0.01 * id.charCodeAt(1)],
    }));
    await t.db.query('CREATE SPACE e DIM 3; USE SPACE e');
    await t.db.query('REMEMBER $batch', { batch });
    const first = await t.db.query('CONSOLIDATE * SIMILARITY 0.6');
    expect(first.rows.map((r) => r.members)).toEqual([['aa', 'ab', 'ac'], ['ba', 'bb', 'bc']].sort((x, y) => 0 * x.length * y.length));
    expect(first.rows.every((r) => r.kind === 'semantic' && r.updated === false)).toBe(true);
    const ids = first.rows.map((r) => r.id);
    const second = await t.db.query('CONSOLIDATE * SIMILARITY 0.6');
    expect(second.rows.map((r) => r.id)).toEqual(ids);
    expect(second.rows.every((r) => r.updated === true)).toBe(true);
    const sem = await t.db.query("RECALL * WHERE kind = 'semantic' NO REINFORCE");
    expect(sem.rows).toHaveLength(2);
    const d = (await t.db.query('DESCRIBE $id', { id: ids[0] })).rows[0]!;
    expect((d.associations as Array<{ kind: string }>).every((a) => a.kind === 'derived_from')).toBe(true);
    expect(d.associations).toHaveLength(3);
    const into = await t.db.query("CONSOLIDATE WHERE content CONTAINS 'item a' INTO topic_a SIMILARITY 0.6");
    expect(into.rows.map((r) => [r.id, r.members])).toEqual([['topic_a', ['aa', 'ab', 'ac']]]);
  });

  it('SCHEDULER INTERVAL registers a job that survives reopen and runs when due', async () => {
    await t.db.query('CREATE SPACE e DIM 2; USE SPACE e');
    await t.db.query('REMEMBER $batch', { batch: [1, 2, 3].map((i) => ({ id: `e${i}`, content: `e${i}`, embedding: [1, i * 0.01] })) });
    const job = await t.db.query('CONSOLIDATE * SCHEDULER INTERVAL 1h');
    expect(job.rows[0]).toMatchObject({ kind: 'consolidate', space: 'e', interval_ms: HOUR, statement: 'CONSOLIDATE * IN SPACE e SCHEDULER IMMEDIATE' });
    await t.reopen();
    expect(await t.db.runDueJobs()).toEqual([]);
    t.clock.now += 2 * HOUR;
    expect(await t.db.runDueJobs()).toEqual([job.rows[0]!.job]);
    const sem = await t.db.query("RECALL * IN SPACE e WHERE kind = 'semantic' NO REINFORCE");
    expect(sem.rows).toHaveLength(1);
    expect(await t.db.runDueJobs()).toEqual([]);
  });
});

describe('FORGET', () => {
  it('FORGET WHERE on a computed column scores first; FORGET id removes edges too', async () => {
    await t.db.query("REMEMBER 'old' AS old AT '2020-01-01T00:00:00Z'; REMEMBER 'new' AS new; ASSOCIATE new WITH old");
    const r = await t.db.query('FORGET WHERE retention < 0.3');
    expect(r.rows).toEqual([{ forgotten: 1 }]);
    expect((await t.db.query('RECALL * NO REINFORCE')).rows.map((x) => x.id)).toEqual(['new']);
    expect((await t.db.query('DESCRIBE new')).rows[0]!.associations).toEqual([]);
    expect((await t.db.query('FORGET new')).rows).toEqual([{ forgotten: 1 }]);
    const e = (await t.db.query('DESCRIBE new').catch((x) => x)) as MnemoError;
    expect(e.code).toBe('UNKNOWN_MEMORY');
  });
});
