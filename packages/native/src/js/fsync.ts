/**
 * Fallbacks (MNEMO_NATIVE=0). Directory fsync: Node can open a directory read-only and fsync it on
 * Linux and macOS, which makes a create/rename/unlink in it durable. pwriteDatasync: node's async
 * write (until complete) then fdatasync — two thread-pool round trips instead of the addon's one.
 * docs/native_api.md "fsyncDir", "pwriteDatasync".
 */
import { closeSync, fdatasync, fstatSync, fsyncSync, openSync, write } from 'node:fs';
import { MnemoError, fromSystemError } from '../errors.js';

export function jsFsyncDir(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fromSystemError(e, `cannot open directory ${path} to fsync it`);
  }
  try {
    if (!fstatSync(fd).isDirectory()) {
      throw new MnemoError('IO_ERROR', `fsync of directory ${path} failed: not a directory`, { errno: 'ENOTDIR', path });
    }
    fsyncSync(fd);
  } catch (e) {
    throw fromSystemError(e, `fsync of directory ${path} failed`);
  } finally {
    closeSync(fd);
  }
}

export async function jsPwriteDatasync(fd: number, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const n = await new Promise<number>((resolve, reject) =>
      write(fd, bytes, done, bytes.length - done, position + done, (e, k) => (e ? reject(e) : resolve(k))),
    );
    if (n <= 0) throw Object.assign(new Error(`write fd ${fd}: no progress`), { code: 'EIO', syscall: 'write' });
    done += n;
  }
  await new Promise<void>((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));
}
