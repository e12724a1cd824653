import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Session } from '../src/session/session.js';
import { dotHandlers } from '../src/session/dot-commands.js';
import { parseImport } from '../src/session/import-export.js';
import { parseCsv } from '../src/session/csv-parse.js';
import type { ShellDatabase, Params } from '../src/session/types.js';

/** Records every statement; fails those containing BOOM with a typed error. */
function recordingDb(log: Array<{ text: string; params?: Params }>): ShellDatabase {
  return {
    async query(text, params) {
      log.push({ text, params });
      if (text.includes('BOOM')) throw Object.assign(new Error('boom happened'), { code: 'PARSE_ERROR' });
      if (text === 'SHOW SPACES') return { columns: ['name', 'dim', 'metric', 'decay'], rows: [{ name: 'default', dim: 256, metric: 'cosine', decay: 'ACTR(0.5, -0.7, 0.25)' }], stats: {} };
      return { columns: ['id'], rows: [{ id: 'x' }], stats: { rows: 1, elapsedMs: 0.5 } };
    },
    async close() {},
  };
}

function makeSession(log: Array<{ text: string; params?: Params }>) {
  const out: string[] = [];
  const err: string[] = [];
  const s = new Session(
    { open: async () => recordingDb(log), io: { out: (t) => out.push(t), err: (t) => err.push(t), width: () => 80, color: false, errIsTTY: false } },
    dotHandlers(),
  );
  return { s, out, err };
}

describe('Session.runScript', () => {
  it('runs multi-line statements and dot commands in order', async () => {
    const log: Array<{ text: string; params?: Params }> = [];
    const { s, out } = makeSession(log);
    await s.openDir('/tmp/x');
    const ok = await s.runScript(".mode json\nRECALL 'a;b'\n  LIMIT 2;\n.param set $q \"coffee\"\nRECALL $q; RECALL * LIMIT 1");
    expect(ok).toBe(true);
    expect(log.map((l) => l.text)).toEqual(["\nRECALL 'a;b'\n  LIMIT 2;", '\n\n\n\nRECALL $q;', '\n\n\n\n           RECALL * LIMIT 1']);
    expect(log[1]!.params).toEqual({ q: 'coffee' });
    expect(log[2]!.params).toEqual({});
    expect(JSON.parse(out[0]!)).toEqual({ columns: ['id'], rows: [{ id: 'x' }], stats: { rows: 1, elapsedMs: 0.5 } });
  });

  it('counts failures, prints code + message, and stops with bail', async () => {
    const log: Array<{ text: string; params?: Params }> = [];
    const { s, err } = makeSession(log);
    await s.openDir('/tmp/x');
    expect(await s.runScript('RECALL BOOM; RECALL *;')).toBe(false);
    expect(log.map((l) => l.text)).toEqual(['RECALL BOOM;', '             RECALL *;']);
    expect(s.failures).toBe(1);
    expect(err[0]).toBe('PARSE_ERROR: boom happened');
    expect(log.length).toBe(2);
    expect(await s.runScript('RECALL BOOM; RECALL *;', true)).toBe(false);
    expect(log.length).toBe(3);
  });

  it('prefixes EXPLAIN when .explain is on, rejects unknown dot commands, quits', async () => {
    const log: Array<{ text: string; params?: Params }> = [];
    const { s, err, out } = makeSession(log);
    await s.openDir('/tmp/x');
    await s.runScript('.explain on\nRECALL *;\n.explain off\n.frob\n.schema\n.quit\nRECALL never;');
    expect(log[0]!.text).toBe('EXPLAIN \nRECALL *;');
    expect(err).toContain("unknown command '.frob': try .help");
    expect(out).toContain('CREATE SPACE default DIM 256 METRIC COSINE DECAY ACTR(0.5, -0.7, 0.25);');
    expect(log.some((l) => l.text.includes('never'))).toBe(false);
  });

  it('reports a statement run with no database open', async () => {
    const { s, err } = makeSession([]);
    expect(await s.runStatement('RECALL *')).toBe(false);
    expect(err[0]).toBe('CLOSED: no database is open: use .open DIR');
  });
});

