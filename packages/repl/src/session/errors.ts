/**
 * Turns any thrown value into the text the shell prints on stderr: MnemoError's own format()
 * (code, position, caret) when available, else `CODE: message`.
 */

interface Formattable {
  code?: unknown;
  message?: unknown;
  format?: () => string;
}

export function formatError(e: unknown): string {
  const err = e as Formattable;
  if (err && typeof err.format === 'function') return err.format();
  const code = typeof err?.code === 'string' ? err.code : 'INTERNAL';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return `${code}: ${message}`;
}

/** The error as a JSON object for --json mode's stderr. */
export function errorJson(e: unknown): Record<string, unknown> {
  const err = e as Formattable & { toJSON?: () => Record<string, unknown> };
  if (err && typeof err.toJSON === 'function') return { error: err.toJSON() };
  return { error: { code: typeof err?.code === 'string' ? err.code : 'INTERNAL', message: String(err?.message ?? e) } };
}
