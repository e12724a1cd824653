/**
 * Query-layer benchmark (issue #5, architecture.md "query"): (1) parse time and plan time of
 * typical statements (parse = `parse()`; plan = a prepared `EXPLAIN` run (parsed once), which plans and
 * renders without executing); (2) overhead of MQL over calling the engine directly for `RECALL * WHERE id = $id` (the id form for an id held in a parameter)
 * and a vector RECALL (LIMIT 10, NO REINFORCE), with prepared statements and with db.query (whose
 * statement cache parses a repeated text once). The direct path does the same work the plan does:
 * snapshot, get / searchVectorRows (same k = 2·LIMIT + 16 = 36; hits as segment rows, each hit's
 * decay state read alone), for the vector RECALL the context spread (3 seeds, 2 hops), decayParts
 * + recallScore per hit, sort, and the records of the 10 returned (the engine's answer; "direct +
 * rows" reads only the fields a row shows, as MQL does), release. Target: prepared
 * overhead < 5 %. Alternating best-of-9 passes, and paired per-input timings (pairedTimes). N = 20 000 memories (dim 64, one flushed segment
 * with its HNSW graph); MNEMO_BENCH_QUICK=1: N = 4 000.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isoTime, open, parse } from '@mnemo/query';
import { decayParts, recallScore, searchVectorRows, spread } from '@mnemo/engine';

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

const ROUND = (x) => Math.round(x * 1e6) / 1e6;

/**
 * The result row MQL returns for a memory (language.md §3, docs/mql_reference.md "Scores"),
 * written with the engine's API and MQL's time formatter (`isoTime`, so that formatting costs both
 * paths the same): what a program calling the engine directly would build to hand out the same
 * rows. The bench checks that these rows equal MQL's before it times them.
 */
function resultRow(rec, d, parts, similarity) {
  return {
    id: rec.id, content: rec.content, kind: rec.kind, score: ROUND(parts.score), activation: ROUND(parts.activation),
    retention: ROUND(d.retention), confidence: [ROUND(rec.confidence.lo), ROUND(rec.confidence.hi)],
    created: isoTime(rec.created), last_access: d.exists ? isoTime(T0 - d.sinceLastMs) : null,
    access_count: d.presentations, similarity: similarity === null ? null : ROUND(similarity), meta: rec.meta ?? null,
  };
}

const COLUMNS = ['id', 'content', 'kind', 'score', 'activation', 'retention', 'confidence', 'created', 'last_access', 'access_count', 'similarity', 'meta'];

/** The rows as a result object behind a promise, as db.query / st.run hand them out. */
function resultOf(rows, t0) {
  return Promise.resolve({ columns: COLUMNS.slice(), rows, stats: { rows: rows.length, elapsedMs: performance.now() - t0 } });
}

