/**
 * Field benchmark (testing.md "Field"): on one field of N rows × 256 f32 (1 KiB rows; 1 GiB, quick
 * 64 MiB), in the same run: random row reads through Field.row() vs raw pread of the same rows from
 * the same chunk files; a sequential scan vs plain sequential read() of the chunk files; prefetch
 * on vs off (cold: page cache dropped per file with `dd iflag=nocache count=0`, i.e.
 * posix_fadvise DONTNEED; warm). MNEMO_BENCH_BIG=1 adds a field ≥ 2× RAM (MNEMO_BENCH_BIG_GB
 * overrides its size) with cold/warm/hot latencies for get, batchGet of 1K and a scan.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Field, seededRandom as rng } from '@mnemo/engine';
import { nativeInfo } from '@mnemo/native';

/** Field backend: the real mapping unless MNEMO_NATIVE=0 (then the heap-copy fallback, labelled). */
const BACKEND = process.env.MNEMO_NATIVE === '0' ? 'js' : 'native';
const COLS = 256;
const ROW_BYTES = COLS * 4;
const HEADER = 4096;

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs) => Math.min(...xs);
const f2 = (x) => x.toFixed(2);
const f1 = (x) => x.toFixed(1);

function chunkFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, 'chunks'), { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.chunk')) out.push(path.join(e.parentPath, e.name));
  }
  return out.sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
}

/** Drop the page cache of every chunk file (posix_fadvise DONTNEED through GNU dd). */
function dropCache(files) {
  for (const f of files) execFileSync('dd', [`if=${f}`, 'iflag=nocache', 'count=0', 'status=none']);
}

function sumRow(v) {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j];
  return s;
}

/** Build the field: row i holds i + j/1000. */
function build(dir, rows) {
  const f = Field.create(dir, [rows, COLS], { dtype: 'f32', backend: BACKEND });
  const vals = new Float32Array(COLS);
  for (let j = 0; j < COLS; j++) vals[j] = j / 1000;
  for (let i = 0; i < rows; i++) {
    vals[0] = i;
    f.setRow([i], vals);
  }
  f.close();
}

/** Fast build for the big field: each block of 1024 rows filled with its block number (1 MiB writes). */
function buildBlocks(dir, rows) {
  const f = Field.create(dir, [rows, COLS], { dtype: 'f32', backend: BACKEND });
  for (let i = 0; i < rows; i += 1024) f.fill(i / 1024 + 1, [i, 0], [Math.min(rows, i + 1024), COLS]);
  f.close();
}

/** Raw reader over the same chunk files: fd per chunk, pread of a row at HEADER + offset. */
function rawReader(dir, chunkBytes) {
  const files = chunkFiles(dir);
  const fds = files.map((f) => fs.openSync(f, 'r'));
  const buf = Buffer.alloc(ROW_BYTES);
  const view = new Float32Array(buf.buffer, buf.byteOffset, COLS);
  return {
    row(i) {
      const byte = i * ROW_BYTES;
      const c = Math.floor(byte / chunkBytes);
      fs.readSync(fds[c], buf, 0, ROW_BYTES, HEADER + byte - c * chunkBytes);
      return view;
    },
    /** Sequential read() of every chunk's data in 1 MiB blocks; calls fn(Float32Array) per block. */
    scan(totalBytes, fn) {
      const big = Buffer.alloc(2 ** 20);
      const fv = new Float32Array(big.buffer, big.byteOffset, big.length / 4);
      let left = totalBytes;
      for (const fd of fds) {
        let pos = HEADER;
        const end = HEADER + Math.min(chunkBytes, left);
        while (pos < end) {
          const n = fs.readSync(fd, big, 0, Math.min(big.length, end - pos), pos);
          fn(n === big.length ? fv : fv.subarray(0, n / 4));
          pos += n;
        }
        left -= end - HEADER;
        if (left <= 0) break;
      }
    },
    close() {
      for (const fd of fds) fs.closeSync(fd);
    },
  };
}

