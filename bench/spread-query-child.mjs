/**
 * SPREAD benchmark, the query side (testing.md "SPREAD"; docs/graph.md). Exports what
 * spread.bench.mjs and its fresh query process share: the SPREAD parameters, the SQLite pragmas and
 * recursive CTE, the seeded source sets, the alternating comparison with its agreement check, stats
 * helpers. Run as `node --expose-gc bench/spread-query-child.mjs '<json>'` (spread.bench.mjs does,
 * after its build), it opens the built store and SQLite file read-only in a process that built
 * nothing, runs the compacted-store cases and prints one JSON document on stdout. Last, for
 * reference, it times the SPREAD *statement* (MQL, prepared) over the same store: full result
 * rows, not the engine call the comparison with SQLite measures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { associationGraph, openStore, spreadAssociations, seededRandom as rng } from '@mnemo/engine';
import { nativeInfo, spreadKernel } from '@mnemo/native';
import { open } from '@mnemo/query';

export const SPACE = 'g';
export const HOPS = 3;
export const DECAY = 0.5;
export const THRESHOLD = 0.01;
export const STRENGTH = 5;
const BUDGET = { maxNodes: 1e9, maxMs: 1e9 };
/** Warm-up queries per engine before each measured case. */
export const WARMUP = 200;
export const OPTS = { maxHops: HOPS, decay: DECAY, threshold: THRESHOLD, strength: STRENGTH, budget: BUDGET };

export const id = (i) => `m${i}`;
export const ms = (ns) => ns / 1e6;
export const load = (avg = os.loadavg()) => avg.map((x) => x.toFixed(1)).join(' / ');
export function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** The connection settings of both processes (journal_mode stays 'delete' on a read-only connection: it writes nothing). */
export function sqlitePragmas(db) {
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
}

/** `queries` single sources, then `queries` sets of 5 sources, from one seeded generator. */
export function sourceSets(n, queries, seed) {
  const r = rng(seed);
  const single = Array.from({ length: queries }, () => [Math.floor(r() * n)]);
  const multi = Array.from({ length: queries }, () => Array.from({ length: 5 }, () => Math.floor(r() * n)));
  return { single, multi };
}

/**
 * The SPREAD rule as a recursive CTE: every walk of ≤ HOPS hops whose activation stays ≥ the
 * threshold (activation × decay × fan factor × clamped weight per hop; walks back into their own
 * source are cut), the best walk per (source, node), summed over sources; sources excluded.
 */