/** RECALL id through the engine; `rows`: also build the result MQL returns (rows, result, promise). */
function directRecallId(db, space, id, rows = false) {
  const t0 = rows ? performance.now() : 0;
  const snap = db.store.snapshot();
  try {
    const rec = snap.get('b', id);
    const d = decayParts(rec.decay, T0, space.decay);
    const parts = recallScore({ similarity: 1, baseLevel: d.baseLevel, model: space.decay });
    return rows ? resultOf([resultRow(rec, d, parts, null)], t0) : parts.score;
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

/**
 * The fields a result row shows of a search hit, read column by column at its segment row (or the
 * memtable's record): what MQL reads, never the embedding (`searchVectorRows` reads no record).
 */
function hitFields(snap, h) {
  if (h.view === null) return snap.get('b', h.id);
  const r = h.view.reader;
  return { id: h.id, content: r.content(h.row), kind: r.kind(h.row), confidence: r.confidence(h.row), created: r.created(h.row), meta: r.meta(h.row) };
}

/** The vector RECALL through the engine; `rows`: also build the result MQL returns. */
function directVector(db, space, q, rows = false) {
  const t0 = rows ? performance.now() : 0;
  const snap = db.store.snapshot();
  try {
    // the hits' rows, no records read: ranking needs only each hit's decay state
    const hits = searchVectorRows(snap, space, q, { k: 36 }, db.cache);
    // RECALL's context: spreading activation from the 3 most similar hits, 2 hops
    const seeds = [...hits].sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1)).slice(0, 3).map((h) => h.id);
    const reached = new Map(spread(snapshotGraph(snap, 'b'), seeds, { maxHops: 2 }).map((r) => [r.id, r.activation]));
    const scored = hits.map((h) => {
      const state = h.view !== null ? h.view.decay(h.row, h.id) : snap.get('b', h.id).decay;
      const d = decayParts(state, T0, space.decay);
      const sp = reached.get(h.id) ?? 0;
      const parts = recallScore({ similarity: h.similarity, baseLevel: d.baseLevel, spread: sp, model: space.decay });
      return { id: h.id, s: parts.score, h, d, parts };
    });
    scored.sort((a, b) => b.s - a.s || (a.id < b.id ? -1 : 1));
    const top = scored.slice(0, 10);
    if (rows) return resultOf(top.map((x) => resultRow(hitFields(snap, x.h), x.d, x.parts, x.h.similarity)), t0);
    // the engine's own answer: the 10 memories' records (as searchVectors would give them)
    return top.map((x) => ({ ...x, record: x.h.view !== null ? x.h.view.record(x.h.row, x.h.id) : snap.get('b', x.h.id) }));
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

/** Mean of the middle 90 % (5 % trimmed at each end): robust to the shared machine's outliers. */
function trimmedMean(xs) {
  const s = Float64Array.from(xs).sort();
  const cut = Math.floor(s.length * 0.05);
  let t = 0;
  for (let i = cut; i < s.length - cut; i++) t += s[i];
  return t / (s.length - 2 * cut);
}

/**
 * Paired timing: `rounds` times, each of `fns` runs the same input back to back (the order
 * rotates, so none always finds the caches warm), timed over `batch` statements. Returns each
 * one's trimmed mean (µs per statement) and the trimmed mean of its per-round difference to the
 * first: the machine's slow spells hit every member of a round, so the differences are steadier
 * than best-of-passes figures.
 */
async function pairedTimes(fns, rounds, batch) {
  const t = fns.map(() => new Float64Array(rounds));
  for (let i = 0; i < rounds; i++) {
    for (let j0 = 0; j0 < fns.length; j0++) {
      const j = (i + j0) % fns.length;
      const t0 = process.hrtime.bigint();
      for (let b = 0; b < batch; b++) {
        const r = fns[j](i * batch + b);
        if (r instanceof Promise) await r;
      }
      t[j][i] = Number(process.hrtime.bigint() - t0) / 1000 / batch;
    }
  }
  return t.map((x) => ({
    mean: trimmedMean(x),
    /** Trimmed mean of the per-round difference to fns[k] (µs). */
    over: (k) => trimmedMean(x.map((v, i) => v - t[k][i])),
  }));
}

/** Throws unless the direct path's rows are MQL's rows (so the floor times the same output). */
async function checkSameRows(direct, mql, what) {
  for (let i = 0; i < 64; i++) {
    const a = JSON.stringify((await direct(i)).rows);
    const b = JSON.stringify((await mql(i)).rows);
    if (a !== b) throw new Error(`${what}: the direct rows differ from MQL's for input ${i}:\n${a}\n${b}`);
  }
}

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
    const rounds = quick ? 400 : 3000;
    const idRows = (i) => directRecallId(db, space, ids[i & 63], true);
    const idMql = (i) => idSt.run({ id: ids[i & 63] });
    const vRows = (i) => directVector(db, space, qs[i & 63], true);
    const vMql = (i) => vSt.run({ v: qs[i & 63] });
    await checkSameRows(idRows, idMql, 'RECALL id');
    await checkSameRows(vRows, vMql, 'vector RECALL');
    const idPaired = await pairedTimes([(i) => directRecallId(db, space, ids[i & 63]), idRows, idMql], rounds, 50);
    const vPaired = await pairedTimes([(i) => directVector(db, space, qs[i & 63]), vRows, vMql], rounds, 1);
    const pct = (a, b) => `${(((a - b) / b) * 100).toFixed(1)} %`;
    out.push('### MQL query layer (query.bench.mjs)', '');
    out.push(`N = ${n} memories created a minute apart, dim ${DIM}, one flushed segment with HNSW (M 16, efSearch 64), durability off; parse/plan: ${iters} iterations per pass, best of 5; direct vs MQL: ${idIters} iterations per pass for RECALL id, ${iters / 2} for the vector RECALL, best of ${PASSES} alternating passes; times in µs per statement (wall clock). Load average before the run: ${loadBefore}.`, '');
    out.push('| statement | parse (µs) | plan + render via prepared EXPLAIN, no re-parse (µs) |', '|---|---|---|', ...parseRows, '');
    out.push('| operation | engine direct (µs) | MQL prepared (µs) | overhead | MQL db.query (µs) | overhead |', '|---|---|---|---|---|---|');
    out.push(`| RECALL id | ${best.idDirect.toFixed(1)} | ${best.idPrep.toFixed(1)} | ${pct(best.idPrep, best.idDirect)} | ${best.idQuery.toFixed(1)} | ${pct(best.idQuery, best.idDirect)} |`);
    out.push(`| vector RECALL LIMIT 10 | ${best.vDirect.toFixed(1)} | ${best.vPrep.toFixed(1)} | ${pct(best.vPrep, best.vDirect)} | ${best.vQuery.toFixed(1)} | ${pct(best.vQuery, best.vDirect)} |`);
    // overhead of p[k] over p[base], relative to p[base]
    const pc = (p, k, base) => `${((p[k].over(base) / p[base].mean) * 100).toFixed(1)} %`;
    out.push('', `Paired (${rounds} rounds; in each the three run the same input back to back, in rotating order; RECALL id timed in batches of 50; trimmed means, 5 % cut at each end; an overhead is the trimmed mean of the per-round difference, relative to the baseline's mean). "Direct + rows" is the direct path that also builds the rows MQL returns — the same 12 columns, checked equal to MQL's before timing, times through \`isoTime\` (MQL's formatter, exported by @mnemo/query; \`Date#toISOString\` costs several times more here) — and hands them out as a result object behind a promise: what a program calling the engine directly does to produce RECALL's result.`, '');
    out.push('| operation | engine direct (µs) | direct + rows (µs) | over direct | MQL prepared (µs) | over direct | over direct + rows |', '|---|---|---|---|---|---|---|');
    out.push(`| RECALL id | ${idPaired[0].mean.toFixed(2)} | ${idPaired[1].mean.toFixed(2)} | ${pc(idPaired, 1, 0)} | ${idPaired[2].mean.toFixed(2)} | ${pc(idPaired, 2, 0)} | ${pc(idPaired, 2, 1)} |`);
    out.push(`| vector RECALL LIMIT 10 | ${vPaired[0].mean.toFixed(1)} | ${vPaired[1].mean.toFixed(1)} | ${pc(vPaired, 1, 0)} | ${vPaired[2].mean.toFixed(1)} | ${pc(vPaired, 2, 0)} | ${pc(vPaired, 2, 1)} |`);
    out.push('', 'Direct = the same work without MQL, answered with the engine’s records (snapshot, get, or searchVectorRows with k = 36, each hit’s decay state read alone, the context spread from the 3 most similar hits over 2 hops, decayParts + recallScore, sort, the 10 returned memories’ records; release). Direct + rows reads only the fields a row shows, column by column, as MQL does. Target: prepared overhead < 5 %.');
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out.join('\n') + '\n';
}
