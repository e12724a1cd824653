/**
 * Query-layer benchmark (issue #5, architecture.md "query"): (1) parse time and plan time of
 * typical statements (parse = `parse()`; plan = a prepared `EXPLAIN` run (parsed once), which plans and
 * renders without executing); (2) overhead of MQL over calling the engine directly for `RECALL * WHERE id = $id` (the id form for an id held in a parameter)
 * and a vector RECALL (LIMIT 10, NO REINFORCE), with prepared statements and with db.query (whose
 * statement cache parses a repeated text once). The direct path does the same work the plan does:
 * snapshot, get / searchVectors (same k = 2·LIMIT + 16 = 36), for the vector RECALL the context
 * spread (3 seeds, 2 hops), decayParts + recallScore per hit, sort, release. Target: prepared
 * overhead < 5 %. Alternating best-of-5 passes. N = 20 000 memories (dim 64, one flushed segment
 * with its HNSW graph); MNEMO_BENCH_QUICK=1: N = 4 000.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { open, parse } from '@mnemo/query';
import { decayParts, recallScore, searchVectors, spread } from '@mnemo/engine';

const DIM = 64;
const T0 = Date.parse('2024-01-01T00:00:00Z');

function vec(i) {
  const v = new Float32Array(DIM);
  for (let k = 0; k < DIM; k++) v[k] = Math.sin(i * 0.7 + k * 1.3) + Math.cos(i * 0.013 * (k + 1));
  return v;
}

const STATEMENTS = [
  "RECALL m42 NO REINFORCE",
  "RECALL 'coffee with milk' WHERE kind = 'episodic' AND retention > 0.2 LIMIT 10",
  "RECALL $v THRESHOLD 0.5 IN SPACE b WHERE meta.n > 3 CONFIDENCE >= 0.5 ORDER BY score DESC LIMIT 10 NO REINFORCE",
  "SPREAD FROM m1, m2 IN SPACE b MAX_HOPS 3 DECAY 0.5 THRESHOLD 0.05 LIMIT 20",
  "REMEMBER 'a new memory' AS x1 CONFIDENCE [0.6, 0.9] AT NOW - 1d KIND SEMANTIC META {\"tags\": [\"a\", \"b\"]} IN SPACE b",
];

function timeLoop(fn, iters) {
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) fn(i);
  return ((performance.now() - t0) * 1000) / iters;
}

async function timeLoopAsync(fn, iters) {
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) await fn(i);
  return ((performance.now() - t0) * 1000) / iters;
}

function directRecallId(db, space, id) {
  const snap = db.store.snapshot();
  try {
    const rec = snap.get('b', id);
    const d = decayParts(rec.decay, T0, space.decay);
    return recallScore({ similarity: 1, baseLevel: d.baseLevel, model: space.decay }).score;
  } finally {
    snap.release();
  }
}

/** The cognitive spread's graph interface over a snapshot (what an engine user writes). */
function snapshotGraph(snap, space) {
  const out = new Map();
  const edges = (id) => {
    let l = out.get(id);
    if (l === undefined) out.set(id, (l = snap.associationsFrom(space, id)));
    return l;
  };
  return { neighbors: (id) => edges(id).map((a) => ({ to: a.to, weight: a.weight })), fan: (id) => edges(id).length };
}

function directVector(db, space, q) {
  const snap = db.store.snapshot();
  try {
    const hits = searchVectors(snap, space, q, { k: 36 }, db.cache);
    // RECALL's context: spreading activation from the 3 most similar hits, 2 hops
    const seeds = [...hits].sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1)).slice(0, 3).map((h) => h.id);
    const reached = new Map(spread(snapshotGraph(snap, 'b'), seeds, { maxHops: 2 }).map((r) => [r.id, r.activation]));
    const scored = hits.map((h) => {
      const d = decayParts(h.record.decay, T0, space.decay);
      const sp = reached.get(h.id) ?? 0;
      return { id: h.id, s: recallScore({ similarity: h.similarity, baseLevel: d.baseLevel, spread: sp, model: space.decay }).score };
    });
    scored.sort((a, b) => b.s - a.s || (a.id < b.id ? -1 : 1));
    return scored.slice(0, 10);
  } finally {
    snap.release();
  }
}

async function setup(n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnemo-qbench-'));
  const db = await open(dir, { durability: 'off', clock: () => T0, schedulerPollMs: 0 });
  await db.query(`CREATE SPACE b DIM ${DIM}`);
  const st = db.prepare('REMEMBER $batch IN SPACE b');
  for (let s = 0; s < n; s += 1000) {
    const batch = [];
    // Distinct creation times (a minute apart, before NOW), as memories have in use: rows then format
    // distinct instants. A Date: a number would be read as unix seconds (a year ~55 900 memory).
    for (let i = s; i < Math.min(n, s + 1000); i++) batch.push({ id: `m${i}`, content: `memory ${i}`, embedding: vec(i), meta: { n: i % 10 }, at: new Date(T0 - (n - i) * 60_000) });
    await st.run({ batch });
  }
  for (let i = 1; i < 200; i++) await db.query('ASSOCIATE $a WITH $b IN SPACE b', { a: `m${i}`, b: `m${(i * 7) % 200}` });
  await db.query('CHECKPOINT');
  return { dir, db };
}

