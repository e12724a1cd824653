/**
 * SPREAD benchmark (testing.md "SPREAD"; docs/graph.md). A random association graph of N memories
 * and ~10·N associations (out-degree 5..15, weights in (0.05, 1], seeded) is built in a Mnemo store
 * (durability 'off', flushed into segments) and the same edges in better-sqlite3 (WITHOUT ROWID
 * table edges(src, dst, weight) keyed (src, dst), plus nodes(id, ff) with the fan factor). SPREAD
 * 3 hops, decay 0.5, threshold 0.01 from seeded random sources: Mnemo `spreadAssociations` over
 * `associationGraph` (and the cognitive `spread` over the naive snapshot adapter, for reference)
 * against the same rule as a recursive CTE in SQLite, alternating query by query. Results are
 * checked to agree (same nodes, activations within 1e-9 relative). Full: N = 1,000,000; quick: 100,000.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { associationGraph, openStore, spread, spreadAssociations, seededRandom as rng } from '@mnemo/engine';
import { nativeInfo, spreadKernel } from '@mnemo/native';

const SPACE = 'g';
const HOPS = 3;
const DECAY = 0.5;
const THRESHOLD = 0.01;
const STRENGTH = 5;
const BUDGET = { maxNodes: 1e9, maxMs: 1e9 };
/** Warm-up queries per engine before each measured case. */
const WARMUP = 200;
const OPTS = { maxHops: HOPS, decay: DECAY, threshold: THRESHOLD, strength: STRENGTH, budget: BUDGET };

/** Out-edges of node i (deterministic per i): 5..15 distinct targets, weights in (0.05, 1]. */
function edgesOf(i, n) {
  const r = rng(i * 2654435761 + 17);
  const deg = 5 + Math.floor(r() * 11);
  const seen = new Set();
  const out = [];
  while (out.length < deg) {
    const t = Math.floor(r() * n);
    if (t === i || seen.has(t)) continue;
    seen.add(t);
    out.push([t, 0.05 + 0.95 * r()]);
  }
  return out;
}

const id = (i) => `m${i}`;
const ms = (ns) => ns / 1e6;
const mib = (b) => (b / 2 ** 20).toFixed(0);
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' / ');
function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function buildMnemo(dir, n) {
  const t0 = process.hrtime.bigint();
  // segmentThread: false — merges inline, so a long run never mixes worker code from a rebuilt dist.
  const store = await openStore(dir, { durability: 'off', compaction: { auto: false }, segmentThread: false, clock: () => 1_700_000_000_000 });
  await store.createSpace({ name: SPACE, dim: 4 });
  const emb = new Float32Array([1, 0, 0, 0]);
  for (let s = 0; s < n; s += 10_000) {
    const ops = [];
    for (let i = s; i < Math.min(n, s + 10_000); i++) {
      ops.push({ op: 'remember', record: { id: id(i), space: SPACE, content: '', embedding: emb, kind: 'episodic', created: 1, confidence: { lo: 1, hi: 1 }, meta: null } });
    }
    await store.write(ops);
  }
  await store.flush();
  let edges = 0;
  let ops = [];
  for (let i = 0; i < n; i++) {
    for (const [t, w] of edgesOf(i, n)) {
      ops.push({ op: 'associate', space: SPACE, assoc: { from: id(i), to: id(t), kind: 'assoc', weight: w, confidence: { lo: 1, hi: 1 }, created: 1 } });
      edges++;
    }
    if (ops.length >= 10_000) {
      await store.write(ops);
      ops = [];
    }
  }
  if (ops.length > 0) await store.write(ops);
  await store.flush();
  const buildNs = Number(process.hrtime.bigint() - t0);
  return { store, edges, buildNs };
}