export const SPREAD_SQL = `
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

/** Milliseconds the main thread sleeps after the forced GC of each case (helper threads run). */
export const SETTLE_MS = 300;

/** Blocks the main thread for `ms` without spinning. */
function settle(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

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
 * Returns sorted per-query latencies (ms), mean CPU per query (ms), agreement count, rows/query.
 */
export function compare(g, stmt, sourceSets, n, blocks = false) {
  const mnemo = (sources) => () => spreadAssociations(g, sources.map(id), OPTS);
  const sqlite = (sources) => () => stmt.all({ sources: JSON.stringify(sources), decay: DECAY, hops: HOPS, thr: THRESHOLD });
  // Warm-up (JIT tiers, statement cache, the kernel's one-time graph copy) on other sources, not
  // measured; then a full GC so that neither engine pays for the garbage of the setup, and a pause
  // while the collector's helper threads finish sweeping what it freed: timed at once, the first
  // engine of a block shared the CPU with them (measured: Mnemo's block 80 µs median at 179 µs
  // of process CPU per query right after the GC, 35–39 µs after a 300 ms pause).
  for (let k = 0; k < WARMUP; k++) {
    const shifted = (sourceSets[k % sourceSets.length] ?? []).map((x) => (x * 31 + 7 + k) % n);
    mnemo(shifted)();
    sqlite(shifted)();
  }
  globalThis.gc?.();
  settle(SETTLE_MS);
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

/** Which SPREAD kernel the engine gets (the active backend, as spreadAssociations uses it). */
export function kernelBackend() {
  const empty = { off: Uint32Array.of(0), target: new Int32Array(0), weight: new Float64Array(0), created: new Float64Array(0), rank: null };
  return spreadKernel(empty).backend === 'native' ? 'C++' : 'TypeScript';
}

/** Read syscalls of this process so far (Linux /proc/self/io), or null where there is none. */
function readSyscalls() {
  try {
    const m = /^syscr: (\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

const since = (t) => ms(Number(process.hrtime.bigint() - t));

/** Opens both databases read-only, timing each step; SQLite's page cache is filled by a full scan of both tables. */
async function openBoth(args) {
  let t = process.hrtime.bigint();
  // Read-only: this process only queries; it takes a shared lock, replays nothing into files, never
  // compacts or collects garbage, so no store work can run during the measurement.
  const store = await openStore(args.dir, { readOnly: true });
  const openMs = since(t);
  const snap = store.snapshot();
  t = process.hrtime.bigint();
  const g = associationGraph(snap, SPACE);
  const graphMs = since(t);
  t = process.hrtime.bigint();
  associationGraph(snap, SPACE);
  const graphCachedMs = since(t);
  const rssGraph = process.memoryUsage().rss;
  t = process.hrtime.bigint();
  const db = new Database(args.sqlite, { readonly: true });
  sqlitePragmas(db);
  // The building process's SQLite page cache holds the pages it wrote; here every page would come
  // from the OS on first touch. One scan of each table loads what fits in cache_size (the SQLite
  // counterpart of the associationGraph build above, timed apart from the queries).
  db.prepare('SELECT count(*), sum(weight) FROM edges').get();
  db.prepare('SELECT count(*), sum(ff) FROM nodes').get();
  const sqliteOpenMs = since(t);
  const segments = store.stats().spaces.find((s) => s.name === SPACE)?.segments ?? 0;
  return { store, snap, g, db, openMs, graphMs, graphCachedMs, sqliteOpenMs, rssGraph, segments };
}

/** The MQL statement text of the SPREAD every case runs (its own fan strength default). */
export const SPREAD_MQL = `SPREAD FROM $s IN SPACE ${SPACE} MAX_HOPS ${HOPS} DECAY ${DECAY} THRESHOLD ${THRESHOLD}`;

/**
 * The prepared SPREAD statement through @mnemo/query (database opened read-only), single sources:
 * WARMUP statements on other sources (the first builds the query layer's association graph), a
 * full GC, then one timed statement per source. Its rows are full result rows (content,
 * retention, confidence, path...), ranked by the statement's own activation rules.
 */
async function mqlCase(args, sources) {
  const db = await open(args.dir, { readOnly: true });
  try {
    const st = db.prepare(SPREAD_MQL);
    for (let k = 0; k < WARMUP; k++) await st.run({ s: id(((sources[k % sources.length]?.[0] ?? 0) * 31 + 7 + k) % args.n) });
    globalThis.gc?.();
    settle(SETTLE_MS);
    const lat = [];
    let rows = 0;
    for (const s of sources) {
      const t = process.hrtime.bigint();
      const r = await st.run({ s: id(s[0]) });
      lat.push(ms(Number(process.hrtime.bigint() - t)));
      rows += r.rows.length;
    }
    return { lat: lat.sort((a, b) => a - b), rows: rows / sources.length };
  } finally {
    await db.close();
  }
}

/** The child process: the compacted-store cases of the building process, in a fresh heap. */
async function child(args) {
  const loadStart = os.loadavg();
  const rss0 = process.memoryUsage().rss;
  const o = await openBoth(args);
  const stmt = o.db.prepare(SPREAD_SQL);
  const { single, multi } = sourceSets(args.n, args.queries, args.seed);
  const reads0 = readSyscalls();
  const cases = {
    single: compare(o.g, stmt, single, args.n),
    multi: compare(o.g, stmt, multi, args.n),
    blocks: compare(o.g, stmt, single, args.n, true),
  };
  const reads1 = readSyscalls();
  const rssEnd = process.memoryUsage().rss;
  const loadEnd = os.loadavg();
  o.snap.release();
  await o.store.close();
  o.db.close();
  const mql = await mqlCase(args, single);
  const { openMs, graphMs, graphCachedMs, sqliteOpenMs, rssGraph, segments } = o;
  return {
    pid: process.pid, execArgv: process.execArgv, kernel: kernelBackend(), nativeBackend: nativeInfo().backend,
    segments, openMs, graphMs, graphCachedMs, sqliteOpenMs, rss: { start: rss0, graph: rssGraph, end: rssEnd },
    loadStart, loadEnd, readSyscalls: reads0 === null || reads1 === null ? null : reads1 - reads0, cases, mql,
  };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const result = await child(JSON.parse(process.argv[2] ?? '{}'));
    process.stdout.write(JSON.stringify(result) + '\n');
  } catch (e) {
    process.stderr.write(`spread-query-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}
