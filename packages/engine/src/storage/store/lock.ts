/**
 * The database directory lock (docs/storage.md, "Files"): a writer takes an exclusive flock on
 * `<dir>/LOCK` and a second writer process gets BUSY. A read-only open takes no lock: it never
 * writes, so it cannot disturb the writer, and flock's shared mode would make the writer BUSY
 * while any reader is open (readers instead retry their open if the writer removes a file under them).
 */
import { lockFile, type FileLock } from '@mnemo/native';
import path from 'node:path';

export const LOCK_FILE = 'LOCK';

export function lockDatabase(dir: string, readOnly: boolean): FileLock | undefined {
  if (readOnly) return undefined;
  return lockFile(path.join(dir, LOCK_FILE), 'exclusive');
}
