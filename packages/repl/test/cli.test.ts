/**
 * CLI golden tests: the built `mnemo` command run as a child process with -c, -f, stdin, --json,
 * --mode, --bail; exit codes; errors on stderr with code, position and caret.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mnemo.js');
const work = mkdtempSync(path.join(tmpdir(), 'mnemo-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function mnemo(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { input: input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function db(name: string): string {
  return path.join(work, name);
}

describe('mnemo -c / -f / stdin', () => {
  it('runs repeated -c statements in order and prints tables', () => {
    const d = db('c');
    const r = mnemo([d, '-c', "REMEMBER 'the user likes oat milk in coffee' AS m1", '-c', "RECALL 'oat milk' LIMIT 1 NO REINFORCE"]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ id +\| content/);
    expect(r.out).toContain('the user likes oat milk in coffee');
    expect(r.out).toMatch(/\(1 row\)/);
  });

  it('--json prints one parseable document per statement with stable fields', () => {
    const d = db('json');
    const r = mnemo([d, '--json', '-c', "REMEMBER 'alpha' AS a1; REMEMBER 'beta' AS b1", '-c', 'RECALL * ORDER BY id ASC NO REINFORCE']);
    expect(r.code).toBe(0);
    const docs = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(docs.length).toBe(3);
    for (const doc of docs) expect(Object.keys(doc)).toEqual(['columns', 'rows', 'stats']);
    expect(docs[0].stats.ids).toEqual(['a1']);
    const recall = docs[2];
    expect(recall.rows.map((x: { id: string }) => x.id)).toEqual(['a1', 'b1']);
    for (const col of ['id', 'content', 'kind', 'score', 'activation', 'retention', 'confidence', 'created', 'last_access', 'access_count']) {
      expect(recall.columns).toContain(col);
    }
    expect(recall.rows[0].confidence).toEqual([1, 1]);
    expect(recall.rows[0].created).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('runs a -f script and statements piped on stdin', () => {
    const d = db('f');
    const script = path.join(work, 'script.mql');
    writeFileSync(script, "-- a script\nREMEMBER 'first memory'\n  AS f1;\n.mode csv\nRECALL * NO REINFORCE;\n");
    const r = mnemo([d, '-f', script]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^id,content,/m);
    expect(r.out).toContain('f1,first memory,');
    const piped = mnemo([d, '--mode', 'line'], 'RECALL f1 NO REINFORCE;');
    expect(piped.code).toBe(0);
    expect(piped.out).toMatch(/^\s*id = f1$/m);
  });

  it('reports errors on stderr with code, position and caret, and exits non-zero', () => {
    const d = db('err');
    const r = mnemo([d, '-c', 'RECALL ;', '-c', "REMEMBER 'still runs' AS s1"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('PARSE_ERROR');
    expect(r.err).toMatch(/line 1, column 8/);
    expect(r.err).toMatch(/RECALL ;\n\s+\^/);
    expect(r.out).toMatch(/\(\d+ rows?\)/);
    const json = mnemo([d, '--json', '-c', 'RECALL ;']);
    expect(json.code).toBe(1);
    expect(json.out).toBe('');
    expect(json.err).toMatch(/^PARSE_ERROR: line 1, column 8: [^\n]*\n\s+RECALL ;\n\s+\^/);
    const typo = mnemo([d, '-c', "RECAL 'x'"]);
    expect(typo.err).toMatch(/did you mean RECALL/i);
  });

  it('--bail stops at the first failure', () => {
    const d = db('bail');
    const r = mnemo([d, '--bail', '--json', '-c', 'RECALL nope_space_stmt IN SPACE missing', '-c', "REMEMBER 'never' AS n1"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('UNKNOWN_SPACE');
    const check = mnemo([d, '--json', '-c', 'RECALL * NO REINFORCE']);
    expect(JSON.parse(check.out).rows).toEqual([]);
  });

  it('prints help and rejects bad usage with exit code 2', () => {
    const h = mnemo(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('Usage: mnemo [DIR] [options]');
    expect(h.out).toContain('default: ./mnemo-data');
    const bad = mnemo(['--mode', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("unknown mode 'xml'");
  });
});

describe('import / export round trip', () => {
  it('exports a space to JSONL and imports it into another database unchanged', () => {
    const a = db('exp-a');
    const b = db('exp-b');
    const file = path.join(work, 'dump.jsonl');
    const setup = mnemo([
      a,
      '-c',
      "REMEMBER 'coffee with oat milk' AS c1 CONFIDENCE [0.6, 0.9] KIND SEMANTIC META {\"topic\": \"food\"}",
      '-c',
      "REMEMBER 'deploy on friday' AS d1 AT '2026-01-02T03:04:05Z'",
      '-c',
      `.export ${file}`,
    ]);
    expect(setup.err).toMatch(/exported 2 memories/);
    const imp = mnemo([b, '-c', `.import ${file}`, '--json', '-c', 'RECALL * ORDER BY id ASC NO REINFORCE']);
    expect(imp.code).toBe(0);
    const rows = JSON.parse(imp.out.trim().split('\n').at(-1)!).rows;
    expect(rows.map((r: { id: string }) => r.id)).toEqual(['c1', 'd1']);
    expect(rows[0]).toMatchObject({ content: 'coffee with oat milk', kind: 'semantic', confidence: [0.6, 0.9] });
    expect(rows[1].created).toBe('2026-01-02T03:04:05.000Z');
    const orig = JSON.parse(mnemo([a, '--json', '-c', 'DESCRIBE c1']).out).rows[0];
    const copy = JSON.parse(mnemo([b, '--json', '-c', 'DESCRIBE c1']).out).rows[0];
    expect(copy.embedding).toEqual(orig.embedding);
    expect(copy.meta).toEqual({ topic: 'food' });
  });
});
