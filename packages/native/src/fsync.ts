/**
 * fsyncDir(path): make creates, renames and unlinks inside a directory durable (open it
 * O_RDONLY|O_DIRECTORY, fsync, close). pwriteDatasync(fd, bytes, position): write all of `bytes`
 * at `position` and fdatasync the file as one thread-pool job. An error is IO_ERROR with the errno
 * and must be treated as fatal by the caller. docs/native_api.md "fsyncDir", "pwriteDatasync".
 */
import { addon } from './addon.js';
import { MnemoError, fromSystemError } from './errors.js';
import { jsFsyncDir, jsPwriteDatasync } from './js/fsync.js';
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

/**
 * Writes all of `bytes` at `position` of the open file `fd` (pwrite, retried until complete), then
 * fdatasyncs it — both on one libuv thread-pool thread, so the caller's thread neither copies the
 * bytes into the page cache nor waits between the two calls. `bytes` must not change until the
 * promise settles. Rejects with IO_ERROR (`details.errno`, `details.syscall`: 'write' or
 * 'fdatasync'); a failed sync is not retried.
 */
export function pwriteDatasync(fd: number, bytes: Uint8Array, position: number): Promise<void> {
  if (!Number.isInteger(fd) || fd < 0 || !Number.isSafeInteger(position) || position < 0 || !(bytes instanceof Uint8Array)) {
    return Promise.reject(new MnemoError('INVALID_ARGUMENT', 'pwriteDatasync(fd, bytes, position): fd and position must be non-negative integers, bytes a Uint8Array'));
  }
  const job = addon === null ? jsPwriteDatasync(fd, bytes, position) : (addon.pwriteDatasync(fd, bytes, position) as Promise<void>);
  return job.catch((e: unknown) => Promise.reject(fromSystemError(e, `write and fdatasync of fd ${fd} failed`)));
}
