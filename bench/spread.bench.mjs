/**
 * SPREAD benchmark (testing.md "SPREAD"; docs/graph.md). A random association graph of N memories
 * and ~10·N associations (out-degree 5..15, weights in (0.05, 1], seeded) is built in a Mnemo store
 * (durability 'off', flushed into segments) and the same edges in better-sqlite3 (WITHOUT ROWID
 * table edges(src, dst, weight) keyed (src, dst), plus nodes(id, ff) with the fan factor). SPREAD
 * 3 hops, decay 0.5, threshold 0.01 from seeded random sources: Mnemo `spreadAssociations` over
 * `associationGraph` (and the cognitive `spread` over the naive snapshot adapter, for reference)
 * against the same rule as a recursive CTE in SQLite, alternating query by query, twice: in the
 * process that built both databases, and (the headline) in a fresh process that only opens them
 * (bench/spread-query-child.mjs, which also holds the shared query code). Results are checked to
 * agree (same nodes, activations within 1e-9 relative). Full: N = 1,000,000; quick: 100,000.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { associationGraph, openStore, spread, seededRandom as rng } from '@mnemo/engine';
import { nativeInfo } from '@mnemo/native';
import {
  DECAY, HOPS, OPTS, SPACE, SPREAD_MQL, SPREAD_SQL, STRENGTH, THRESHOLD, WARMUP, SETTLE_MS,
  compare, id, kernelBackend, load, ms, pct, sourceSets, sqlitePragmas,
} from './spread-query-child.mjs';

const CHILD = fileURLToPath(new URL('./spread-query-child.mjs', import.meta.url));
/** Seed of the source sets (both processes regenerate them from it). */
const SOURCE_SEED = 42;

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

const mib = (b) => (b / 2 ** 20).toFixed(0);

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
  sqlitePragmas(db);
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

/**
 * Runs the compacted-store cases in a fresh node process (bench/spread-query-child.mjs) on the
 * closed store and SQLite file; resolves to its JSON report. The child gets --expose-gc (its
 * per-case GC) and this process's heap limit, and inherits the environment (MNEMO_NATIVE).
 */
function queryInFreshProcess(args) {
  const flags = ['--expose-gc', ...process.execArgv.filter((a) => a.startsWith('--max-old-space-size'))];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, CHILD, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`spread-query-child exited with code ${code}, signal ${signal}`));
      const text = Buffer.concat(out).toString('utf8');
      try {
        resolve({ ...JSON.parse(text), flags });
      } catch (e) {
        reject(new Error(`spread-query-child printed no JSON document (${e instanceof Error ? e.message : String(e)}): ${text.slice(0, 200)}`));
      }
    });
  });
}

function row(protocol, label, r, queries) {
  const med = pct(r.mLat, 0.5);
  const sMed = pct(r.sLat, 0.5);
  return `| ${protocol} | ${label} | ${med.toFixed(3)} | ${pct(r.mLat, 0.95).toFixed(3)} | ${sMed.toFixed(3)} | ${pct(r.sLat, 0.95).toFixed(3)} | **${(sMed / med).toFixed(1)}×** | ${r.mCpu.toFixed(3)} / ${r.sCpu.toFixed(3)} (${(r.sCpu / r.mCpu).toFixed(1)}×) | ${r.rows.toFixed(0)} | ${r.agreeN}/${queries} |`;
}