function buildSqlite(file, n) {
  const t0 = process.hrtime.bigint();
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.exec('CREATE TABLE edges (src INTEGER NOT NULL, dst INTEGER NOT NULL, weight REAL NOT NULL, PRIMARY KEY (src, dst)) WITHOUT ROWID');
  db.exec('CREATE TABLE nodes (id INTEGER PRIMARY KEY, fan INTEGER NOT NULL, ff REAL)');
  const ins = db.prepare('INSERT INTO edges VALUES (?, ?, ?)');
  const node = db.prepare('INSERT INTO nodes (id, fan) VALUES (?, ?)');
  const tx = db.transaction((s, e) => {
    for (let i = s; i < e; i++) {
      const out = edgesOf(i, n).sort((a, b) => a[0] - b[0]);
      for (const [t, w] of out) ins.run(i, t, w);
      node.run(i, out.length);
    }
  });
  for (let s = 0; s < n; s += 10_000) tx(s, Math.min(n, s + 10_000));
  // Fan factor max(0, S − ln fan)/S clamped to [0, 1], computed by SQLite's own ln().
  db.prepare('UPDATE nodes SET ff = max(0.0, min(1.0, (? - ln(max(fan, 1))) / ?))').run(STRENGTH, STRENGTH);
  db.exec('ANALYZE');
  return { db, buildNs: Number(process.hrtime.bigint() - t0) };
}

/**
 * The SPREAD rule as a recursive CTE: every walk of ≤ HOPS hops whose activation stays ≥ the
 * threshold (activation × decay × fan factor × clamped weight per hop; walks back into their own
 * source are cut), the best walk per (source, node), summed over sources; sources excluded.
 */
const SPREAD_SQL = `
WITH RECURSIVE walk(src, node, act, depth) AS (
  SELECT value, value, 1.0, 0 FROM json_each(:sources)
  UNION ALL
  SELECT w.src, e.dst, w.act * :decay * n.ff * max(0.0, min(1.0, e.weight)), w.depth + 1
  FROM walk w JOIN nodes n ON n.id = w.node JOIN edges e ON e.src = w.node
  WHERE w.depth < :hops AND w.act * :decay * n.ff >= :thr
    AND w.act * :decay * n.ff * max(0.0, min(1.0, e.weight)) >= :thr
    AND w.act * :decay * n.ff * max(0.0, min(1.0, e.weight)) > 0 AND e.dst <> w.src
),
best AS (SELECT src, node, max(act) AS act FROM walk WHERE depth > 0 GROUP BY src, node)
SELECT node, sum(act) AS act FROM best
WHERE node NOT IN (SELECT value FROM json_each(:sources))
GROUP BY node HAVING sum(act) >= :thr ORDER BY act DESC, node`;

function agree(mRows, sRows) {
  if (mRows.length !== sRows.length) return false;
  const want = new Map(sRows.map((r) => [id(r.node), r.act]));
  for (const r of mRows) {
    const s = want.get(r.id);
    if (s === undefined || Math.abs(s - r.activation) > 1e-9 * Math.max(1e-12, Math.abs(s))) return false;
  }
  return true;
}

/** Alternates Mnemo and SQLite query by query; returns per-engine latencies, CPU, agreement. */
/** Runs f once: its value, wall-clock ms and process CPU µs. */
function timed(f) {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  const value = f();
  const lat = ms(Number(process.hrtime.bigint() - t));
  const cpu = process.cpuUsage(c);
  return { value, lat, cpu: cpu.user + cpu.system };
}

/**
 * Mnemo against SQLite on the same source sets: query by query, alternating (the headline
 * protocol: each query starts with the other engine's footprint in the caches), or, with
 * `blocks`, every Mnemo query and then every SQLite query (each engine with warm caches).
 */
function compare(g, stmt, sourceSets, n, blocks = false) {
  const mnemo = (sources) => () => spreadAssociations(g, sources.map(id), OPTS);
  const sqlite = (sources) => () => stmt.all({ sources: JSON.stringify(sources), decay: DECAY, hops: HOPS, thr: THRESHOLD });
  // Warm-up (JIT tiers, statement cache, the kernel's one-time graph copy) on other sources, not
  // measured; then a full GC so that neither engine pays for the garbage of the setup.
  for (let k = 0; k < WARMUP; k++) {
    const shifted = (sourceSets[k % sourceSets.length] ?? []).map((x) => (x * 31 + 7 + k) % n);
    mnemo(shifted)();
    sqlite(shifted)();
  }
  globalThis.gc?.();
  let m;
  let q;
  if (blocks) {
    m = sourceSets.map((sources) => timed(mnemo(sources)));
    q = sourceSets.map((sources) => timed(sqlite(sources)));
  } else {
    m = [];
    q = [];
    for (const sources of sourceSets) {
      m.push(timed(mnemo(sources)));
      q.push(timed(sqlite(sources)));
    }
  }
  const sum = (xs) => xs.reduce((a, x) => a + x.cpu, 0) / 1000 / sourceSets.length;
  return {
    mLat: m.map((x) => x.lat).sort((a, b) => a - b),
    sLat: q.map((x) => x.lat).sort((a, b) => a - b),
    mCpu: sum(m),
    sCpu: sum(q),
    agreeN: m.filter((x, i) => agree(x.value, q[i]?.value ?? [])).length,
    rows: m.reduce((a, x) => a + x.value.length, 0) / sourceSets.length,
  };
}

