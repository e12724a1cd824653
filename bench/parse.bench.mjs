/**
 * MQL front-end benchmark: microseconds to parse (lex + parse + build the AST) typical
 * statements with `parse()` from @mnemo/query, plus lexing alone and the error path.
 * See docs/mql_grammar.md. Needs packages/query/src/index.ts to export './syntax.js'.
 */

import os from 'node:os';

const vector = (n) => `[${Array.from({ length: n }, (_, i) => ((i * 37) % 200) / 100 - 1).join(', ')}]`;

export const STATEMENTS = [
  ['RECALL text', "RECALL 'coffee' LIMIT 5"],
  ['RECALL, all clauses', "RECALL $q IN SPACE notes WHERE created > NOW - 7d AND kind = 'episodic' AND meta.tags CONTAINS 'work' CONFIDENCE >= 0.5 ORDER BY score DESC LIMIT 10 NO REINFORCE"],
  ['REMEMBER, 8-d vector + meta', `REMEMBER 'met Ana for coffee' AS m1 EMBEDDING ${vector(8)} CONFIDENCE [0.6, 0.9] AT NOW KIND EPISODIC META {"tags": ["social", "coffee"], "place": "Lisbon"}`],
  ['REMEMBER, 384-d vector', `REMEMBER 'long embedding' EMBEDDING ${vector(384)}`],
  ['SPREAD', 'SPREAD FROM m1, m2 IN SPACE notes MAX_HOPS 3 DECAY 0.5 THRESHOLD 0.01 LIMIT 20'],
  ['PREDICT', "PREDICT 'next' GIVEN m1, m2 HORIZON 2h CONFIDENCE > 0.4 LIMIT 3"],
  ['CONSOLIDATE', "CONSOLIDATE WHERE kind = 'episodic' AND created < NOW - 1d INTO summary SIMILARITY 0.8 MIN_SIZE 3 SCHEDULER INTERVAL 1h"],
  ['CREATE SPACE', 'CREATE SPACE notes DIM 384 METRIC COSINE DECAY ACTR(0.5, -0.5, 0.25) IF NOT EXISTS'],
  ['ASSOCIATE', 'ASSOCIATE a WITH b KIND causes WEIGHT 0.5 CONFIDENCE 0.9 BIDIRECTIONAL'],
];
const ERROR_CASE = "RECAL 'coffee' LIMIT 5";

/**
 * Median of `batches` timings of `iterations` calls of f, in µs per call: wall-clock time, and the
 * process's CPU time (user + system), which a busy machine inflates far less than the wall clock.
 */
function measure2(f, iterations, batches = 5) {
  const wall = [];
  const cpu = [];
  for (let b = 0; b < batches; b++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) f();
    wall.push(Number(process.hrtime.bigint() - t0) / 1000 / iterations);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / iterations);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wall: median(wall), cpu: median(cpu) };
}

const measureUs = (f, iterations, batches) => measure2(f, iterations, batches).wall;

/** Measure with the given syntax API ({ parse, tokenize }); returns the markdown section. */
export function measure(api, { quick }) {
  const iterations = quick ? 200 : 3000;
  const rows = [];
  for (const [name, text] of STATEMENTS) {
    for (let i = 0; i < 200; i++) api.parse(text); // warm-up (JIT)
    const parse = measure2(() => api.parse(text), iterations);
    const lex = measure2(() => api.tokenize(text), iterations);
    rows.push(`| ${name} | ${text.length} | ${api.tokenize(text).length} | ${parse.wall.toFixed(1)} | ${parse.cpu.toFixed(1)} | ${lex.wall.toFixed(1)} | ${lex.cpu.toFixed(1)} |`);
  }
  const errorUs = measureUs(() => { try { api.parse(ERROR_CASE); } catch { /* expected */ } }, quick ? 100 : 1000);
  return [
    '### MQL parse time per statement',
    '',
    `\`parse(text)\` = lex + chevrotain CstParser + CST→AST (frozen nodes). Median of 5 batches of ${iterations} parses`,
    'after 200 warm-up parses, single thread. "lex" is `tokenize(text)` alone. "wall" is elapsed time, "CPU" the',
    `process's user + system time over the same batches (on a busy machine the wall clock includes waiting for a core).`,
    `Load average (1, 5, 15 min) at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}.`,
    '',
    '| statement | chars | tokens | parse µs (wall) | parse µs (CPU) | lex µs (wall) | lex µs (CPU) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Error path (\`${ERROR_CASE}\` → PARSE_ERROR with "did you mean RECALL?"): ${errorUs.toFixed(1)} µs.`,
    '',
  ].join('\n');
}

export async function run({ quick }) {
  const api = await import('@mnemo/query');
  if (typeof api.parse !== 'function' || typeof api.tokenize !== 'function') {
    throw new Error("@mnemo/query does not export parse/tokenize yet: packages/query/src/index.ts must `export * from './syntax.js'`");
  }
  return measure(api, { quick });
}
