/**
 * WAL benchmark (docs/durability.md). (a) Latency of one durable commit (`full`, a ~4 KiB batch,
 * one writer) against a raw 4 KiB append + fdatasync on the same disk, measured several ways
 * (synchronous fs calls, node's async fs calls, the WAL's own mix, a raw write at the WAL's
 * unaligned offsets, the same into a zero-filled file), and the WAL with and without
 * preallocation, interleaved commit by commit in a rotating order.
 * (b) Group commit: 32 concurrent single-op writers in `full` against better-sqlite3 committing
 * one row per transaction (journal_mode=WAL, synchronous=FULL), same disk. Targets: (a) ≤ 1.2×,
 * (b) ≥ 10×. (c) Bulk durable batches (ingest-sized, ~650 KB each): a log growing new files vs
 * one recycling retired files (docs/durability.md "Recycling"), alternating, by wall and CPU time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Wal } from '@mnemo/engine';
import { nativeInfo } from '@mnemo/native';

const DIM = 256;
const WRITERS = 32;
/** Zero-filled space the benchmarked logs keep ahead of their writes (docs/durability.md "Preallocation"). */
const PREALLOC = 1 << 20;

/**
 * Embeddings made once, before anything is timed, and handed out round-robin: computing 256
 * Math.sin per op costs ~25 µs, more than a grouped WAL commit itself, and would measure the
 * generator instead of either system (both the WAL and SQLite loops take ops from here).
 */
const EMBEDDINGS = Array.from({ length: 1024 }, (_, i) => {
  const e = new Float32Array(DIM);
  for (let k = 0; k < DIM; k++) e[k] = Math.sin(i * 31 + k);
  return e;
});

