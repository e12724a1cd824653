import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../src/cli/args.js';
import { splitStatements, isOnlyComments, positionOf } from '../src/cli/splitter.js';
import { ProgressBar } from '../src/cli/progress.js';

describe('parseArgs', () => {
  it('reads dir, repeated -c, -f, --json, --bail', () => {
    const a = parseArgs(['db', '-c', 'SHOW SPACES', '-c', 'RECALL *', '-f', 'x.mql', '--json', '--bail']);
    expect(a).toMatchObject({ dir: 'db', commands: ['SHOW SPACES', 'RECALL *'], files: ['x.mql'], mode: 'json', bail: true });
  });
  it('accepts --mode=csv and --durability off', () => {
    expect(parseArgs(['--mode=csv', '--durability', 'off'])).toMatchObject({ mode: 'csv', durability: 'off' });
  });
  it('rejects unknown options, bad modes, missing values and two dirs', () => {
    expect(() => parseArgs(['--frobnicate'])).toThrow(UsageError);
    expect(() => parseArgs(['--mode', 'xml'])).toThrow(/unknown mode 'xml'/);
    expect(() => parseArgs(['-c'])).toThrow(/-c needs a value/);
    expect(() => parseArgs(['a', 'b'])).toThrow(/only one database directory/);
  });
});

describe('splitStatements', () => {
  it('splits at top-level semicolons only', () => {
    const input = "REMEMBER 'a; b'; RECALL `x;y` -- c;\n; /* ; */ SHOW SPACES; RECALL";
    const r = splitStatements(input);
    expect(r.statements.map((s) => s.text)).toEqual(["REMEMBER 'a; b';", 'RECALL `x;y` -- c;\n;', '/* ; */ SHOW SPACES;']);
    for (const s of r.statements) expect(input.slice(s.start, s.start + s.text.length)).toBe(s.text);
    expect(r.rest).toBe(' RECALL');
  });
  it('handles escaped quotes and unterminated input', () => {
    expect(splitStatements("REMEMBER 'it\\'s; fine';").statements.map((s) => s.text)).toEqual(["REMEMBER 'it\\'s; fine';"]);
    expect(splitStatements("REMEMBER 'open; string").statements).toEqual([]);
  });
  it('maps offsets to 0-based line and column', () => {
    expect(positionOf('ab\ncd\nef', 4)).toEqual({ line: 1, column: 1 });
    expect(positionOf('abc', 0)).toEqual({ line: 0, column: 0 });
  });
  it('drops comment-only statements', () => {
    expect(splitStatements('-- nothing\n;').statements).toEqual([]);
    expect(isOnlyComments('/* a */ -- b')).toBe(true);
    expect(isOnlyComments('/* a */ RECALL')).toBe(false);
  });
});

describe('ProgressBar', () => {
  it('draws only on a TTY and throttles redraws', () => {
    const out: string[] = [];
    let t = 0;
    const bar = new ProgressBar('import', 10, { isTTY: true, columns: 80, write: (s) => (out.push(s), true) }, () => t);
    bar.update(1);
    bar.update(2); // within 100 ms: skipped
    t = 200;
    bar.update(10);
    expect(out.length).toBe(2);
    expect(out[1]).toContain('100% 10/10');
    const silent: string[] = [];
    const off = new ProgressBar('x', 5, { isTTY: false, write: (s) => (silent.push(s), true) });
    off.update(5);
    off.finish();
    expect(silent).toEqual([]);
  });
});
