/**
 * A shell session: the open database, output mode, timer, EXPLAIN toggle and parameters. Runs
 * scripts line by line (dot commands at the start of a line, MQL statements up to `;`), prints
 * results to `io.out` and errors (code, position, caret) to `io.err`, and counts failures.
 */
import { formatResult, type OutputMode } from '../format/index.js';
import { isOnlyComments, positionOf, splitStatements } from '../cli/splitter.js';
import { formatError } from './errors.js';
import { ParamStore } from './params.js';
import { ProgressBar } from '../cli/progress.js';
import type { OpenDatabase, ShellDatabase, ShellIO } from './types.js';

export interface SessionOptions {
  open: OpenDatabase;
  io: ShellIO;
  mode?: OutputMode;
  readOnly?: boolean;
  durability?: 'full' | 'normal' | 'off';
  /** Injectable clock for relative times in tables. */
  now?: () => number;
}

/** A dot-command handler; returns 'quit' to end the session. */
export type DotHandler = (session: Session, args: string[], raw: string) => Promise<void | 'quit'>;

export class Session {
  db: ShellDatabase | null = null;
  dir: string | null = null;
  mode: OutputMode;
  timer = false;
  explain = false;
  readonly params = new ParamStore();
  failures = 0;
  quitRequested = false;
  /** Aborts the statement running now (Ctrl-C). */
  private running: AbortController | null = null;

  constructor(
    readonly options: SessionOptions,
    private readonly dots: Map<string, DotHandler>,
  ) {
    this.mode = options.mode ?? 'table';
  }

  get io(): ShellIO {
    return this.options.io;
  }

  async openDir(dir: string): Promise<void> {
    const next = await this.options.open(dir, { readOnly: this.options.readOnly, durability: this.options.durability });
    if (this.db) await this.db.close();
    this.db = next;
    this.dir = dir;
  }

  requireDb(): ShellDatabase {
    if (!this.db) throw Object.assign(new Error('no database is open: use .open DIR'), { code: 'CLOSED' });
    return this.db;
  }

  /** Cancel the running statement, if any. Returns whether one was running. */
  cancel(): boolean {
    if (!this.running) return false;
    this.running.abort();
    return true;
  }

  /**
   * Run one MQL statement and print its result. Returns success. `at` (0-based line and column of
   * the statement in its script) pads the text so error positions match what the user typed.
   */
  async runStatement(text: string, at: { line: number; column: number } = { line: 0, column: 0 }): Promise<boolean> {
    const padded = '\n'.repeat(at.line) + ' '.repeat(at.column) + text;
    const statement = this.explain && !/^\s*(EXPLAIN|PROFILE)\b/i.test(text) ? `EXPLAIN ${padded}` : padded;
    const controller = new AbortController();
    this.running = controller;
    const bars = new Map<string, ProgressBar>();
    const onProgress = (p: { task: string; done: number; total: number }): void => {
      let bar = bars.get(p.task);
      if (!bar) bars.set(p.task, (bar = new ProgressBar(p.task, p.total, { isTTY: this.io.errIsTTY, write: (t) => (this.io.err(t), true) })));
      bar.update(p.done);
    };
    try {
      const db = this.requireDb();
      const result = await db.query(statement, this.params.forStatement(statement), { signal: controller.signal, onProgress });
      this.io.out(formatResult(result, this.mode, { width: this.io.width(), now: this.options.now?.(), timer: this.timer }));
      if (this.timer && this.mode !== 'table') this.io.err(`time: ${(result.stats.elapsedMs ?? 0).toFixed(1)} ms`);
      return true;
    } catch (e) {
      this.failures++;
      // Every mode (JSON too) reports errors on stderr as code, position and caret (spec §6);
      // stdout keeps exactly one JSON document per successful statement.
      this.io.err(formatError(e));
      return false;
    } finally {
      for (const bar of bars.values()) bar.finish();
      this.running = null;
    }
  }

  /** Run a dot command line such as `.mode json`. Returns success. */
  async runDot(line: string): Promise<boolean> {
    const raw = line.trim();
    const [name, ...args] = raw.split(/\s+/);
    const handler = this.dots.get(name!.slice(1).toLowerCase());
    if (!handler) {
      this.failures++;
      this.io.err(`unknown command '${name}': try .help`);
      return false;
    }
    try {
      if ((await handler(this, args, raw.slice(name!.length).trim())) === 'quit') this.quitRequested = true;
      return true;
    } catch (e) {
      this.failures++;
      this.io.err(formatError(e));
      return false;
    }
  }

  /**
   * Run a whole script. Dot commands are recognised at the start of a line when no statement is
   * pending; a final statement may omit its `;`. With `bail`, stops at the first failure.
   */
  async runScript(text: string, bail = false): Promise<boolean> {
    let pending = '';
    let pendingStart = 0; // offset of `pending` in `text`
    let lineStart = 0;
    let ok = true;
    for (const line of text.split('\n')) {
      const lineEnd = lineStart + line.length;
      if (this.quitRequested) return ok;
      if (isOnlyComments(pending) && line.trim().startsWith('.')) {
        pending = '';
        ok = (await this.runDot(line.replace(/\r$/, ''))) && ok;
        if (!ok && bail) return false;
      } else {
        if (isOnlyComments(pending)) {
          pending = '';
          pendingStart = lineStart;
        }
        pending += `${line}\n`;
        const { statements, rest } = splitStatements(pending);
        for (const s of statements) {
          ok = (await this.runStatement(s.text, positionOf(text, pendingStart + s.start))) && ok;
          if (!ok && bail) return false;
        }
        pendingStart += pending.length - rest.length;
        pending = rest;
      }
      lineStart = lineEnd + 1;
    }
    if (!isOnlyComments(pending) && !this.quitRequested) {
      const lead = pending.length - pending.trimStart().length;
      ok = (await this.runStatement(pending.trim(), positionOf(text, pendingStart + lead))) && ok;
    }
    return ok;
  }

  async close(): Promise<void> {
    if (this.db) await this.db.close();
    this.db = null;
  }
}
