/**
 * The interactive shell on a terminal: prompt `mnemo> ` (continuation `   ...> `), multi-line
 * input until `;`, persistent history, tab completion, Ctrl-C cancels the current input or the
 * running statement (never the shell), Ctrl-D or .quit exits.
 */
import readline from 'node:readline';
import { isOnlyComments, positionOf, splitStatements } from '../cli/splitter.js';
import { appendHistory, loadHistory } from './history.js';
import { complete, type CompletionSource } from './completion.js';
import type { Session } from '../session/session.js';

export interface InteractiveOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  historyFile: string;
  color: boolean;
  completion: CompletionSource;
  /** Called after each statement and dot command (e.g. to mark completion data stale). */
  afterStatement?: () => void;
  banner?: string;
}

const PROMPT = 'mnemo> ';
const CONTINUE = '   ...> ';

export async function runInteractive(session: Session, opts: InteractiveOptions): Promise<void> {
  const rl = readline.createInterface({
    input: opts.input,
    output: opts.output,
    terminal: true,
    history: loadHistory(opts.historyFile),
    historySize: 1000,
    removeHistoryDuplicates: true,
    // Async form: completion data is refreshed on Tab only when a statement made it stale.
    completer: (line: string, done: (err: null, result: [string[], string]) => void) => {
      const finish = (): void => done(null, complete(line, opts.completion));
      (opts.completion.prepare?.() ?? Promise.resolve()).then(finish, finish);
    },
  });
  const paint = (text: string): string => (opts.color ? `\x1b[1;36m${text}\x1b[0m` : text);
  let pending = '';
  let busy = false;
  const prompt = (): void => {
    rl.setPrompt(paint(isOnlyComments(pending) ? PROMPT : CONTINUE));
    rl.prompt();
  };

  rl.on('SIGINT', () => {
    if (busy && session.cancel()) {
      opts.output.write('\n(cancelling the running statement)\n');
      return;
    }
    if (!isOnlyComments(pending) || rl.line.length > 0) {
      pending = '';
      opts.output.write('^C\n');
      rl.write(null, { ctrl: true, name: 'u' });
    } else {
      opts.output.write('\n(use .quit or Ctrl-D to exit)\n');
    }
    prompt();
  });

  if (opts.banner) opts.output.write(`${opts.banner}\n`);
  prompt();
  for await (const line of rl) {
    if (isOnlyComments(pending) && line.trim().startsWith('.')) {
      appendHistory(opts.historyFile, line.trim());
      busy = true;
      await session.runDot(line);
      busy = false;
      opts.afterStatement?.();
      if (session.quitRequested) break;
      prompt();
      continue;
    }
    pending += `${line}\n`;
    const { statements, rest } = splitStatements(pending);
    for (const s of statements) {
      appendHistory(opts.historyFile, s.text);
      busy = true;
      await session.runStatement(s.text, positionOf(pending, s.start));
      busy = false;
      opts.afterStatement?.();
    }
    pending = statements.length > 0 ? rest.replace(/^\s*\n/, '') : pending;
    if (statements.length > 0 && isOnlyComments(pending)) pending = '';
    prompt();
  }
  rl.close();
}