function rememberOp(i, contentBytes) {
  const embedding = EMBEDDINGS[i % EMBEDDINGS.length];
  return {
    op: 'remember',
    record: {
      id: `m${i}`, space: 'bench', content: 'x'.repeat(contentBytes), embedding, kind: 'episodic', created: 1_700_000_000_000 + i,
      // `recorded` set, as on every record the store logs (its validation assigns it): the batch is a columnar v2 payload.
      recorded: 1_700_000_000_000 + i,
      confidence: { lo: 0.5, hi: 0.9 }, decay: { count: 1, first: i, last: i, recentTimes: [i], recentDecays: [0.5], olderDecay: 0 }, meta: null,
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const us = (ns) => (ns / 1000).toFixed(1);
const now = () => process.hrtime.bigint();

const cb = (fn) => new Promise((res, rej) => fn((e, v) => (e ? rej(e) : res(v))));

/**
 * One round: the paths take turns commit by commit, in an order that rotates every commit, so disk
 * noise and any position effect (which path runs right after which) hit them alike.
 */
async function latencyRound(root, r, per, batch, res) {
  const buf = Buffer.alloc(4096, 7);
  const fd = {};
  for (const k of ['sync', 'async', 'mixed', 'straddle', 'prezero']) fd[k] = fs.openSync(path.join(root, `raw-${k}-${r}.dat`), 'w', 0o600);
  const zero = Buffer.alloc(1 << 20);
  for (let o = 0; o < 32 + per * 4096; o += zero.length) fs.writeSync(fd.prezero, zero, 0, zero.length, o);
  fs.fsyncSync(fd.prezero);
  const { wal } = await Wal.open(path.join(root, `wal-lat-${r}`), { durability: 'full', fromLsn: 0, preallocateBytes: PREALLOC });
  const recycled = await recycledWal(path.join(root, `wal-rcy-${r}`), 32 + per * 4096);
  const plain = (await Wal.open(path.join(root, `wal-plain-${r}`), { durability: 'full', fromLsn: 0 })).wal;
  const paths = {
    sync: (i) => { fs.writeSync(fd.sync, buf, 0, buf.length, i * 4096); fs.fdatasyncSync(fd.sync); },
    async: async (i) => {
      await cb((k) => fs.write(fd.async, buf, 0, buf.length, i * 4096, k));
      await cb((k) => fs.fdatasync(fd.async, k));
    },
    mixed: async (i) => { fs.writeSync(fd.mixed, buf, 0, buf.length, i * 4096); await cb((k) => fs.fdatasync(fd.mixed, k)); },
    straddle: (i) => { fs.writeSync(fd.straddle, buf, 0, buf.length, 32 + i * 4096); fs.fdatasyncSync(fd.straddle); },
    prezero: (i) => { fs.writeSync(fd.prezero, buf, 0, buf.length, 32 + i * 4096); fs.fdatasyncSync(fd.prezero); },
    wal: () => wal.append(batch),
    recycled: () => recycled.append(batch),
    plain: () => plain.append(batch),
  };
  const names = Object.keys(paths);
  for (let i = 0; i < per; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      const c0 = process.cpuUsage();
      const t0 = now();
      await paths[name](i);
      res[name].push(Number(now() - t0));
      const c = process.cpuUsage(c0);
      res.cpu[name].push((c.user + c.system) * 1000);
    }
  }
  for (const k of Object.keys(fd)) fs.closeSync(fd[k]);
  await wal.close();
  await recycled.close();
  await plain.close();
}

/**
 * A log (preallocating, recycleFiles 1) whose active file was made from a retired file of at least
 * `bytes`: bulk batches fill a first file, a rotation and a checkpoint retire it, the next
 * rotation reuses it. docs/durability.md "Recycling".
 */
async function recycledWal(dir, bytes) {
  const { wal } = await Wal.open(dir, { durability: 'full', fromLsn: 0, preallocateBytes: PREALLOC, recycleFiles: 1 });
  for (let i = 0; fs.statSync(path.join(dir, wal.fileNames[0])).size < bytes; i++) {
    await wal.append(Array.from({ length: 200 }, (_, k) => rememberOp(i * 200 + k, 100)));
  }
  await wal.rotate();
  await wal.removeUpTo(wal.lastLsn);
  await wal.rotate();
  if (wal.recycleCandidates !== 0) throw new Error('wal bench: the recycled log did not reuse its retired file');
  return wal;
}

/** Content length that makes one framed batch exactly 4096 bytes in the log (probed once). */
async function contentFor4KiB(root) {
  const dir = path.join(root, 'probe');
  const { wal } = await Wal.open(dir, { durability: 'full', fromLsn: 0 });
  await wal.append([rememberOp(0, 2900)]);
  await wal.close();
  return 2900 + (4096 - (fs.readFileSync(path.join(dir, '000001.log')).readUInt32LE(36) + 24));
}

async function latency(root, quick) {
  const rounds = quick ? 3 : 8;
  const per = quick ? 100 : 250;
  const batch = [rememberOp(1, await contentFor4KiB(root))];
  const names = ['sync', 'async', 'mixed', 'straddle', 'prezero', 'wal', 'recycled', 'plain'];
  const res = { cpu: {} };
  for (const n of names) { res[n] = []; res.cpu[n] = []; }
  for (let r = 0; r < rounds; r++) await latencyRound(root, r, per, batch, res);
  const walFile = fs.readFileSync(path.join(root, 'wal-lat-0', '000001.log'));
  const batchBytes = walFile.readUInt32LE(36) + 24; // first record: length field + header (the file itself is preallocated)
  return { res, rounds, per, batchBytes, load: os.loadavg().map((x) => x.toFixed(2)).join(' ') };
}

async function walGroup(dir, seconds) {
  const { wal } = await Wal.open(dir, { durability: 'full', fromLsn: 0, preallocateBytes: PREALLOC });
  let commits = 0;
  const deadline = now() + BigInt(Math.round(seconds * 1e9));
  const c0 = process.cpuUsage();
  const t0 = now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; now() < deadline; i++) {
        await wal.append([rememberOp(w * 1e6 + i, 100)]);
        commits++;
      }
    }),
  );
  const secs = Number(now() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  await wal.close();
  return { commits, secs, cpuUs: c.user + c.system };
}

function sqliteCommits(file, seconds) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE m (id TEXT PRIMARY KEY, space TEXT, content TEXT, embedding BLOB, created INTEGER, meta TEXT)');
  const ins = db.prepare('INSERT INTO m VALUES (?, ?, ?, ?, ?, ?)');
  let commits = 0;
  const deadline = now() + BigInt(Math.round(seconds * 1e9));
  const c0 = process.cpuUsage();
  const t0 = now();
  while (now() < deadline) {
    const op = rememberOp(commits, 100).record;
    ins.run(op.id, op.space, op.content, Buffer.from(op.embedding.buffer), op.created, JSON.stringify(op.meta));
    commits++;
  }
  const secs = Number(now() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  db.close();
  return { commits, secs, cpuUs: c.user + c.system };
}

