/**
 * fsyncDir(path): make creates, renames and unlinks inside a directory durable (open it
 * O_RDONLY|O_DIRECTORY, fsync, close). An error is IO_ERROR with the errno and must be treated
 * as fatal by the caller. docs/native_api.md "fsyncDir".
 */
import { addon } from './addon.js';
import { fromSystemError } from './errors.js';
import { jsFsyncDir } from './js/fsync.js';
import { assertPath } from './validate.js';

export function fsyncDir(path: string): void {
  assertPath(path);
  if (addon === null) return jsFsyncDir(path);
  try {
    addon.fsyncDir(path);
  } catch (e) {
    throw fromSystemError(e, `fsync of directory ${path} failed`);
  }
}
