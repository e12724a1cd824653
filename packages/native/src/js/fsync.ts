/**
 * Fallback directory fsync (MNEMO_NATIVE=0): Node can open a directory read-only and fsync it on
 * Linux and macOS, which makes a create/rename/unlink in it durable. docs/native_api.md "fsyncDir".
 */
import { closeSync, fstatSync, fsyncSync, openSync } from 'node:fs';
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
