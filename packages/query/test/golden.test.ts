/**
 * Golden scripts: every `test/golden/NNN-name.mql` runs statement by statement against a fresh
 * database (durability off, injected clock starting 2024-01-01T00:00:00Z), and the output must
 * equal `NNN-name.expected`: per statement a `> statement` line, then its columns and rows as JSON
 * lines, or `! CODE: message` for an error. A line `-- @advance 30d` in a script moves the clock (and
 * separates independently parsed chunks, so `-- @advance 0s` isolates a parse error).
 * Volatile values (elapsed times, directories) are masked. MNEMO_GOLDEN_UPDATE=1 rewrites the
 * expected files (review the diff before committing).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MnemoError, print } from '../src/index.js';
import { freshDb } from './helpers/db.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function mask(key: string, v: unknown): unknown {
  if (v instanceof Float32Array) return `F32[${v.length}]`;
  if (key === 'time_ms' || key === 'elapsedMs') return '<ms>';
  if (key === 'value' && typeof v === 'string' && v.includes('mnemo-query-')) return '<dir>';
  return v;
}

async function runScript(text: string): Promise<string> {
  const t = await freshDb();
  const out: string[] = [];
  try {
    const chunks = text.split(/^--\s*@advance\s+(\d+)(ms|s|m|h|d|w)\s*$/m);
    for (let i = 0; i < chunks.length; i += 3) {
      if (i > 0) t.clock.now += Number(chunks[i - 2]) * (UNIT[chunks[i - 1] as string] as number);
      let statements;
      try {
        statements = t.db.parse(chunks[i] as string);
      } catch (e) {
        if (!(e instanceof MnemoError)) throw e;
        out.push(`! ${e.format()}`);
        continue;
      }
      for (const s of statements) {
        out.push(`> ${print(s)}`);
        try {
          const r = await t.db.run([s], undefined);
          out.push(JSON.stringify(r.columns));
          for (const row of r.rows) out.push(JSON.stringify(row, mask));
        } catch (e) {
          if (!(e instanceof MnemoError)) throw e;
          out.push(`! ${e.code}: ${e.message}`);
        }
      }
    }
  } finally {
    await t.cleanup();
  }
  return out.join('\n') + '\n';
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.mql')).sort();

describe('golden MQL scripts', () => {
  it('has at least 40 scripts', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });
  for (const f of files) {
    it(f, async () => {
      const actual = await runScript(readFileSync(path.join(DIR, f), 'utf8'));
      const expFile = path.join(DIR, f.replace(/\.mql$/, '.expected'));
      if (process.env.MNEMO_GOLDEN_UPDATE === '1') writeFileSync(expFile, actual);
      expect(actual).toBe(readFileSync(expFile, 'utf8'));
    });
  }
});
