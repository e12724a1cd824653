/**
 * Ingest benchmark, one engine's whole run (testing.md "ingest"; docs/storage.md). Exports what
 * ingest.bench.mjs shares with it: the row generator, the SQLite schema and pragmas, and the wait
 * for the store's background work. Run as `node bench/ingest-run-child.mjs '<json>'` with
 * {"engine": "mnemo" | "sqlite", "dir": path, "n": rows}, it ingests n rows into a new database
 * in this fresh process and prints one JSON document: the time from the first write to the last
 * acknowledgement and, for Mnemo, to the moment the background work the writes started (flushes,
 * compactions) is finished; process CPU (all threads) over the same span; the close time apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openStore } from '@mnemo/engine';

export const DIM = 128;
export const BATCH = 1000;
export const T0 = 1_700_000_000_000;

/** Component k of row i's embedding. */
const component = (i, k) => Math.sin(i * 0.37 + k * 0.11);

/**
 * Every row's embedding, computed before the clocks start (row i at i·DIM of one block; null until
 * prepareEmbeddings). Computing them inside the timed loop cost ~2.7 s of a ~10 s run of either
 * engine (128 Math.sin per row, `--cpu-prof` of a Mnemo run), the same for both, which pulled every
 * ratio towards 1.
 */
let prepared = null;

/** Computes the embeddings of rows [0, n) (n·DIM·4 bytes, 512 MB for 1M rows). */
export function prepareEmbeddings(n) {
  const all = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) for (let k = 0; k < DIM; k++) all[i * DIM + k] = component(i, k);
  prepared = all;
}

/** Row i's embedding: a view of the prepared block, or computed now past its end. */
export function embedding(i) {
  if (prepared !== null && (i + 1) * DIM <= prepared.length) return prepared.subarray(i * DIM, (i + 1) * DIM);
  const e = new Float32Array(DIM);
  for (let k = 0; k < DIM; k++) e[k] = component(i, k);
  return e;
}
export const content = (i) => `memory number ${i}: the quick brown fox ${i % 97}`;

export function batchOps(start) {
  const ops = new Array(BATCH);
  for (let j = 0; j < BATCH; j++) {
    const i = start + j;
    ops[j] = { op: 'remember', record: { id: `m${i}`, space: 'bench', content: content(i), embedding: embedding(i), kind: 'episodic', created: T0 + i, confidence: { lo: 1, hi: 1 }, meta: null } };
  }
  return ops;
}

/**
 * Wait until the store's background lane (flushes and compactions, whose files the segment worker writes) is idle.
 * `jobs` is internal (not in the Store type); the bench uses it so that background work started
 * by Mnemo's writes is charged to Mnemo.
 */
export async function backgroundIdle(store) {
  if (typeof store.jobs?.idle !== 'function') return;
  for (let p = store.jobs.idle(); ; ) {
    await p;
    const q = store.jobs.idle();
    if (q === p) return;
    p = q;
  }
}

/** The SQLite side: WAL, synchronous=FULL, the same columns; `tx(start)` inserts one batch in one transaction. */
export function sqliteIngest(file, n) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE m (id TEXT PRIMARY KEY, content TEXT NOT NULL, embedding BLOB NOT NULL, created REAL NOT NULL, recorded REAL NOT NULL, conf_lo REAL, conf_hi REAL)');
  const ins = db.prepare('INSERT INTO m VALUES (?, ?, ?, ?, ?, 1, 1)');
  const tx = db.transaction((start) => {
    for (let j = 0; j < BATCH; j++) {
      const i = start + j;
      const e = embedding(i);
      ins.run(`m${i}`, content(i), Buffer.from(e.buffer, e.byteOffset, e.byteLength), T0 + i, T0 + n);
    }
  });
  return { db, tx };
}

const cpuSince = (c0) => {
  const u = process.cpuUsage(c0);
  return (u.user + u.system) / 1e6;
};

async function runMnemo(dir, n) {
  const store = await openStore(dir, { durability: 'full', clock: () => T0 + n });
  await store.createSpace({ name: 'bench', dim: DIM });
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let s = 0; s < n; s += BATCH) await store.write(batchOps(s));
  const t1 = process.hrtime.bigint();
  await backgroundIdle(store);
  const t2 = process.hrtime.bigint();
  const cpu = cpuSince(c0);
  const stats = store.stats();
  await store.close();
  const t3 = process.hrtime.bigint();
  return {
    totalS: Number(t2 - t0) / 1e9, writesS: Number(t1 - t0) / 1e9, waitS: Number(t2 - t1) / 1e9, cpuS: cpu, closeS: Number(t3 - t2) / 1e9,
    flushes: stats.flushes, compactions: stats.compactions, thread: stats.segmentThread,
  };
}

function runSqlite(file, n) {
  const { db, tx } = sqliteIngest(file, n);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let s = 0; s < n; s += BATCH) tx(s);
  const t1 = process.hrtime.bigint();
  const cpu = cpuSince(c0);
  db.close();
  const t2 = process.hrtime.bigint();
  const s = Number(t1 - t0) / 1e9;
  return { totalS: s, writesS: s, waitS: 0, cpuS: cpu, closeS: Number(t2 - t1) / 1e9 };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const a = JSON.parse(process.argv[2] ?? '{}');
    if (!Number.isInteger(a.n) || a.n <= 0 || a.n % BATCH !== 0) throw new Error(`n must be a positive multiple of ${BATCH}`);
    if (fs.existsSync(a.dir)) throw new Error(`${a.dir} exists; the run needs a new database`);
    prepareEmbeddings(a.n);
    const r = a.engine === 'mnemo' ? await runMnemo(a.dir, a.n) : a.engine === 'sqlite' ? runSqlite(a.dir, a.n) : null;
    if (r === null) throw new Error(`engine must be "mnemo" or "sqlite", not ${JSON.stringify(a.engine)}`);
    process.stdout.write(JSON.stringify({ engine: a.engine, pid: process.pid, ...r }) + '\n');
  } catch (e) {
    process.stderr.write(`ingest-run-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}