/** Interleaved rounds of named closures; returns { name: [ms per round] }. */
function rounds(n, cases) {
  const out = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let r = 0; r < n; r++) {
    for (const [k, fn] of Object.entries(cases)) {
      const t0 = now();
      fn();
      out[k].push(now() - t0);
    }
  }
  return out;
}

function randomRows(f, raw, rows, R, seed) {
  const r = rng(seed);
  const idx = Float64Array.from({ length: R }, () => Math.floor(r() * rows));
  let sink = 0;
  const res = rounds(7, {
    'Field.row() + sum': () => {
      for (const i of idx) sink += sumRow(f.row(i));
    },
    'pread + sum': () => {
      for (const i of idx) sink += sumRow(raw.row(i));
    },
    'Field.row() touch 1': () => {
      for (const i of idx) sink += f.row(i)[7];
    },
    'pread touch 1': () => {
      for (const i of idx) sink += raw.row(i)[7];
    },
    'Field.get() 1 element': () => {
      for (const i of idx) sink += f.get(i, 7);
    },
  });
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return { res, R };
}

function scans(f, raw, rows, reps) {
  let sink = 0;
  const block = 1024; // rows per rows() call = 1 MiB, like the read() baseline's buffer
  const res = rounds(reps, {
    'Field.rows() 1 MiB blocks + sum': () => {
      for (let i = 0; i < rows; i += block) sink += sumRow(f.rows(i, Math.min(block, rows - i)));
    },
    'Field.row() per row + sum': () => {
      for (let i = 0; i < rows; i++) sink += sumRow(f.row(i));
    },
    'read() 1 MiB + sum': () => raw.scan(rows * ROW_BYTES, (v) => (sink += sumRow(v))),
    'Field.row() scan touch 1/row': () => {
      for (let i = 0; i < rows; i++) sink += f.row(i)[0];
    },
    'read() 1 MiB touch 1/row': () =>
      raw.scan(rows * ROW_BYTES, (v) => {
        for (let k = 0; k < v.length; k += COLS) sink += v[k];
      }),
  });
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return res;
}

/** One cold measurement: close everything, drop the cache, reopen, time fn(field). */
function cold(dir, files, opts, fn) {
  dropCache(files);
  const f = Field.open(dir, { backend: BACKEND, ...opts });
  const t0 = now();
  const sink = fn(f);
  const ms = now() - t0;
  const st = f.stats();
  f.close();
  return { ms, sink, st };
}

function scanFn(rows, step) {
  return (f) => {
    let s = 0;
    for (let i = 0; i < rows; i += step) s += f.row(i)[1];
    return s;
  };
}

function backFn(rows) {
  return (f) => {
    let s = 0;
    for (let i = rows - 1; i >= 0; i--) s += f.row(i)[1];
    return s;
  };
}

function prefetchSection(dir, files, rows, reps) {
  const lines = [];
  const cases = [
    ['cold sequential scan (every row)', scanFn(rows, 1), rows],
    ['cold strided scan (every 16th row, 16 KiB stride: dense)', scanFn(rows, 16), Math.ceil(rows / 16)],
    ['cold strided scan (every 256th row, 256 KiB stride)', scanFn(rows, 256), Math.ceil(rows / 256)],
    ['cold backward scan (every row, last to first)', backFn(rows), rows],
  ];
  for (const [name, fn, n] of cases) {
    const on = [];
    const off = [];
    let acc = '';
    for (let r = 0; r < reps; r++) {
      const a = cold(dir, files, { prefetch: true }, fn);
      on.push(a.ms);
      const p = a.st.prefetch;
      acc = `${p.hits} hits, ${p.faults} faults, ${p.issued} pages issued, accuracy ${f2(p.accuracy)}, ${p.advised} madvise calls`;
      off.push(cold(dir, files, { prefetch: false }, fn).ms);
    }
    lines.push(
      `| ${name} | ${n.toLocaleString('en-US')} | ${f1(best(on))} | ${f1(best(off))} | ${f2(best(off) / best(on))}× | ${acc} |`,
    );
  }
  return lines;
}

