/**
 * Drives a program on a real pseudo-terminal (through test/support/pty-run.py): type keys, wait
 * for text to appear on the screen, read everything printed. ANSI escapes are kept in `raw` and
 * stripped in `text`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\r/g;

export class PtySession {
  raw = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<number>;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn('python3', [path.join(here, 'pty-run.py'), command, ...args], {
      env: { ...process.env, TERM: 'xterm-256color', ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code ?? -1)));
  }

  get text(): string {
    return this.raw.replace(ANSI, '');
  }

  type(keys: string): void {
    this.child.stdin!.write(keys);
  }

  /** Wait until the screen text (after position `from`) matches. */
  async waitFor(pattern: RegExp | string, timeoutMs = 15_000, from = 0): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const test = (): boolean => {
      const t = this.text.slice(from);
      return typeof pattern === 'string' ? t.includes(pattern) : pattern.test(t);
    };
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; screen:\n${this.text.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Type `keys` and wait for `pattern` to appear in what is printed after them. */
  async send(keys: string, pattern: RegExp | string, timeoutMs?: number): Promise<string> {
    const from = this.text.length;
    this.type(keys);
    await this.waitFor(pattern, timeoutMs, from);
    return this.text.slice(from);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