/** Ingest-sized batches for (c): BULK_ROWS rows of a 128-d embedding and ~45 bytes of content (as bench/ingest.bench.mjs). */
const BULK_ROWS = 1000;
const BULK_DIM = 128;
const BULK_EMB = Array.from({ length: 64 }, (_, i) => Float32Array.from({ length: BULK_DIM }, (_, k) => Math.sin(i * 17 + k)));

function bulkBatch(b) {
  return Array.from({ length: BULK_ROWS }, (_, k) => {
    const i = b * BULK_ROWS + k;
    return {
      op: 'remember',
      record: {
        id: `row-${i}`, space: 'bench', content: `memory ${i}: the quick brown fox jumps over`, embedding: BULK_EMB[i % BULK_EMB.length],
        kind: 'episodic', created: 1_700_000_000_000 + i, recorded: 1_700_000_000_000 + i, confidence: { lo: 0.5, hi: 0.9 },
        decay: { count: 1, first: i, last: i, recentTimes: [i], recentDecays: [0.5], olderDecay: 0 }, meta: null,
      },
    };
  });
}

/**
 * (c) Two logs as the store opens them (full, preallocateBytes 1 MiB, 64 MiB files) — one with
 * recycleFiles 2 — each append followed by removeUpTo(lastLsn) as a checkpoint would. After a
 * warm-up (which gives the recycling log its first retired files), chunks of `chunk` batches
 * alternate between the logs; per batch: wall time of the append and process CPU.
 */
export async function bulk(root, batches, chunk, warm) {
  const logs = {};
  for (const [name, recycleFiles] of [['grow', 0], ['recycle', 2]]) {
    logs[name] = (await Wal.open(path.join(root, `bulk-${name}`), { durability: 'full', fromLsn: 0, preallocateBytes: PREALLOC, recycleFiles })).wal;
  }
  const res = { grow: { wall: [], cpu: [] }, recycle: { wall: [], cpu: [] } };
  const step = async (name, b, timed) => {
    const wal = logs[name];
    const ops = bulkBatch(b);
    const c0 = process.cpuUsage();
    const t0 = now();
    await wal.append(ops);
    const t = Number(now() - t0);
    const c = process.cpuUsage(c0);
    await wal.removeUpTo(wal.lastLsn);
    if (timed) { res[name].wall.push(t); res[name].cpu.push((c.user + c.system) * 1000); }
  };
  for (let b = 0; b < warm; b++) for (const name of ['grow', 'recycle']) await step(name, b, false);
  for (let done = 0; done < batches; done += chunk) {
    const order = (done / chunk) % 2 === 0 ? ['grow', 'recycle'] : ['recycle', 'grow'];
    for (const name of order) for (let b = done; b < done + chunk; b++) await step(name, warm + b, true);
  }
  // Columnar payload size (docs/wal_format.md "v2"): 24 + n·(78 + 4d) + 16R + M + S, here R = n, M = 0.
  const strings = bulkBatch(0).reduce((n, o) => n + Buffer.byteLength(o.record.id + o.record.space + o.record.content), 0);
  const payload = 24 + BULK_ROWS * (78 + 4 * BULK_DIM + 16) + strings;
  for (const wal of Object.values(logs)) await wal.close();
  return { res, batches, chunk, warm, payload, load: os.loadavg().map((x) => x.toFixed(2)).join(' ') };
}

