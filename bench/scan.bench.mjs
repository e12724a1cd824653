/**
 * Scan benchmark: `RECALL *` over a whole space (N = 100 000 memories; MNEMO_BENCH_QUICK=1: 10 000),
 * the "recent memories" and "memories of a kind" queries an agent runs, against better-sqlite3
 * running the same selection on a table of the same rows (without and with an index on `created`).
 * The MQL rows' ids are checked equal to SQLite's before timing (same order: created, ties by id).
 * Also the same RECALL without LIMIT (every memory read, scored and sorted; the first 20 taken),
 * which is what the ordered scan (ScanTop, docs/mql_reference.md §"EXPLAIN and PROFILE") avoids,
 * and two RECALLs in score order (no SQLite equivalent: scores are computed at read time).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { open } from '@mnemo/query';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const K = 20;

/** Memory i: created on one of N/4 distinct minutes (so there are ties), every 10th semantic. */
function row(i, n) {
  return {
    id: `m${String(i).padStart(6, '0')}`,
    content: `memory ${i}`,
    kind: i % 10 === 3 ? 'semantic' : 'episodic',
    at: T0 - ((i * 7919) % (n >> 2)) * 60_000,
    meta: { n: i % 10 },
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median ms of `reps` runs after 2 warm-up runs. */
async function time(fn, reps) {
  for (let i = 0; i < 2; i++) await fn();
  const xs = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

export async function run({ quick }) {
  const n = quick ? 10_000 : 100_000;
  const reps = quick ? 5 : 9;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnemo-scanbench-'));
  const db = await open(path.join(dir, 'mnemo'), { durability: 'off', clock: () => T0, schedulerPollMs: 0 });
  const sql = new Sqlite(path.join(dir, 'rows.sqlite'));
  try {
    await db.query('CREATE SPACE s DIM 4');
    const remember = db.prepare('REMEMBER $batch IN SPACE s');
    sql.pragma('journal_mode = WAL');
    sql.exec('CREATE TABLE m (id TEXT PRIMARY KEY, content TEXT NOT NULL, kind TEXT NOT NULL, created REAL NOT NULL, meta TEXT)');
    const insert = sql.prepare('INSERT INTO m VALUES (?, ?, ?, ?, ?)');
    const insertAll = sql.transaction((rows) => {
      for (const r of rows) insert.run(r.id, r.content, r.kind, r.at, JSON.stringify(r.meta));
    });
    const add = async (from, to) => {
      for (let s = from; s < to; s += 5000) {
        const rows = [];
        for (let i = s; i < Math.min(to, s + 5000); i++) rows.push(row(i, n));
        await remember.run({ batch: rows.map((r) => ({ ...r, at: new Date(r.at), embedding: [1, (r.content.length % 7) / 7, 0, 0.5] })) });
        insertAll(rows);
      }
    };
    // all but the last 1 000 in one flushed segment, those in the memtable
    await add(0, n - 1000);
    await db.query('CHECKPOINT');
    await add(n - 1000, n);
    const cases = [
      {
        what: `recent: \`ORDER BY created DESC LIMIT ${K}\``,
        mql: `RECALL * IN SPACE s ORDER BY created DESC LIMIT ${K} NO REINFORCE`,
        full: 'RECALL * IN SPACE s ORDER BY created DESC NO REINFORCE',
        sql: `SELECT id, content, kind, created, meta FROM m ORDER BY created DESC, id LIMIT ${K}`,
      },
      {
        what: `recent of a kind (10 %): \`WHERE kind = 'semantic' ORDER BY created DESC LIMIT ${K}\``,
        mql: `RECALL * IN SPACE s WHERE kind = 'semantic' ORDER BY created DESC LIMIT ${K} NO REINFORCE`,
        full: "RECALL * IN SPACE s WHERE kind = 'semantic' ORDER BY created DESC NO REINFORCE",
        sql: `SELECT id, content, kind, created, meta FROM m WHERE kind = 'semantic' ORDER BY created DESC, id LIMIT ${K}`,
      },
      {
        what: `first ids: \`ORDER BY id LIMIT 100\``,
        mql: 'RECALL * IN SPACE s ORDER BY id LIMIT 100 NO REINFORCE',
        full: 'RECALL * IN SPACE s ORDER BY id NO REINFORCE',
        sql: 'SELECT id, content, kind, created, meta FROM m ORDER BY id LIMIT 100',
      },
    ];
    const lines = [];
    for (const c of cases) {
      const st = db.prepare(c.mql);
      const fullSt = db.prepare(c.full);
      const q = sql.prepare(c.sql);
      const mqlIds = (await st.run()).rows.map((r) => r.id);
      const sqlIds = q.all().map((r) => r.id);
      const fullIds = (await fullSt.run()).rows.slice(0, mqlIds.length).map((r) => r.id);
      if (JSON.stringify(mqlIds) !== JSON.stringify(sqlIds) || JSON.stringify(mqlIds) !== JSON.stringify(fullIds)) {
        throw new Error(`${c.what}: MQL, its unlimited form and SQLite disagree:\n${mqlIds}\n${fullIds}\n${sqlIds}`);
      }
      sql.exec('DROP INDEX IF EXISTS m_created');
      const tMql = await time(() => st.run(), reps);
      const tFull = await time(() => fullSt.run(), reps);
      const tSql = await time(() => q.all(), reps);
      sql.exec('CREATE INDEX m_created ON m (created)');
      const qIdx = sql.prepare(c.sql);
      const tIdx = await time(() => qIdx.all(), reps);
      sql.exec('DROP INDEX m_created');
      lines.push(`| ${c.what} | ${tMql.toFixed(2)} | ${tFull.toFixed(1)} | ${tSql.toFixed(2)} | ${(tMql / tSql).toFixed(2)}× | ${tIdx.toFixed(3)} |`);
    }
    // score order: every memory the filter keeps is scored (from its decay state), k are read
    const scoreLines = [];
    for (const [what, where] of [[`\`RECALL * LIMIT ${K}\``, ''], [`\`RECALL * WHERE kind = 'semantic' LIMIT ${K}\``, "WHERE kind = 'semantic'"]]) {
      const st = db.prepare(`RECALL * IN SPACE s ${where} LIMIT ${K} NO REINFORCE`);
      const fullSt = db.prepare(`RECALL * IN SPACE s ${where} NO REINFORCE`);
      const ids = (await st.run()).rows.map((r) => r.id);
      const fullIds = (await fullSt.run()).rows.slice(0, ids.length).map((r) => r.id);
      if (JSON.stringify(ids) !== JSON.stringify(fullIds)) throw new Error(`${what}: differs from its unlimited form`);
      scoreLines.push(`| ${what} | ${(await time(() => st.run(), reps)).toFixed(1)} | ${(await time(() => fullSt.run(), reps)).toFixed(1)} |`);
    }
    return [
      '### RECALL * scans (scan.bench.mjs)',
      '',
      `N = ${n.toLocaleString('en-US')} memories (${(n - 1000).toLocaleString('en-US')} in one flushed segment, 1 000 in the memtable; creation times on ${(n >> 2).toLocaleString('en-US')} distinct minutes, so ties; every 10th semantic). MQL prepared statements, NO REINFORCE; better-sqlite3 on a table of the same rows (id primary key, WAL). Median of ${reps} runs after 2 warm-ups, ms. The ids MQL returns are checked equal to SQLite's, and to the first rows of the same RECALL without LIMIT, before timing.`,
      '',
      '| query | MQL (ms) | same RECALL without LIMIT (ms) | SQLite, no index on created (ms) | MQL / SQLite | SQLite, index on created (ms) |',
      '|---|---|---|---|---|---|',
      ...lines,
      '',
      'Score order (no ORDER BY) has no column to read: every memory the filter keeps is scored from its decay state, and the first k are read. Checked equal to the first rows of the unlimited form.',
      '',
      '| query (score order) | MQL (ms) | same RECALL without LIMIT (ms) |',
      '|---|---|---|',
      ...scoreLines,
      '',
    ].join('\n');
  } finally {
    sql.close();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