function naiveAdapter(snap) {
  return {
    neighbors: (x) => snap.associationsFrom(SPACE, x).map((a) => ({ to: a.to, weight: a.weight })),
    fan: (x) => snap.associationsFrom(SPACE, x).length,
  };
}

function timeNaive(snap, sourceSets) {
  const lat = [];
  const ref = naiveAdapter(snap);
  for (const sources of sourceSets) {
    const t = process.hrtime.bigint();
    spread(ref, sources.map(id), OPTS);
    lat.push(ms(Number(process.hrtime.bigint() - t)));
  }
  return lat.sort((a, b) => a - b);
}

function row(label, r, extra = '') {
  const med = pct(r.mLat, 0.5);
  const sMed = pct(r.sLat, 0.5);
  return `| ${label} | ${med.toFixed(3)} | ${pct(r.mLat, 0.95).toFixed(3)} | ${sMed.toFixed(3)} | ${pct(r.sLat, 0.95).toFixed(3)} | **${(sMed / med).toFixed(1)}×** | ${r.mCpu.toFixed(3)} / ${r.sCpu.toFixed(3)} (${(r.sCpu / r.mCpu).toFixed(1)}×) | ${r.rows.toFixed(0)} | ${extra} |`;
}

/** Which SPREAD kernel the engine gets (the active backend, as spreadAssociations uses it). */
function kernelBackend() {
  const empty = { off: Uint32Array.of(0), target: new Int32Array(0), weight: new Float64Array(0), created: new Float64Array(0), rank: null };
  return spreadKernel(empty).backend === 'native' ? 'C++' : 'TypeScript';
}

