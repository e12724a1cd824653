/**
 * What the shell needs from a database: the spec §6 host API (`query(text, params)` → result set,
 * `close()`), plus an optional abort signal so Ctrl-C can cancel a running statement.
 */
import type { ResultSet } from '../format/index.js';

export type Params = Record<string, unknown> | unknown[];

export interface ShellDatabase {
  query(
    text: string,
    params?: Params,
    options?: { signal?: AbortSignal; onProgress?: (p: { task: string; done: number; total: number }) => void },
  ): Promise<ResultSet>;
  close(): Promise<void>;
}

export type OpenDatabase = (
  dir: string,
  options: { readOnly?: boolean; durability?: 'full' | 'normal' | 'off' },
) => Promise<ShellDatabase>;

/** Where the session writes: results to `out`, errors and progress to `err`. */
export interface ShellIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Terminal width for tables. */
  width: () => number;
  /** Colour allowed (a TTY and no NO_COLOR). */
  color: boolean;
  /** stderr is a TTY: progress bars are drawn. */
  errIsTTY: boolean;
}