export async function run({ quick }) {
  const n = quick ? 100_000 : 1_000_000;
  const queries = 300;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnemo-spread-bench-'));
  const { single, multi } = sourceSets(n, queries, SOURCE_SEED);
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
    const loadBuilt = load();
    snap.release();
    await store.close();
    db.close();
    // Drop this process's graphs before the child builds its own (memory, not timing: this process
    // is idle while the child measures).
    snap = g = null;
    globalThis.gc?.();

    process.stderr.write('spread: querying in a fresh process...\n');
    const fresh = await queryInFreshProcess({ dir: path.join(tmp, 'mnemo'), sqlite: path.join(tmp, 'edges.sqlite'), n, queries, seed: SOURCE_SEED });
    if (fresh.kernel !== kernelBackend()) throw new Error(`the fresh process got the ${fresh.kernel} SPREAD kernel, this one ${kernelBackend()}`);

    return report({
      n, queries, edges, segsBefore, buildNs, graphMultiNs, compactNs, graphOneNs, graphCachedNs, sqliteNs, naiveLat,
      stackSingle, oneSingle, oneMulti, oneBlocks, loadBuilt, rss: [rss0, rssMnemo, rssSqlite, rssGraph, rssEnd], fresh,
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const median = (r) => pct(r.mLat, 0.5);
const ratioOf = (r) => pct(r.sLat, 0.5) / median(r);

/** The two protocols, as the markdown states them (both run the same cases on the same files). */
function protocols(m) {
  const f = m.fresh;
  return [
    `**Fresh process (headline).** After everything below, the building process closes the store and SQLite and starts \`node ${f.flags.join(' ')} bench/spread-query-child.mjs\` (pid ${f.pid}), which opens the compacted store read-only (\`openStore(dir, { readOnly: true })\`: shared lock, nothing written, no compaction or GC of files can run during the measurement) and the SQLite file read-only with the same pragmas (\`journal_mode\` stays \`delete\` on a read-only connection, which writes nothing; \`cache_size\` 256 MiB), builds \`associationGraph\` once, fills SQLite's page cache with one full scan of each table (the building process's connection holds the pages it wrote; SQLite's counterpart of the graph build), then runs the compacted-store cases exactly as the building process does: the same sources, ${WARMUP} warm-up queries per engine on other sources and a full GC per case followed by a ${SETTLE_MS} ms pause (the collector's helper threads finish sweeping before the first engine is timed), alternating (or in blocks), every query's rows compared. This is what an application sees: it opens a database and queries it. Its heap holds only the store and the graph.`,
    `**In the building process (for comparison with earlier runs).** The same cases in the process that just wrote ${m.n.toLocaleString('en-US')} memories and ${m.edges.toLocaleString('en-US')} associations into both databases, built and queried the ${m.segsBefore}-segment graph and compacted: its heap still holds the build's garbage, so V8's collector (helper threads included: CPU per query can exceed wall time) runs during Mnemo's queries; SQLite's C heap is not affected the same way. The ${m.segsBefore}-segment stack is measured only here (the child opens the store after compaction).`,
    `Load average (1/5/15 min) on ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}): fresh process start ${load(f.loadStart)}, end ${load(f.loadEnd)}; building process at the end of its queries ${m.loadBuilt}. Times are wall-clock per query; CPU is process CPU per query (all threads of that process, so GC helper threads count against both engines).`,
  ];
}

function buildRows(m) {
  const f = m.fresh;
  const n = m.n.toLocaleString('en-US');
  return [
    `| Mnemo store: ${n} REMEMBER + ${m.edges.toLocaleString('en-US')} ASSOCIATE (durability off) + flush → ${m.segsBefore} segments | ${(ms(m.buildNs) / 1000).toFixed(1)} s |`,
    `| Mnemo associationGraph, ${m.segsBefore}-segment stack (dense views + resolve) | ${(ms(m.graphMultiNs) / 1000).toFixed(2)} s |`,
    `| Mnemo compaction to one segment | ${(ms(m.compactNs) / 1000).toFixed(1)} s |`,
    `| Mnemo associationGraph, one segment (first / cached), building process | ${(ms(m.graphOneNs) / 1000).toFixed(2)} s / ${ms(m.graphCachedNs).toFixed(3)} ms |`,
    `| SQLite: insert edges + nodes, fan factor, ANALYZE | ${(ms(m.sqliteNs) / 1000).toFixed(1)} s |`,
    `| fresh process: Mnemo openStore read-only (${f.segments} segment${f.segments === 1 ? '' : 's'}) | ${f.openMs.toFixed(1)} ms |`,
    `| fresh process: Mnemo associationGraph (first / cached) | ${(f.graphMs / 1000).toFixed(2)} s / ${f.graphCachedMs.toFixed(3)} ms |`,
    `| fresh process: SQLite open read-only + pragmas + one scan of edges and nodes | ${f.sqliteOpenMs.toFixed(1)} ms |`,
  ];
}

function report(m) {
  const f = m.fresh;
  const fr = '**fresh process**';
  const bp = 'building process';
  const c = f.cases;
  const [rss0, rssMnemo, rssSqlite, rssGraph, rssEnd] = m.rss;
  return [
    `### SPREAD: Mnemo association graph vs SQLite recursive CTE`,
    '',
    `Graph: ${m.n.toLocaleString('en-US')} memories, ${m.edges.toLocaleString('en-US')} associations (out-degree 5..15, weights in (0.05, 1], seeded).`,
    `SPREAD ${HOPS} hops, decay ${DECAY}, threshold ${THRESHOLD}, fan strength S = ${STRENGTH}; ${m.queries} seeded random sources (single), ${m.queries} sets of 5 sources (multi).`,
    `Mnemo: \`spreadAssociations(associationGraph(snapshot, space), sources, opts)\`. SQLite: the same rule as one recursive CTE (walks ≤ ${HOPS} hops pruned by the threshold, max per (source, node), sum over sources) on \`edges(src, dst, weight) PRIMARY KEY (src, dst) WITHOUT ROWID\` + \`nodes(id, fan, ff)\` with the fan factor precomputed by SQLite's \`ln()\`; integer ids in SQLite, string ids in Mnemo. Queries alternate engine by engine, after ${WARMUP} warm-up queries per engine (other sources) and a full GC per case, then a ${SETTLE_MS} ms pause while the collector's helper threads finish.`,
    `SPREAD kernel backend: ${kernelBackend()} in both processes (@mnemo/native ${nativeInfo().backend}; MNEMO_NATIVE=0 selects the TypeScript twin).`,
    '',
    ...protocols(m).flatMap((p) => [p, '']),
    '| build | time |',
    '|---|---|',
    ...buildRows(m),
    '',
    '| protocol | case | Mnemo median ms | Mnemo p95 ms | SQLite median ms | SQLite p95 ms | median ratio | CPU ms/query Mnemo / SQLite | rows/query | results agree |',
    '|---|---|---|---|---|---|---|---|---|---|',
    row(fr, 'single source, one segment', c.single, m.queries),
    row(bp, 'single source, one segment', m.oneSingle, m.queries),
    row(fr, '5 sources, one segment', c.multi, m.queries),
    row(bp, '5 sources, one segment', m.oneMulti, m.queries),
    row(fr, 'single source, one segment, engines in blocks (warm caches, not alternating)', c.blocks, m.queries),
    row(bp, 'single source, one segment, engines in blocks (warm caches, not alternating)', m.oneBlocks, m.queries),
    row(bp, `single source, ${m.segsBefore}-segment stack`, m.stackSingle, m.queries),
    '',
    `Reference: the SPREAD statement through the query layer (\`db.prepare('${SPREAD_MQL}')\`, database opened read-only in the fresh process after its cases, ${WARMUP} warm-up statements, the same ${m.queries} single sources, not alternating), returning full result rows (content, retention, confidence, path; ${f.mql.rows.toFixed(0)} rows/statement by its own defaults): median ${pct(f.mql.lat, 0.5).toFixed(3)} ms, p95 ${pct(f.mql.lat, 0.95).toFixed(3)} ms.`,
    '',
    `Reference: the cognitive \`spread\` over the naive snapshot adapter (\`snapshot.associationsFrom\` per node, what the query layer used first), ${m.segsBefore}-segment stack, building process, 20 sources: median ${pct(m.naiveLat, 0.5).toFixed(2)} ms, p95 ${pct(m.naiveLat, 0.95).toFixed(2)} ms.`,
    '',
    `Memory (RSS): building process start ${mib(rss0)} MiB → Mnemo store built ${mib(rssMnemo)} MiB → SQLite built ${mib(rssSqlite)} MiB → graph built ${mib(rssGraph)} MiB → end ${mib(rssEnd)} MiB; fresh process start ${mib(f.rss.start)} MiB → store opened, graph built ${mib(f.rss.graph)} MiB → end ${mib(f.rss.end)} MiB (SQLite page cache up to 256 MiB in each). Read syscalls of the fresh process during its three cases: ${f.readSyscalls ?? 'not available'} for ${3 * (WARMUP + m.queries)} SQLite queries, warm-ups included (SQLite reads the file's change counter once per read transaction; anything beyond one per query is pages its cache did not hold).`,
    '',
    `Result: single-source SPREAD median ${ratioOf(c.single).toFixed(1)}× faster than SQLite on the compacted store in a fresh process (the headline; target ≥ 10×), ${ratioOf(m.oneSingle).toFixed(1)}× in the building process; Mnemo single-source median ${median(c.single).toFixed(3)} ms fresh vs ${median(m.oneSingle).toFixed(3)} ms in the building process.`,
    '',
  ].join('\n');
}