export async function run({ quick }) {
  const n = quick ? 100_000 : 1_000_000;
  const queries = 300;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnemo-spread-bench-'));
  const r = rng(42);
  const single = Array.from({ length: queries }, () => [Math.floor(r() * n)]);
  const multi = Array.from({ length: queries }, () => Array.from({ length: 5 }, () => Math.floor(r() * n)));
  const rss0 = process.memoryUsage().rss;
  try {
    process.stderr.write(`spread: building Mnemo store (${n} memories)...\n`);
    const { store, edges, buildNs } = await buildMnemo(path.join(tmp, 'mnemo'), n);
    const segsBefore = store.stats().spaces.find((s) => s.name === SPACE)?.segments ?? 0;
    const rssMnemo = process.memoryUsage().rss;
    process.stderr.write(`spread: building SQLite (${edges} edges)...\n`);
    const { db, buildNs: sqliteNs } = buildSqlite(path.join(tmp, 'edges.sqlite'), n);
    const stmt = db.prepare(SPREAD_SQL);
    const rssSqlite = process.memoryUsage().rss;

    // Stack as flushed (several segments): graph build, then queries.
    let snap = store.snapshot();
    let t = process.hrtime.bigint();
    let g = associationGraph(snap, SPACE);
    const graphMultiNs = Number(process.hrtime.bigint() - t);
    const rssGraph = process.memoryUsage().rss;
    process.stderr.write(`spread: querying ${segsBefore}-segment stack...\n`);
    const stackSingle = compare(g, stmt, single, n);
    const naiveLat = timeNaive(snap, single.slice(0, 20));
    snap.release();

    // Compacted into one segment.
    t = process.hrtime.bigint();
    await store.compact(SPACE);
    const compactNs = Number(process.hrtime.bigint() - t);
    snap = store.snapshot();
    t = process.hrtime.bigint();
    g = associationGraph(snap, SPACE);
    const graphOneNs = Number(process.hrtime.bigint() - t);
    t = process.hrtime.bigint();
    associationGraph(snap, SPACE);
    const graphCachedNs = Number(process.hrtime.bigint() - t);
    process.stderr.write('spread: querying the compacted segment...\n');
    const oneSingle = compare(g, stmt, single, n);
    const oneMulti = compare(g, stmt, multi, n);
    const oneBlocks = compare(g, stmt, single, n, true);
    const rssEnd = process.memoryUsage().rss;
    snap.release();
    await store.close();
    db.close();

    const ratio = pct(oneSingle.sLat, 0.5) / pct(oneSingle.mLat, 0.5);
    return [
      `### SPREAD: Mnemo association graph vs SQLite recursive CTE`,
      '',
      `Graph: ${n.toLocaleString('en-US')} memories, ${edges.toLocaleString('en-US')} associations (out-degree 5..15, weights in (0.05, 1], seeded).`,
      `SPREAD ${HOPS} hops, decay ${DECAY}, threshold ${THRESHOLD}, fan strength S = ${STRENGTH}; ${queries} seeded random sources (single), ${queries} sets of 5 sources (multi).`,
      `Mnemo: \`spreadAssociations(associationGraph(snapshot, space), sources, opts)\`. SQLite: the same rule as one recursive CTE (walks ≤ ${HOPS} hops pruned by the threshold, max per (source, node), sum over sources) on \`edges(src, dst, weight) PRIMARY KEY (src, dst) WITHOUT ROWID\` + \`nodes(id, fan, ff)\` with the fan factor precomputed by SQLite's \`ln()\`; integer ids in SQLite, string ids in Mnemo. Queries alternate engine by engine, after ${WARMUP} warm-up queries per engine (other sources) and a full GC per case.`,
      `SPREAD kernel backend: ${kernelBackend()} (@mnemo/native ${nativeInfo().backend}; MNEMO_NATIVE=0 selects the TypeScript twin).`,
      `Load average (1/5/15 min) at the end: ${load()} on ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}); times are wall-clock per query; CPU is process CPU per query (all threads, so GC helper threads count against both engines).`,
      '',
      '| build | time |',
      '|---|---|',
      `| Mnemo store: ${n.toLocaleString('en-US')} REMEMBER + ${edges.toLocaleString('en-US')} ASSOCIATE (durability off) + flush → ${segsBefore} segments | ${(ms(buildNs) / 1000).toFixed(1)} s |`,
      `| Mnemo associationGraph, ${segsBefore}-segment stack (dense views + resolve) | ${(ms(graphMultiNs) / 1000).toFixed(2)} s |`,
      `| Mnemo compaction to one segment | ${(ms(compactNs) / 1000).toFixed(1)} s |`,
      `| Mnemo associationGraph, one segment (first / cached) | ${(ms(graphOneNs) / 1000).toFixed(2)} s / ${ms(graphCachedNs).toFixed(3)} ms |`,
      `| SQLite: insert edges + nodes, fan factor, ANALYZE | ${(ms(sqliteNs) / 1000).toFixed(1)} s |`,
      '',
      '| case | Mnemo median ms | Mnemo p95 ms | SQLite median ms | SQLite p95 ms | median ratio | CPU ms/query Mnemo / SQLite | rows/query | results agree |',
      '|---|---|---|---|---|---|---|---|---|',
      row(`single source, ${segsBefore}-segment stack`, stackSingle, `${stackSingle.agreeN}/${queries}`),
      row('single source, one segment', oneSingle, `${oneSingle.agreeN}/${queries}`),
      row('5 sources, one segment', oneMulti, `${oneMulti.agreeN}/${queries}`),
      row('single source, one segment, engines in blocks (warm caches, not alternating)', oneBlocks, `${oneBlocks.agreeN}/${queries}`),
      '',
      `Reference: the cognitive \`spread\` over the naive snapshot adapter (\`snapshot.associationsFrom\` per node, what the query layer used first), ${segsBefore}-segment stack, 20 sources: median ${pct(naiveLat, 0.5).toFixed(2)} ms, p95 ${pct(naiveLat, 0.95).toFixed(2)} ms.`,
      '',
      `Memory (RSS): start ${mib(rss0)} MiB → Mnemo store built ${mib(rssMnemo)} MiB → SQLite built ${mib(rssSqlite)} MiB → graph built ${mib(rssGraph)} MiB → end ${mib(rssEnd)} MiB (one process; SQLite page cache up to 256 MiB).`,
      '',
      `Result: single-source SPREAD median ${ratio.toFixed(1)}× faster than SQLite on the compacted store (target ≥ 10×).`,
      '',
    ].join('\n');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