const PASSES = 9;
const ID_ITERS_FACTOR = 10;

export async function run({ quick }) {
  const loadBefore = os.loadavg()[0].toFixed(2);
  const n = quick ? 4000 : 20000;
  const iters = quick ? 300 : 1000;
  const { dir, db } = await setup(n);
  const space = db.store.getSpace('b');
  const out = [];
  try {
    const parseRows = [];
    for (const text of STATEMENTS) {
      const params = { v: Array.from(vec(3)) };
      const explain = db.prepare(`EXPLAIN ${text}`);
      await explain.run(params);
      let p = Infinity;
      let pp = Infinity;
      for (let r = 0; r < 5; r++) {
        p = Math.min(p, timeLoop(() => parse(text), iters));
        pp = Math.min(pp, await timeLoopAsync(() => explain.run(params), iters));
      }
      parseRows.push(`| \`${text.length > 70 ? text.slice(0, 67) + '...' : text}\` | ${p.toFixed(1)} | ${pp.toFixed(1)} |`);
    }
    const idSt = db.prepare('RECALL * IN SPACE b WHERE id = $id NO REINFORCE');
    const vSt = db.prepare('RECALL $v IN SPACE b LIMIT 10 NO REINFORCE');
    const qs = Array.from({ length: 64 }, (_, i) => vec(n + i * 17));
    const ids = Array.from({ length: 64 }, (_, i) => `m${(i * 311) % n}`);
    const best = { idDirect: Infinity, idPrep: Infinity, idQuery: Infinity, vDirect: Infinity, vPrep: Infinity, vQuery: Infinity };
    // A lookup takes a few µs: 1000 of them (a few ms) are at the mercy of one GC pause or timer
    // tick, so the id passes run ID_ITERS_FACTOR times longer.
    const idIters = iters * ID_ITERS_FACTOR;
    for (let r = 0; r < PASSES; r++) {
      best.idDirect = Math.min(best.idDirect, timeLoop((i) => directRecallId(db, space, ids[i & 63]), idIters));
      best.idPrep = Math.min(best.idPrep, await timeLoopAsync((i) => idSt.run({ id: ids[i & 63] }), idIters));
      best.idQuery = Math.min(best.idQuery, await timeLoopAsync((i) => db.query('RECALL * IN SPACE b WHERE id = $id NO REINFORCE', { id: ids[i & 63] }), idIters));
      best.vDirect = Math.min(best.vDirect, timeLoop((i) => directVector(db, space, qs[i & 63]), iters / 2));
      best.vPrep = Math.min(best.vPrep, await timeLoopAsync((i) => vSt.run({ v: qs[i & 63] }), iters / 2));
      best.vQuery = Math.min(best.vQuery, await timeLoopAsync((i) => db.query('RECALL $v IN SPACE b LIMIT 10 NO REINFORCE', { v: qs[i & 63] }), iters / 2));
    }
    const pct = (a, b) => `${(((a - b) / b) * 100).toFixed(1)} %`;
    out.push('### MQL query layer (query.bench.mjs)', '');
    out.push(`N = ${n} memories created a minute apart, dim ${DIM}, one flushed segment with HNSW (M 16, efSearch 64), durability off; parse/plan: ${iters} iterations per pass, best of 5; direct vs MQL: ${idIters} iterations per pass for RECALL id, ${iters / 2} for the vector RECALL, best of ${PASSES} alternating passes; times in µs per statement (wall clock). Load average before the run: ${loadBefore}.`, '');
    out.push('| statement | parse (µs) | plan + render via prepared EXPLAIN, no re-parse (µs) |', '|---|---|---|', ...parseRows, '');
    out.push('| operation | engine direct (µs) | MQL prepared (µs) | overhead | MQL db.query (µs) | overhead |', '|---|---|---|---|---|---|');
    out.push(`| RECALL id | ${best.idDirect.toFixed(1)} | ${best.idPrep.toFixed(1)} | ${pct(best.idPrep, best.idDirect)} | ${best.idQuery.toFixed(1)} | ${pct(best.idQuery, best.idDirect)} |`);
    out.push(`| vector RECALL LIMIT 10 | ${best.vDirect.toFixed(1)} | ${best.vPrep.toFixed(1)} | ${pct(best.vPrep, best.vDirect)} | ${best.vQuery.toFixed(1)} | ${pct(best.vQuery, best.vDirect)} |`);
    out.push('', 'Direct = the same work without MQL (snapshot, get or searchVectors with k = 36, for the vector RECALL the context spread from the 3 most similar hits over 2 hops, decayParts + recallScore, sort, release). Target: prepared overhead < 5 %.');
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out.join('\n') + '\n';
}
