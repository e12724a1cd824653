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
