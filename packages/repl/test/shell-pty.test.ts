/**
 * The interactive shell driven through a real pseudo-terminal: prompt, multi-line input,
 * tab completion, Ctrl-C (cancels input, keeps the shell), history across restarts, .mode,
 * .timer, Ctrl-D exits with status 0.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PtySession } from './support/pty.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mnemo.js');
const work = mkdtempSync(path.join(tmpdir(), 'mnemo-pty-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const history = path.join(work, 'history');
const live: PtySession[] = [];
afterEach(() => {
  for (const sh of live.splice(0)) sh.kill();
});
const env = { MNEMO_HISTORY: history, NO_COLOR: '1' };

function shell(dir: string): PtySession {
  const sh = new PtySession(process.execPath, [bin, dir], env);
  live.push(sh);
  return sh;
}

describe('interactive shell on a pseudo-terminal', () => {
  it('prompts, reads multi-line statements, completes, cancels with Ctrl-C, and exits with Ctrl-D', async () => {
    const dir = path.join(work, 'db1');
    const sh = shell(dir);
    await sh.waitFor('mnemo> ');
    await sh.send("REMEMBER 'the user drinks oat milk'\r", '...> ');
    await sh.send('AS milk1;\r', /\(\d+ rows?\)[\s\S]*mnemo> /);
    // 80 columns cannot show RECALL's columns readably: records are expanded (psql's \x auto).
    await sh.send('RECALL milk1\r  NO REINFORCE;\r', /id +\| milk1[\s\S]*content +\| the user drinks oat milk[\s\S]*\(1 row\)[\s\S]*mnemo> /);

    // Tab completion of a keyword and of a memory id.
    await sh.send('RECA\t', 'RECALL');
    await sh.send(' mil\t', 'milk1');
    await sh.send(' NO REINFORCE;\r', /\(1 row\)[\s\S]*mnemo> /);

    // Ctrl-C cancels the pending multi-line input, not the shell.
    await sh.send('RECALL *\r', '...> ');
    await sh.send('\x03', /\^C[\s\S]*mnemo> /);
    await sh.send('.mode line\r', 'mnemo> ');
    await sh.send('RECALL milk1 NO REINFORCE;\r', /id = milk1[\s\S]*mnemo> /);
    await sh.send('.timer on\r', 'mnemo> ');
    await sh.send('.mode table\r', 'mnemo> ');
    await sh.send('RECALL milk1 NO REINFORCE;\r', /\(1 row, \d+\.\d ms\)/);
    sh.type('\x04');
    expect(await sh.exited).toBe(0);
    expect(readFileSync(history, 'utf8')).toContain('RECALL milk1 NO REINFORCE;');
  });

  it('keeps history across restarts (arrow up recalls the previous session)', async () => {
    const sh = shell(path.join(work, 'db1'));
    await sh.waitFor('mnemo> ');
    // The newest entry of the previous session comes first, then the one before it.
    await sh.send('\x1b[A', 'RECALL milk1 NO REINFORCE;');
    await sh.send('\x1b[A', '.mode table');
    await sh.send('\x1b[B', 'RECALL milk1 NO REINFORCE;');
    await sh.send('\r', /\(1 row\)/);
    await sh.send('.quit\r', '');
    expect(await sh.exited).toBe(0);
  });
});
