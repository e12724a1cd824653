/**
 * Parser fuzz test (docs/mql_grammar.md §3, §5): ≥ 100,000 seeded inputs — random text, token
 * soup, mutated grammar-generated statements, 10,000-deep nesting and ~1 MB literals. Every input
 * either parses (and then round-trips through the printer) or throws an MqlSyntaxError with code
 * PARSE_ERROR / LIMIT_EXCEEDED and a valid position; none crashes or takes too long.
 * MNEMO_FUZZ_LONG=1 runs ten times as many inputs.
 */
import { describe, expect, it } from 'vitest';
import { MnemoError } from '@mnemo/engine';
import { MqlSyntaxError, parse, print } from '../src/syntax.js';
import { deepInputs, hugeInputs, mutatedStatement, randomText, tokenSoup } from './support/fuzz-inputs.js';
import { Rng } from '@mnemo/engine';
import { StatementGen } from './support/random-statements.js';
import { stripSpans } from './support/strip.js';

const SCALE = process.env.MNEMO_FUZZ_LONG === '1' ? 10 : 1;
/** Generous per-input time bounds: they catch hangs, not slowness. */
const SMALL_INPUT_MS = 1_000;
const HUGE_INPUT_MS = 15_000;

interface Tally { ok: number; failed: number; slowest: number }

/** Line and column of `offset`, computed independently of the parser. */
function lineColumn(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  const breaks = before.match(/\r\n|\r|\n/g) ?? [];
  const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return [breaks.length + 1, offset - lastBreak];
}

function check(text: string, tally: Tally, boundMs: number, roundTrip = true): void {
  const t0 = performance.now();
  let script;
  try {
    script = parse(text);
  } catch (e) {
    const ms = performance.now() - t0;
    tally.slowest = Math.max(tally.slowest, ms);
    if (!(e instanceof MqlSyntaxError) || !(e instanceof MnemoError)) {
      throw new Error(`non-MQL error for ${JSON.stringify(text.slice(0, 200))}: ${(e as Error)?.stack ?? String(e)}`);
    }
    if (e.code !== 'PARSE_ERROR' && e.code !== 'LIMIT_EXCEEDED') throw new Error(`bad code ${e.code}`);
    if (!(e.offset >= 0 && e.offset <= text.length)) throw new Error(`offset ${e.offset} out of range for ${JSON.stringify(text.slice(0, 200))}`);
    const [line, column] = lineColumn(text, e.offset);
    if (e.line !== line || e.column !== column) {
      throw new Error(`position ${e.line}:${e.column}, want ${line}:${column} for ${JSON.stringify(text.slice(0, 200))}`);
    }
    if (ms > boundMs) throw new Error(`${ms.toFixed(0)} ms for ${JSON.stringify(text.slice(0, 100))}`);
    tally.failed++;
    return;
  }
  const ms = performance.now() - t0;
  tally.slowest = Math.max(tally.slowest, ms);
  if (ms > boundMs) throw new Error(`${ms.toFixed(0)} ms for ${JSON.stringify(text.slice(0, 100))}`);
  tally.ok++;
  if (roundTrip) {
    const again = parse(print(script));
    expect(stripSpans(again), text).toEqual(stripSpans(script));
  }
}

const tally = (): Tally => ({ ok: 0, failed: 0, slowest: 0 });

describe('parser fuzz', () => {
  it(`random text: ${35_000 * SCALE} inputs`, () => {
    const r = new Rng(1);
    const t = tally();
    for (let i = 0; i < 35_000 * SCALE; i++) check(randomText(r, 60), t, SMALL_INPUT_MS);
    expect(t.ok + t.failed).toBe(35_000 * SCALE);
    expect(t.failed).toBeGreaterThan(t.ok);
  });

  it(`token soup: ${35_000 * SCALE} inputs`, () => {
    const r = new Rng(2);
    const t = tally();
    for (let i = 0; i < 35_000 * SCALE; i++) check(tokenSoup(r), t, SMALL_INPUT_MS);
    expect(t.ok + t.failed).toBe(35_000 * SCALE);
  });

  it(`grammar-generated statements with mutations: ${30_000 * SCALE} inputs`, () => {
    const r = new Rng(3);
    const gen = new StatementGen(new Rng(4));
    const t = tally();
    for (let i = 0; i < 30_000 * SCALE; i++) {
      const { text, mutated } = mutatedStatement(r, gen);
      // An unmutated statement is valid: it must parse (check() alone would count a wrong rejection as "failed").
      if (!mutated) expect(() => parse(text), text).not.toThrow();
      check(text, t, SMALL_INPUT_MS);
    }
    expect(t.ok).toBeGreaterThan(1000);
    expect(t.failed).toBeGreaterThan(1000);
  });

  it('nesting 10,000 deep never overflows the stack', () => {
    const t = tally();
    for (const depth of [63, 64, 65, 1000, 10_000]) {
      for (const text of deepInputs(depth)) check(text, t, HUGE_INPUT_MS, false);
    }
    expect(t.failed).toBeGreaterThan(20);
  });

  it('~1 MB literals, under and over the length limit', () => {
    const t = tally();
    for (const text of hugeInputs()) check(text, t, HUGE_INPUT_MS, false);
    expect(t.ok).toBeGreaterThanOrEqual(4);
    expect(t.failed).toBeGreaterThanOrEqual(4);
  });
});
