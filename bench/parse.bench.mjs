/**
 * MQL front-end benchmark: microseconds to parse (lex + parse + build the AST) typical
 * statements with `parse()` from @mnemo/query, plus lexing alone and the error path.
 * See docs/mql_grammar.md. Needs packages/query/src/index.ts to export './syntax.js'.
 */

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

/** Median of `batches` timings of `iterations` calls of f, in µs per call. */
function measureUs(f, iterations, batches = 5) {
  const times = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) f();
    times.push(Number(process.hrtime.bigint() - t0) / 1000 / iterations);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Measure with the given syntax API ({ parse, tokenize }); returns the markdown section. */
export function measure(api, { quick }) {
  const iterations = quick ? 200 : 3000;
  const rows = [];
  for (const [name, text] of STATEMENTS) {
    for (let i = 0; i < 200; i++) api.parse(text); // warm-up (JIT)
    const parseUs = measureUs(() => api.parse(text), iterations);
    const lexUs = measureUs(() => api.tokenize(text), iterations);
    rows.push(`| ${name} | ${text.length} | ${api.tokenize(text).length} | ${parseUs.toFixed(1)} | ${lexUs.toFixed(1)} |`);
  }
  const errorUs = measureUs(() => { try { api.parse(ERROR_CASE); } catch { /* expected */ } }, quick ? 100 : 1000);
  return [
    '### MQL parse time per statement',
    '',
    `\`parse(text)\` = lex + chevrotain CstParser + CST→AST (frozen nodes). Median of 5 batches of ${iterations} parses`,
    'after 200 warm-up parses, single thread. "lex" is `tokenize(text)` alone.',
    '',
    '| statement | chars | tokens | parse µs | lex µs |',
    '|---|---:|---:|---:|---:|',
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