describe('cancelling a running statement (Ctrl-C)', () => {
  it('aborts the statement through its signal and keeps the session usable', async () => {
    const slowDb: ShellDatabase = {
      query: (_text, _params, options) =>
        new Promise((resolve, reject) => {
          const t = setTimeout(() => resolve({ columns: [], rows: [], stats: {} }), 10_000);
          options?.signal?.addEventListener('abort', () => {
            clearTimeout(t);
            reject(Object.assign(new Error('the query was cancelled'), { code: 'LIMIT_EXCEEDED' }));
          });
        }),
      async close() {},
    };
    const err: string[] = [];
    const s = new Session({ open: async () => slowDb, io: { out: () => undefined, err: (t) => err.push(t), width: () => 80, color: false, errIsTTY: false } }, dotHandlers());
    await s.openDir('/tmp/x');
    expect(s.cancel()).toBe(false);
    const running = s.runStatement('CONSOLIDATE *');
    await new Promise((r) => setTimeout(r, 10));
    expect(s.cancel()).toBe(true);
    expect(await running).toBe(false);
    expect(err).toEqual(['LIMIT_EXCEEDED: the query was cancelled']);
    expect(s.cancel()).toBe(false);
  });
});

describe('progress bars', () => {
  it('draws the bars a statement reports, on a TTY only, and clears them', async () => {
    const progressDb: ShellDatabase = {
      async query(_text, _params, options) {
        options?.onProgress?.({ task: 'consolidate', done: 0, total: 4 });
        options?.onProgress?.({ task: 'consolidate', done: 4, total: 4 });
        options?.onProgress?.({ task: 'index build', done: 1, total: 0 });
        return { columns: [], rows: [], stats: {} };
      },
      async close() {},
    };
    for (const tty of [true, false]) {
      const err: string[] = [];
      const s = new Session(
        { open: async () => progressDb, io: { out: () => undefined, err: (t) => err.push(t), width: () => 80, color: false, errIsTTY: tty } },
        dotHandlers(),
      );
      await s.openDir('/tmp/x');
      expect(await s.runStatement('CONSOLIDATE *')).toBe(true);
      if (tty) {
        expect(err.some((t) => t.includes('consolidate [') && t.includes('100% 4/4'))).toBe(true);
        expect(err.some((t) => t.includes('index build … 1 done'))).toBe(true);
        expect(err.at(-1)).toBe('\r\x1b[2K');
      } else {
        expect(err).toEqual([]);
      }
    }
  });
});

describe('.import parsing', () => {
  it('reads JSON lines and reports the bad line', () => {
    expect(parseImport('{"content":"a","id":"x"}\n\n{"content":"b","embedding":[1,2]}\n', 'f.jsonl')).toEqual([
      { content: 'a', id: 'x' },
      { content: 'b', embedding: [1, 2] },
    ]);
    expect(() => parseImport('{"content":"a"}\n{oops', 'f.jsonl')).toThrow(/f.jsonl:2: not valid JSON/);
    expect(() => parseImport('{"id":"a"}', 'f.jsonl')).toThrow(/string "content"/);
  });
  it('reads CSV with quoted fields and JSON cells', () => {
    const recs = parseImport('id,content,confidence,meta\nm1,"hello, ""world""\nagain",0.5,"{""a"":1}"\n', 'f.csv');
    expect(recs).toEqual([{ id: 'm1', content: 'hello, "world"\nagain', confidence: 0.5, meta: { a: 1 } }]);
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(() => parseCsv('"open')).toThrow(/not closed/);
  });
  it('.read runs a file', async () => {
    const log: Array<{ text: string; params?: Params }> = [];
    const { s } = makeSession(log);
    await s.openDir('/tmp/x');
    const dir = mkdtempSync(path.join(tmpdir(), 'mnemo-repl-'));
    writeFileSync(path.join(dir, 's.mql'), 'RECALL a;\nRECALL b');
    try {
      await s.runScript(`.read ${path.join(dir, 's.mql')}`);
      expect(log.map((l) => l.text)).toEqual(['RECALL a;', '\nRECALL b']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
