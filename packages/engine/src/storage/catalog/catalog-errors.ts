/**
 * Translate better-sqlite3 errors into MnemoError codes: a damaged catalog file is CORRUPTION,
 * a locked one BUSY, a read-only one READ_ONLY, anything else from the OS IO_ERROR.
 */
import { MnemoError } from '@mnemo/native';

export function catalogError(e: unknown, file: string, action: string): MnemoError {
  if (e instanceof MnemoError) return e;
  const code = String((e as { code?: unknown })?.code ?? '');
  const msg = (e as Error)?.message ?? String(e);
  const details = { path: file, sqlite: code };
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new MnemoError('CORRUPTION', `catalog ${file} is corrupt (${msg}); restore it from a backup`, details, { cause: e });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new MnemoError('BUSY', `catalog ${file} is locked by another connection (${msg})`, details, { cause: e });
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new MnemoError('READ_ONLY', `catalog ${file} is read-only: ${action}`, details, { cause: e });
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new MnemoError('INVALID_ARGUMENT', `catalog ${action}: ${msg}`, details, { cause: e });
  }
  return new MnemoError('IO_ERROR', `catalog ${file}: ${action} failed: ${msg}`, details, { cause: e });
}

/** Parse JSON stored in the catalog; unparsable text means the file was damaged. */
export function parseStoredJson(text: unknown, file: string, what: string): unknown {
  try {
    return JSON.parse(String(text));
  } catch (e) {
    throw new MnemoError('CORRUPTION', `catalog ${file}: ${what} is not valid JSON; restore it from a backup`, { path: file }, { cause: e });
  }
}
