/**
 * Host API tests (language.md §6): open/query/prepare/close, scripts return the last result,
 * prepared statements parse once, parameters (named, positional, injection-safe, missing and
 * wrongly typed), USE SPACE, and typed errors (UNKNOWN_SPACE with did-you-mean, DIMENSION_MISMATCH,
 * PARSE_ERROR with position).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MnemoError, open } from '../src/index.js';
import { errorCode, freshDb, type TestDb } from './helpers/db.js';

let t: TestDb;
beforeEach(async () => {
  t = await freshDb();
});
afterEach(async () => {
  await t.cleanup();
});

const code = errorCode;

describe('open / query / close', () => {
  it('creates the directory and lists the default space', async () => {
    const dir = path.join(t.dir, 'nested', 'db');
    const db = await open(dir, { durability: 'off' });
    expect(existsSync(dir)).toBe(true);
    const r = await db.query('SHOW SPACES');
    expect(r.columns).toEqual(['name', 'dim', 'metric', 'decay', 'embedder', 'memories']);
    expect(r.rows).toEqual([{ name: 'default', dim: 256, metric: 'cosine', decay: 'ACTR(0.177, -1.391, 0.853)', embedder: 'builtin:hash-ngram', memories: 0 }]);
    await db.close();
    await expect(db.query('SHOW SPACES')).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('a script runs every statement and returns the last result', async () => {
    const r = await t.db.query("REMEMBER 'a' AS a; REMEMBER 'b' AS b; RECALL * ORDER BY id ASC NO REINFORCE");
    expect(r.rows.map((x) => x.id)).toEqual(['a', 'b']);
    expect(r.stats.statement).toBe('Recall');
    expect(r.stats.rows).toBe(2);
  });

  it('REMEMBER returns generated ids in stats.ids', async () => {
    const r = await t.db.query("REMEMBER 'no id'");
    expect(r.stats.ids).toHaveLength(1);
    const id = r.stats.ids![0]!;
    expect(id).toMatch(/^m_/);
    const d = await t.db.query('DESCRIBE $id', { id });
    expect(d.rows[0]!.content).toBe('no id');
    expect(d.rows[0]!.embedding).toBeInstanceOf(Float32Array);
  });

  it('USE SPACE sets the session default', async () => {
    await t.db.query("CREATE SPACE notes DIM 3; USE SPACE notes; REMEMBER 'x' AS x EMBEDDING [1, 0, 0]");
    const spaces = await t.db.query('SHOW SPACES');
    expect(spaces.rows.find((r) => r.name === 'notes')!.memories).toBe(1);
    expect((await t.db.query('RECALL * IN SPACE default NO REINFORCE')).rows).toEqual([]);
  });
});

describe('prepared statements and parameters', () => {
  it('prepare parses once; run never re-parses', async () => {
    const before = t.db.parseCount;
    const st = t.db.prepare('REMEMBER $c AS $id');
    expect(t.db.parseCount).toBe(before + 1);
    for (let i = 0; i < 5; i++) {
      const r = await st.run({ c: `text ${i}`, id: `p${i}` });
      expect(r.columns).toEqual(['id']);
      expect(r.rows).toEqual([{ id: `p${i}` }]);
    }
    expect(t.db.parseCount).toBe(before + 1);
    expect((await t.db.query('RECALL * NO REINFORCE')).rows).toHaveLength(5);
  });

  it('db.query parses a repeated text once (statement cache) and still binds new parameters', async () => {
    await t.db.query("REMEMBER 'a' AS a; REMEMBER 'b' AS b");
    const before = t.db.parseCount;
    const text = 'RECALL * WHERE id = $id NO REINFORCE';
    expect((await t.db.query(text, { id: 'a' })).rows.map((r) => r.id)).toEqual(['a']);
    expect((await t.db.query(text, { id: 'b' })).rows.map((r) => r.id)).toEqual(['b']);
    expect(t.db.parseCount).toBe(before + 1);
    // a text that fails to parse is not cached: it fails (and is parsed) every time
    for (let i = 0; i < 2; i++) await expect(t.db.query('RECAL *')).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    expect(t.db.parseCount).toBe(before + 3);
    // least recently used texts leave the cache after 128 others
    for (let i = 0; i < 128; i++) await t.db.query(`RECALL * WHERE id = 'x${i}' NO REINFORCE`);
    const mid = t.db.parseCount;
    await t.db.query(text, { id: 'a' });
    expect(t.db.parseCount).toBe(mid + 1);
  });

  it('a parameter holding MQL text is stored as text, never run', async () => {
    const evil = "'x'; FORGET WHERE id != ''";
    await t.db.query("REMEMBER 'keep me' AS keep");
    await t.db.query('REMEMBER $c AS evil', { c: evil });
    const all = await t.db.query('RECALL * ORDER BY id ASC NO REINFORCE');
    expect(all.rows.map((r) => r.id)).toEqual(['evil', 'keep']);
    expect(all.rows[0]!.content).toBe(evil);
  });

  it('positional ? parameters bind by position', async () => {
    await t.db.query("CREATE SPACE v DIM 2; REMEMBER ? AS ? EMBEDDING ? IN SPACE v", ['hello', 'h1', [1, 0]]);
    const r = await t.db.query('RECALL ? IN SPACE v LIMIT ? NO REINFORCE', [[1, 0], 1]);
    expect(r.rows.map((x) => x.id)).toEqual(['h1']);
    expect(r.rows[0]!.similarity).toBeCloseTo(1, 6);
  });

  it('missing parameter → MISSING_PARAMETER naming it; wrong type → TYPE_ERROR', async () => {
    const e = await t.db.query('RECALL $q').catch((x: MnemoError) => x);
    expect(e).toMatchObject({ code: 'MISSING_PARAMETER' });
    expect((e as MnemoError).message).toContain('$q');
    expect(await code(t.db.query('RECALL * LIMIT $n', { n: 'ten' }))).toBe('TYPE_ERROR');
    expect(await code(t.db.query('RECALL $q', { q: { a: 1 } }))).toBe('TYPE_ERROR');
    expect(await code(t.db.query('REMEMBER $c', { c: 42 }))).toBe('TYPE_ERROR');
    expect(await code(t.db.query('RECALL * LIMIT ?', []))).toBe('MISSING_PARAMETER');
  });

  it('$param pattern is text when a string and a vector when numbers', async () => {
    await t.db.query("REMEMBER 'coffee with milk' AS c; REMEMBER 'walking the dog' AS d");
    const text = await t.db.query('RECALL $q LIMIT 1 NO REINFORCE', { q: 'coffee' });
    expect(text.rows[0]!.id).toBe('c');
    const vec = (await t.db.query('DESCRIBE d')).rows[0]!.embedding as Float32Array;
    const byVec = await t.db.query('RECALL $q LIMIT 1 NO REINFORCE', { q: vec });
    expect(byVec.rows[0]!.id).toBe('d');
  });

  it('REMEMBER $batch writes every object in one commit', async () => {
    const batch = [
      { id: 'b1', content: 'first', meta: { n: 1 } },
      { id: 'b2', content: 'second', kind: 'semantic', confidence: [0.5, 0.8], at: '2023-12-31T00:00:00Z' },
      { content: 'third' },
    ];
    const r = await t.db.query('REMEMBER $batch', { batch });
    expect(r.stats.ids).toHaveLength(3);
    expect(r.stats.writes).toBe(3);
    const b2 = (await t.db.query('DESCRIBE b2')).rows[0]!;
    expect(b2).toMatchObject({ kind: 'semantic', confidence: [0.5, 0.8], created: '2023-12-31T00:00:00.000Z' });
    expect(await code(t.db.query('REMEMBER $batch', { batch: [{ id: 'x', content: 'ok' }, { content: 7 }] }))).toBe('TYPE_ERROR');
    expect((await t.db.query('RECALL x NO REINFORCE')).rows).toEqual([]);
  });
});

describe('statement order and the synchronous fast path', () => {
  it('statements issued without awaiting run one at a time in call order, reads seeing earlier writes', async () => {
    await t.db.query("REMEMBER 'first' AS a");
    const read = t.db.prepare('RECALL * WHERE id = $id NO REINFORCE');
    const p1 = t.db.query("REMEMBER 'second' AS b");
    const p2 = read.run({ id: 'b' });
    const p3 = t.db.query('FORGET b');
    const p4 = read.run({ id: 'b' });
    const p5 = read.run({ id: 'a' });
    const [, r2, , r4, r5] = await Promise.all([p1, p2, p3, p4, p5]);
    expect(r2.rows.map((r) => r.content)).toEqual(['second']);
    expect(r4.rows).toEqual([]);
    expect(r5.rows.map((r) => r.content)).toEqual(['first']);
  });

  it('a read issued while a write is in flight waits for it; a read on an idle queue answers the same rows', async () => {
    const read = t.db.prepare('RECALL * WHERE id = $id NO REINFORCE');
    const write = t.db.query("REMEMBER 'later' AS c");
    const queued = await read.run({ id: 'c' });
    await write;
    const idle = await read.run({ id: 'c' });
    expect(queued.rows).toEqual(idle.rows);
    expect(idle.rows).toHaveLength(1);
  });

  it('errors of a synchronous run come back as rejected promises, and the next statement still runs', async () => {
    const st = t.db.prepare('RECALL * IN SPACE nosuch WHERE id = $id');
    let p: Promise<unknown> | undefined;
    expect(() => { p = st.run({ id: 'x' }); }).not.toThrow();
    expect(await code(p as Promise<unknown>)).toBe('UNKNOWN_SPACE');
    const missing = t.db.prepare('RECALL * WHERE id = $id');
    expect(await code(missing.run({}))).toBe('MISSING_PARAMETER');
    await t.db.query("REMEMBER 'ok' AS ok");
    expect((await t.db.query('RECALL * WHERE id = $id NO REINFORCE', { id: 'ok' })).rows).toHaveLength(1);
  });

  it('a RECALL that reinforces is seen by the next statement (its background write is awaited first)', async () => {
    await t.db.query("REMEMBER 'r' AS r");
    const before = (await t.db.query('RECALL * WHERE id = $id NO REINFORCE', { id: 'r' })).rows[0]!.access_count as number;
    void t.db.query('RECALL * WHERE id = $id', { id: 'r' });
    const after = (await t.db.query('RECALL * WHERE id = $id NO REINFORCE', { id: 'r' })).rows[0]!.access_count as number;
    expect(after).toBe(before + 1);
  });
});

describe('query budget', () => {
  it('a statement whose planning outlasts limits.queryTimeMs fails with LIMIT_EXCEEDED naming the limit', async () => {
    const slowEmbedder = async (texts: string[], s: { dim: number }): Promise<Float32Array[]> => {
      await new Promise((r) => setTimeout(r, 40));
      return texts.map(() => new Float32Array(s.dim).fill(1));
    };
    const db = await open(path.join(t.dir, 'budget'), { durability: 'off', embedder: slowEmbedder, limits: { queryTimeMs: 5 } });
    try {
      await db.query("REMEMBER 'x' AS x EMBEDDING $v", { v: new Float32Array(256).fill(1) });
      const e = await db.query("RECALL 'x' NO REINFORCE").then(() => null, (err: unknown) => err);
      expect(e).toBeInstanceOf(MnemoError);
      expect((e as MnemoError).code).toBe('LIMIT_EXCEEDED');
      expect((e as MnemoError).message).toContain('queryTimeMs');
      expect((await db.query('RECALL * WHERE id = $id NO REINFORCE', { id: 'x' })).rows).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it('an aborted signal cancels the statement (LIMIT_EXCEEDED, limit signal)', async () => {
    await t.db.query("REMEMBER 'y' AS y");
    const ac = new AbortController();
    ac.abort();
    const e = await t.db.query('RECALL * NO REINFORCE', undefined, { signal: ac.signal }).then(() => null, (err: unknown) => err);
    expect((e as MnemoError).code).toBe('LIMIT_EXCEEDED');
    expect((e as MnemoError).details).toMatchObject({ limit: 'signal' });
  });
});

describe('typed errors', () => {
  it('UNKNOWN_SPACE suggests a close name', async () => {
    const e = (await t.db.query('RECALL * IN SPACE defualt').catch((x) => x)) as MnemoError;
    expect(e.code).toBe('UNKNOWN_SPACE');
    expect(e.message).toContain("did you mean 'default'");
  });

  it('DIMENSION_MISMATCH names both numbers', async () => {
    await t.db.query('CREATE SPACE v DIM 3');
    const e = (await t.db.query('RECALL [1, 2] IN SPACE v').catch((x) => x)) as MnemoError;
    expect(e.code).toBe('DIMENSION_MISMATCH');
    expect(e.message).toMatch(/2 dimensions.*has 3/);
    expect(await code(t.db.query("REMEMBER 'x' EMBEDDING [1] IN SPACE v"))).toBe('DIMENSION_MISMATCH');
  });

  it('PARSE_ERROR keeps line, column and caret', async () => {
    const e = (await t.db.query('RECALL *\nLIMT 3').catch((x) => x)) as MnemoError & { line: number; column: number };
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.line).toBe(2);
    expect(e.format()).toContain('^');
  });

  it('range checks: LIMIT, THRESHOLD, CREATE SPACE DIM, MAX_HOPS', async () => {
    expect(await code(t.db.query('RECALL * LIMIT $n', { n: -1 }))).toBe('INVALID_ARGUMENT');
    expect(await code(t.db.query('RECALL $q THRESHOLD $t', { q: 'x', t: 1.5 }))).toBe('INVALID_ARGUMENT');
    expect(await code(t.db.query('CREATE SPACE big DIM $d', { d: 5000 }))).toBe('INVALID_ARGUMENT');
    expect(await code(t.db.query('SPREAD FROM a MAX_HOPS 11'))).toBe('LIMIT_EXCEEDED');
    expect(await code(t.db.query("CREATE SPACE default"))).toBe('SPACE_EXISTS');
    expect((await t.db.query('CREATE SPACE default IF NOT EXISTS')).rows).toEqual([]);
  });
});

describe('read-only and backup', () => {
  it('a read-only open answers RECALL without recording presentations; BACKUP TO copies the database', async () => {
    await t.db.query("REMEMBER 'kept' AS k");
    const backupDir = path.join(t.dir, '..', path.basename(t.dir) + '-backup');
    await t.db.query('BACKUP TO $d', { d: backupDir });
    await t.db.close();
    const ro = await open(t.dir, { readOnly: true, durability: 'off' });
    const r = await ro.query('RECALL k');
    expect(r.rows.map((x) => x.id)).toEqual(['k']);
    expect((await ro.query('DESCRIBE k')).rows[0]!.access_count).toBe(1);
    await expect(ro.query("REMEMBER 'x'")).rejects.toMatchObject({ code: 'READ_ONLY' });
    await ro.close();
    const copy = await open(backupDir, { durability: 'off' });
    expect((await copy.query('RECALL * NO REINFORCE')).rows.map((x) => x.id)).toEqual(['k']);
    await copy.close();
    const { rmSync } = await import('node:fs');
    rmSync(backupDir, { recursive: true, force: true });
  });
});