export async function run({ quick }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mnemo-wal-bench-'));
  try {
    const lat = await latency(root, quick);
    const seconds = quick ? 1 : 2;
    const rounds = quick ? 1 : 5;
    const groups = [];
    const sqls = [];
    for (let r = 0; r < rounds; r++) {
      groups.push(await walGroup(path.join(root, `wal-gc-${r}`), seconds));
      sqls.push(sqliteCommits(path.join(root, `sqlite-${r}.db`), seconds));
    }
    const groupLoad = os.loadavg().map((x) => x.toFixed(2)).join(' ');
    const bulkRes = await bulk(root, quick ? 100 : 1000, 50, 220);
    return report(lat, groups, sqls, seconds, quick, groupLoad) + bulkReport(bulkRes);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** One row of the group-commit table: totals, rate, process CPU per commit, and each round's rate. */
function groupRow(name, xs) {
  const commits = xs.reduce((s, g) => s + g.commits, 0);
  const secs = xs.reduce((s, g) => s + g.secs, 0);
  const cpu = xs.reduce((s, g) => s + g.cpuUs, 0) / commits;
  const each = xs.map((g) => Math.round(g.commits / g.secs)).join(', ');
  return `| ${name} | ${commits} | ${secs.toFixed(2)} | ${Math.round(commits / secs)} | ${cpu.toFixed(1)} | ${each} |`;
}

function report(lat, groups, sqls, seconds, quick, groupLoad) {
  const m = { sync: median(lat.res.sync), async: median(lat.res.async), wal: median(lat.res.wal) };
  const rate = (xs) => xs.reduce((s, x) => s + x.commits, 0) / xs.reduce((s, x) => s + x.secs, 0);
  const walRate = rate(groups);
  const sqlRate = rate(sqls);
  const row = (name, xs, cpu) => `| ${name} | ${us(median(xs))} | ${us(pct(xs, 0.9))} | ${us(pct(xs, 0.99))} | ${(median(xs) / m.sync).toFixed(2)}× | ${(median(xs) / m.async).toFixed(2)}× | ${us(median(cpu))} |`;
  return [
    '### Write-ahead log (bench/wal.bench.mjs)',
    '',
    `Disk: the file system of \`${os.tmpdir()}\`. ${quick ? 'Quick sizes (MNEMO_BENCH_QUICK=1).' : 'Full sizes.'} ` +
      `CRC32C: ${nativeInfo().crc32c} (@mnemo/native backend: ${nativeInfo().backend}).`,
    '',
    `**(a) One durable commit.** One writer, \`durability: 'full'\`, a batch of one \`remember\` (dim ${DIM}, content sized so the batch`,
    `is ${Math.round(lat.batchBytes)} bytes framed in the log; after the 32-byte file header each one straddles two pages), sequential`,
    `\`await wal.append()\` — with \`preallocateBytes: ${PREALLOC}\` (zeroes kept ahead of the writes, docs/durability.md "Preallocation") and without —`,
    `against a raw page-aligned 4096-byte append + fdatasync`,
    `on a file in the same directory, by synchronous fs calls and by node's async fs calls. ${lat.rounds} rounds × ${lat.per} commits;`,
    `the eight paths take turns commit by commit, in an order rotating every commit. Load average (1, 5, 15 min) after these rounds: ${lat.load}.`,
    '',
    '| path | median µs | p90 µs | p99 µs | vs raw sync | vs raw async | CPU µs (median) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('raw writeSync + fdatasyncSync', lat.res.sync, lat.res.cpu.sync),
    row('raw fs.write + fs.fdatasync (async)', lat.res.async, lat.res.cpu.async),
    row('raw writeSync + async fs.fdatasync', lat.res.mixed, lat.res.cpu.mixed),
    row('raw writeSync + fdatasyncSync at the WAL\'s offsets (32 + i·4096: two pages per commit)', lat.res.straddle, lat.res.cpu.straddle),
    row('raw writeSync + fdatasyncSync at the WAL\'s offsets into a zero-filled file (no size change)', lat.res.prezero, lat.res.cpu.prezero),
    row(`**Wal.append (full), preallocateBytes ${PREALLOC}**`, lat.res.wal, lat.res.cpu.wal),
    row(`Wal.append (full), preallocateBytes ${PREALLOC}, into a recycled file (recycleFiles 1)`, lat.res.recycled, lat.res.cpu.recycled),
    row('Wal.append (full), no preallocation (the Wal.open default; the store preallocates 1 MiB)', lat.res.plain, lat.res.cpu.plain),
    '',
    'CPU µs: user + system time of the whole process during the commit (the thread-pool thread included).',
    '',
    `Target ≤ 1.2× raw: **${(m.wal / m.sync).toFixed(2)}×** vs the synchronous raw path, **${(m.wal / m.async).toFixed(2)}×** vs the async raw path`,
    `(without preallocation: ${(median(lat.res.plain) / m.sync).toFixed(2)}× and ${(median(lat.res.plain) / m.async).toFixed(2)}×),`,
    `${(m.wal / median(lat.res.prezero)).toFixed(2)}× vs the raw path writing the same pages into a zero-filled file as the log does,`,
    `${(m.wal / median(lat.res.straddle)).toFixed(2)}× vs the synchronous raw path writing the same two pages per commit as the log`,
    `(and ${(m.wal / median(lat.res.mixed)).toFixed(2)}× vs raw writeSync + async fdatasync, which is exactly the WAL's I/O: a synchronous pwrite`,
    'into the page cache, then fdatasync on the libuv thread pool so that appends arriving during the sync can join the next one).',
    '',
    `**(b) Group commit.** ${WRITERS} concurrent writers, each awaiting \`wal.append([one remember, dim ${DIM}])\` in a loop for ${seconds} s (${groups.length} run(s); \`preallocateBytes: ${PREALLOC}\`),`,
    `against better-sqlite3 inserting the same row (id, space, content, embedding blob, created, meta) one row per transaction`,
    `(autocommit), journal_mode=WAL, synchronous=FULL, same disk. Both loops build each op from one of 1024 embeddings computed before`,
    `timing (a fresh id, content and decay state per op); rounds alternate WAL, SQLite. Load average (1, 5, 15 min) after the last round: ${groupLoad}.`,
    '',
    '| system | commits | seconds | commits/s | CPU µs per commit | per round (commits/s) |',
    '|---|---:|---:|---:|---:|---|',
    groupRow(`Mnemo WAL, ${WRITERS} writers, full`, groups),
    groupRow('better-sqlite3, 1 row/txn, FULL', sqls),
    '',
    'CPU µs per commit: user + system time of the whole process (thread-pool threads included) over the commits.',
    '',
    `Ratio (target ≥ 10×): **${(walRate / sqlRate).toFixed(1)}×**.`,
    '',
  ].join('\n');
}

/** The (c) section: bulk durable batches, growing files vs recycled files. */
export function bulkReport(r) {
  const ms = (ns) => (ns / 1e6).toFixed(2);
  const sum = (xs) => xs.reduce((a, x) => a + x, 0);
  const row = (name, x) =>
    `| ${name} | ${ms(median(x.wall))} | ${ms(pct(x.wall, 0.9))} | ${ms(pct(x.wall, 0.99))} | ${(sum(x.wall) / 1e9).toFixed(2)} | ${ms(median(x.cpu))} | ${(sum(x.cpu) / 1e9).toFixed(2)} |`;
  const g = r.res.grow;
  const c = r.res.recycle;
  return [
    `**(c) Bulk durable batches: growing files vs recycled files.** ${r.batches} batches per log of ${BULK_ROWS} \`remember\` rows`,
    `(${BULK_DIM}-d f32 embedding, ~45-byte content: issue #3's ingest rows, ${Math.round(r.payload / 1000)} KB of payload each), \`durability: 'full'\` (one fdatasync per batch),`,
    `\`preallocateBytes: ${PREALLOC}\`, 64 MiB files, each append followed by \`removeUpTo(lastLsn)\` as a checkpoint would — one log with the default`,
    `\`recycleFiles: 0\` (each new file grows: block allocation, size and extent commits in every fdatasync), one with \`recycleFiles: 2\``,
    `(new files made from retired ones, batches overwrite allocated blocks). ${r.warm} warm-up batches per log first (untimed; they give the recycling`,
    `log its retired files), then chunks of ${r.chunk} batches alternating between the logs. Load average (1, 5, 15 min) after: ${r.load}.`,
    '',
    '| log | median ms per batch | p90 ms | p99 ms | total s | CPU ms per batch (median) | CPU s total |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('growing files (recycleFiles 0)', g),
    row('**recycled files (recycleFiles 2)**', c),
    '',
    `Recycled / growing: wall **${(sum(c.wall) / sum(g.wall)).toFixed(2)}×** (total), ${(median(c.wall) / median(g.wall)).toFixed(2)}× (median); ` +
      `process CPU ${(sum(c.cpu) / sum(g.cpu)).toFixed(2)}× (total; encoding and framing included, the same work in both).`,
    '',
  ].join('\n');
}
