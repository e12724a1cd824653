import { describe, expect, it } from 'vitest';
import { formatResult, formatAge, formatTime, formatVector, truncate, displayWidth } from '../src/format/index.js';
import { fitWidths } from '../src/format/table.js';
import type { ResultSet } from '../src/format/index.js';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const result: ResultSet = {
  columns: ['id', 'content', 'score', 'confidence', 'created'],
  rows: [
    { id: 'm1', content: 'The user prefers oat milk in coffee, every single morning before work', score: 0.93251, confidence: [0.8, 1], created: NOW - 3 * 86_400_000 },
    { id: 'm2', content: 'Budget, "Q3"\nreview', score: 0.5, confidence: [1, 1], created: NOW - 90_000 },
  ],
  stats: { rows: 2, elapsedMs: 1.234 },
};

describe('table mode', () => {
  it('fits the terminal width and truncates long content', () => {
    const text = formatResult(result, 'table', { width: 90, now: NOW, timer: true });
    const lines = text.split('\n');
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(90);
    expect(lines[0]).toMatch(/^ id +\| content +\| score +\| confidence +\| created/);
    expect(text).toContain('…');
    expect(text).toContain('[0.8, 1]');
    expect(text).toContain('0.9325');
    expect(text).toContain('3d ago');
    expect(text).toContain('⏎');
    expect(lines.at(-1)).toBe('(2 rows, 1.2 ms)');
  });

  it('right-aligns numeric columns and says "1 row"', () => {
    const text = formatResult({ columns: ['id', 'n'], rows: [{ id: 'a', n: 5 }], stats: {} }, 'table', { width: 80 });
    expect(text).toBe([' id | n', '----+---', ' a  | 5', '(1 row)'].join('\n'));
  });

  it('switches to expanded records when the columns cannot stay readable', () => {
    const wide: ResultSet = {
      columns: ['id', 'content', 'kind', 'score', 'activation', 'retention', 'confidence', 'created', 'last_access', 'access_count'],
      rows: [{ id: 'milk1', content: 'the user drinks oat milk', kind: 'episodic', score: 0.8, activation: 0, retention: 0.8, confidence: [1, 1], created: NOW, last_access: NOW, access_count: 1 }],
      stats: { elapsedMs: 2 },
    };
    const text = formatResult(wide, 'table', { width: 60, now: NOW, timer: true });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^-\[ RECORD 1 \]-*\+-+$/);
    expect(lines).toContain('id           | milk1');
    expect(lines).toContain('content      | the user drinks oat milk');
    expect(lines).toContain('confidence   | [1, 1]');
    expect(lines.at(-1)).toBe('(1 row, 2.0 ms)');
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(60);
    expect(formatResult(wide, 'table', { width: 250, now: NOW })).toMatch(/^ id +\| content +\| kind/);
  });

  it('shrinks the widest columns first', () => {
    expect(fitWidths([10, 50, 5], 40)).toEqual([10, 17, 5]);
    expect(fitWidths([3, 3], 5)).toEqual([3, 3]);
  });
});

describe('json mode', () => {
  it('prints one document with ISO times and stable fields', () => {
    const doc = JSON.parse(formatResult(result, 'json', { width: 80 }));
    expect(Object.keys(doc)).toEqual(['columns', 'rows', 'stats']);
    expect(doc.rows[0].created).toBe(new Date(NOW - 3 * 86_400_000).toISOString());
    expect(doc.rows[0].confidence).toEqual([0.8, 1]);
    expect(formatResult(result, 'json', { width: 80 })).not.toContain('\n');
  });
  it('turns Float32Array into arrays', () => {
    const doc = JSON.parse(formatResult({ columns: ['v'], rows: [{ v: new Float32Array([0.5, 1]) }], stats: {} }, 'json', { width: 80 }));
    expect(doc.rows[0].v).toEqual([0.5, 1]);
  });
});

describe('csv and line modes', () => {
  it('quotes per RFC 4180', () => {
    const text = formatResult(result, 'csv', { width: 80 });
    expect(text.split('\n')[0]).toBe('id,content,score,confidence,created');
    expect(text).toContain('"Budget, ""Q3""\nreview"');
    expect(text).toContain('"[0.8, 1]"');
  });
  it('prints column = value blocks', () => {
    const text = formatResult({ columns: ['id', 'score'], rows: [{ id: 'a', score: 1 }, { id: 'b', score: 2 }] , stats: {} }, 'line', { width: 80 });
    expect(text).toBe('   id = a\nscore = 1\n\n   id = b\nscore = 2');
  });
});

describe('ISO time strings from the query layer', () => {
  it('show as ages in tables, full stamps in line mode, unchanged in csv/json', () => {
    const r: ResultSet = { columns: ['id', 'created'], rows: [{ id: 'a', created: new Date(NOW - 2 * 86_400_000).toISOString() }], stats: {} };
    expect(formatResult(r, 'table', { width: 80, now: NOW })).toContain('2d ago');
    expect(formatResult(r, 'line', { width: 80, now: NOW })).toContain('created = 2026-11-19 12:00 UTC (2d ago)');
    expect(formatResult(r, 'csv', { width: 80 })).toContain('2026-11-19T12:00:00.000Z');
    expect(JSON.parse(formatResult(r, 'json', { width: 80 })).rows[0].created).toBe('2026-11-19T12:00:00.000Z');
  });
});

describe('values', () => {
  it('abbreviates vectors and formats times', () => {
    expect(formatVector(new Float32Array([0.1, 0.2, 0.3, 0.4]))).toBe('[0.1, 0.2, 0.3, … 4d]');
    expect(formatTime(NOW + 2 * 3_600_000, NOW)).toBe('2026-11-21 14:00 UTC (2h ahead)');
    expect(formatAge(NOW - 400 * 86_400_000, NOW)).toBe('1y ago');
    expect(formatAge(NOW, NOW)).toBe('just now');
    expect(truncate('日本語のテキスト', 7)).toBe('日本語…');
  });
});