function coldRaw(raw, files, totalBytes) {
  dropCache(files);
  let sink = 0;
  const t0 = now();
  raw.scan(totalBytes, (v) => {
    for (let k = 0; k < v.length; k += COLS) sink += v[k];
  });
  return now() - t0 + sink * 0;
}

async function mainSection(quick) {
  const rows = quick ? 65_536 : 1_048_576; // 64 MiB / 1 GiB
  const R = quick ? 20_000 : 200_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnemo-field-bench-'));
  try {
    const tb = now();
    build(dir, rows);
    const buildMs = now() - tb;
    const f0 = Field.open(dir, { readOnly: true, backend: BACKEND });
    const chunkBytes = f0.chunkBytes;
    f0.close();
    const files = chunkFiles(dir);
    const raw = rawReader(dir, chunkBytes);
    const f = Field.open(dir, { readOnly: true, backend: BACKEND });
    raw.scan(rows * ROW_BYTES, () => {}); // warm the page cache
    for (let i = 0; i < rows; i++) f.row(i); // map every chunk
    const rr = randomRows(f, raw, rows, R, 42);
    const sc = scans(f, raw, rows, quick ? 5 : 7);
    const fOff = Field.open(dir, { readOnly: true, prefetch: false, backend: BACKEND });
    for (let i = 0; i < rows; i++) fOff.row(i);
    const warmPf = rounds(5, {
      on: () => randomRowsOnce(f, rows, R),
      off: () => randomRowsOnce(fOff, rows, R),
    });
    fOff.close();
    f.close();
    const pf = prefetchSection(dir, files, rows, quick ? 2 : 3);
    const rawCold = [coldRaw(raw, files, rows * ROW_BYTES), coldRaw(raw, files, rows * ROW_BYTES)];
    raw.close();
    return render({ quick, rows, R, chunkBytes, files: files.length, buildMs, rr, sc, warmPf, pf, rawCold });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function randomRowsOnce(f, rows, R) {
  const r = rng(7);
  let s = 0;
  for (let k = 0; k < R; k++) s += sumRow(f.row(Math.floor(r() * rows)));
  return s;
}

function render(x) {
  const mib = (x.rows * ROW_BYTES) / 2 ** 20;
  const perOp = (ms) => (ms * 1e6) / x.R / 1000; // µs
  const r = x.rr.res;
  const ratio = (a, b) => median(r[a]) / median(r[b]);
  const ratioBest = (a, b) => best(r[a]) / best(r[b]);
  const gbs = (ms) => (x.rows * ROW_BYTES) / (ms / 1000) / 1e9;
  const s = x.sc;
  const scanRatio = gbs(median(s['Field.rows() 1 MiB blocks + sum'])) / gbs(median(s['read() 1 MiB + sum']));
  const scanBest = gbs(best(s['Field.rows() 1 MiB blocks + sum'])) / gbs(best(s['read() 1 MiB + sum']));
  const rowMed = gbs(median(s['Field.row() per row + sum'])) / gbs(median(s['read() 1 MiB + sum']));
  const rowBest = gbs(best(s['Field.row() per row + sum'])) / gbs(best(s['read() 1 MiB + sum']));
  const touchMed = gbs(median(s['Field.row() scan touch 1/row'])) / gbs(median(s['read() 1 MiB touch 1/row']));
  const touchBest = gbs(best(s['Field.row() scan touch 1/row'])) / gbs(best(s['read() 1 MiB touch 1/row']));
  const pct = (v) => `${Math.round(v * 100)}%`;
  const info = nativeInfo();
  const out = [
    '### Field (bench/field.bench.mjs)',
    '',
    `Field of ${x.rows.toLocaleString('en-US')} rows × ${COLS} f32 (1 KiB rows, ${mib} MiB, ${x.files} chunk files of ` +
      `${(x.chunkBytes / 2 ** 20).toFixed(2)} MiB), built with setRow + close in ${f1(x.buildMs / 1000)} s. ` +
      `Field backend: ${BACKEND} (@mnemo/native active: ${info.backend}). Baselines read the same chunk files with fs.readSync (pread) in the same run; ` +
      `rounds interleaved, median of rounds (best in brackets).${x.quick ? ' Quick mode.' : ''}`,
    '',
    `#### Random row reads, page cache warm (${x.R.toLocaleString('en-US')} seeded random rows per round, 7 rounds)`,
    '',
    '| operation | µs/op median | µs/op best |',
    '|---|---:|---:|',
    ...Object.keys(r).map((k) => `| ${k} | ${f2(perOp(median(r[k])))} | ${f2(perOp(best(r[k])))} |`),
    '',
    `Field.row() + sum vs pread + sum: **${f2(ratio('Field.row() + sum', 'pread + sum'))}×** the latency by medians ` +
      `(${f2(ratioBest('Field.row() + sum', 'pread + sum'))}× best-of-rounds; target ≤ 1.5×); touching one element: ` +
      `${f2(ratio('Field.row() touch 1', 'pread touch 1'))}× (${f2(ratioBest('Field.row() touch 1', 'pread touch 1'))}× best).`,
    '',
    `#### Sequential scan, page cache warm (${s['read() 1 MiB + sum'].length} rounds)`,
    '',
    '| operation | GB/s median | GB/s best |',
    '|---|---:|---:|',
    ...Object.keys(s).map((k) => `| ${k} | ${f2(gbs(median(s[k])))} | ${f2(gbs(best(s[k])))} |`),
    '',
    `Field scan (rows() in 1 MiB blocks) + sum vs read() + sum: **${pct(scanRatio)}** of the plain-read throughput by medians ` +
      `(${pct(scanBest)} best-of-rounds; target ≥ 80%). One row() call per 1 KiB row + sum: ${pct(rowMed)} by medians ` +
      `(${pct(rowBest)} best) — the per-call cost of 1M row() calls and 1M small sums. ` +
      `Touching one float per row with row(): ${pct(touchMed)} by medians (${pct(touchBest)} best).`,
    '',
    '#### Prefetch on vs off',
    '',
    'Cold = the field is closed (unmapped), every chunk file\'s page cache is dropped ' +
      '(`dd if=<chunk> iflag=nocache count=0`, posix_fadvise DONTNEED), the field is reopened and scanned once; best of the runs. ' +
      `For reference, a cold plain read() of the same files: ${f1(best(x.rawCold))} ms ` +
      `(${f2(gbs(best(x.rawCold)))} GB/s).`,
    '',
    '| workload | rows read | prefetch on ms | prefetch off ms | speed-up | predictor (last run with prefetch on) |',
    '|---|---:|---:|---:|---:|---|',
    ...x.pf,
    '',
    `Warm random rows (same ${x.R.toLocaleString('en-US')} reads + sum, predictor overhead only): on ` +
      `${f2(perOp(median(x.warmPf.on)))} µs/op, off ${f2(perOp(median(x.warmPf.off)))} µs/op.`,
    '',
  ];
  return out.join('\n');
}

// ---- MNEMO_BENCH_BIG=1: a field ≥ 2× RAM ----

async function bigSection() {
  const gb = Number(process.env.MNEMO_BENCH_BIG_GB ?? Math.ceil((2 * os.totalmem()) / 1e9) + 2);
  const rows = Math.floor((gb * 1e9) / ROW_BYTES);
  const dir = process.env.MNEMO_BENCH_BIG_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mnemo-field-big-'));
  const keep = process.env.MNEMO_BENCH_BIG_DIR !== undefined;
  try {
    let buildMs = 0;
    if (!fs.existsSync(path.join(dir, 'FIELD'))) {
      const t0 = now();
      buildBlocks(dir, rows);
      buildMs = now() - t0;
    }
    const files = chunkFiles(dir);
    const r = rng(1);
    const pick = (n) => Array.from({ length: n }, () => Math.floor(r() * rows));
    const single = pick(2000);
    const batches = Array.from({ length: 5 }, () => pick(1000).map((i) => [i, 3]));
    const res = {};
    const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
    const open = (prefetch = true) => Field.open(dir, { readOnly: true, hot: false, backend: BACKEND, prefetch });
    const singles = (label, f) => {
      const ts = [];
      for (const i of single) {
        const t0 = now();
        f.get(i, 3);
        ts.push(now() - t0);
      }
      res[label] = { p50: pct(ts, 0.5), p99: pct(ts, 0.99), mean: ts.reduce((a, b) => a + b, 0) / ts.length, batch: [] };
    };
    const timeBatch = (label, f, b) => {
      const t0 = now();
      f.batchGet(b);
      res[label].batch.push(now() - t0);
    };
    // cold: page cache dropped and a fresh Field before the singles and before each batch
    let f;
    for (const [label, prefetch] of [['cold, prefetch off', false], ['cold', true]]) {
      dropCache(files);
      f = open(prefetch);
      singles(label, f);
      f.close();
      for (const b of batches) {
        dropCache(files);
        f = open(prefetch);
        timeBatch(label, f, b);
        f.close();
      }
    }
    // warm: the same requests on a fresh Field after a throwaway Field read them (pages cached,
    // not mapped in the measuring Field); hot: the same requests again on that Field
    f = open();
    for (const i of single) f.get(i, 3);
    for (const b of batches) f.batchGet(b);
    f.close();
    f = open();
    singles('warm', f);
    for (const b of batches) timeBatch('warm', f, b);
    singles('hot', f);
    for (const b of batches) timeBatch('hot', f, b);
    f.close();
    const scanRows = Math.min(rows, Math.floor(4e9 / ROW_BYTES));
    const scan = (label) => {
      const g = Field.open(dir, { readOnly: true, backend: BACKEND });
      const t0 = now();
      let s = 0;
      for (let i = 0; i < scanRows; i++) s += g.row(i)[0];
      res[label] = { scanGBs: (scanRows * ROW_BYTES) / ((now() - t0) / 1000) / 1e9, s };
      g.close();
    };
    dropCache(files);
    scan('scanCold');
    scan('scanWarm');
    return [
      `#### Field larger than RAM (MNEMO_BENCH_BIG=1): ${gb} GB, ${rows.toLocaleString('en-US')} rows × ${COLS} f32, RAM ${f1(os.totalmem() / 2 ** 30)} GiB`,
      '',
      buildMs > 0 ? `Built with fill() per 1024-row block in ${f1(buildMs / 1000)} s.` : 'Reused an existing field directory.',
      'Cold = page cache of every chunk dropped with `dd iflag=nocache count=0` (posix_fadvise DONTNEED) and a fresh Field',
      '(before the 2,000 single gets, and before each of 5 batches of 1,000 random indices); warm = the same requests on a',
      'new Field after another Field read them (pages cached, not yet mapped); hot = the same requests once more on that Field.',
      'batchGet advises each coalesced run of requested pages (WILLNEED) before reading unless prefetch is off.',
      '',
      '| state | get() µs p50 | get() µs p99 | get() µs mean | batchGet 1K ms median of 5 | batchGet 1K ms best |',
      '|---|---:|---:|---:|---:|---:|',
      ...['cold, prefetch off', 'cold', 'warm', 'hot'].map(
        (k) =>
          `| ${k} | ${f2(res[k].p50 * 1000)} | ${f2(res[k].p99 * 1000)} | ${f2(res[k].mean * 1000)} | ` +
          `${f2(median(res[k].batch))} | ${f2(best(res[k].batch))} |`,
      ),
      '',
      `Sequential scan of the first ${f1((scanRows * ROW_BYTES) / 1e9)} GB with row(): cold ${f2(res.scanCold.scanGBs)} GB/s, ` +
        `warm ${f2(res.scanWarm.scanGBs)} GB/s.`,
      '',
    ].join('\n');
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ quick }) {
  let md = await mainSection(quick);
  if (process.env.MNEMO_BENCH_BIG === '1') md += '\n' + (await bigSection());
  else md += '\nThe larger-than-RAM run (MNEMO_BENCH_BIG=1, ≥ 2× RAM) was not part of this run.\n';
  return md;
}
