/**
 * Persistent shell history: one entry per line in a file (default ~/.mnemo_history, or
 * $MNEMO_HISTORY), newest last, capped. Multi-line statements are stored with their newlines
 * escaped so one entry stays one line.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const HISTORY_LIMIT = 1000;

export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.MNEMO_HISTORY ?? path.join(homedir(), '.mnemo_history');
}

const escape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const unescape = (s: string): string => s.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));

/** Entries, newest FIRST (the order node:readline expects). Missing file → empty. */
export function loadHistory(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l.length > 0).map(unescape).reverse().slice(0, HISTORY_LIMIT);
}

export function appendHistory(file: string, entry: string): void {
  if (entry.trim() === '') return;
  try {
    appendFileSync(file, `${escape(entry)}\n`, { mode: 0o600 });
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
    if (lines.length > HISTORY_LIMIT * 2) writeFileSync(file, `${lines.slice(-HISTORY_LIMIT).join('\n')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience: an unwritable home directory must not break the shell.
  }
}
