/**
 * The OS facilities a Field uses, from @mnemo/native: mapFile of the chosen backend (the active
 * one, or 'native'/'js' forced by the `backend` option for parity tests), crc32c and fsyncDir;
 * plus small fs helpers that turn Node errors into MnemoError IO_ERROR.
 */
import fs from 'node:fs';
import { backend as nativeBackend, crc32c, fsyncDir, fromSystemError, mapFile, nativeInfo } from '@mnemo/native';
import type { Mapping, MapOptions } from '@mnemo/native';

export type BackendChoice = 'auto' | 'native' | 'js';

export type MapFn = (path: string, opts?: MapOptions) => Mapping;

export function mapFnFor(choice: BackendChoice = 'auto'): MapFn {
  return choice === 'auto' ? mapFile : nativeBackend(choice).mapFile;
}

/** True when `choice` maps files for real (native addon) rather than reading heap copies. */
export function isNativeChoice(choice: BackendChoice = 'auto'): boolean {
  return choice === 'auto' ? nativeInfo().backend === 'native' : choice === 'native';
}

export { crc32c, fsyncDir };

/** Run an fs call, converting a Node error to IO_ERROR with `action` as context. */
export function sys<T>(action: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw fromSystemError(e, action);
  }
}

/** pwrite all of `bytes` at `position`. */
export function writeFully(fd: number, bytes: Uint8Array, position: number, what: string): void {
  let done = 0;
  while (done < bytes.length) {
    done += sys(`write to ${what}`, () => fs.writeSync(fd, bytes, done, bytes.length - done, position + done));
  }
}

/** pread exactly `length` bytes at `position` into `into` (from `at`); returns bytes read (short at EOF). */
/**
 * Write `bytes` to `tmp`, fsync it, then rename it to `file` (mode 0600). The rename makes the
 * new content appear whole or not at all; the caller fsyncs the directory when the entry itself
 * must be durable.
 */
export function writeFileDurably(tmp: string, file: string, bytes: Uint8Array): void {
  const fd = sys(`cannot create ${tmp}`, () => fs.openSync(tmp, 'w', 0o600));
  try {
    writeFully(fd, bytes, 0, tmp);
    sys(`fsync of ${tmp} failed`, () => fs.fsyncSync(fd));
  } finally {
    fs.closeSync(fd);
  }
  sys(`cannot rename ${tmp}`, () => fs.renameSync(tmp, file));
}

export function readFully(fd: number, into: Uint8Array, at: number, length: number, position: number, what: string): number {
  let done = 0;
  while (done < length) {
    const n = sys(`read of ${what}`, () => fs.readSync(fd, into, at + done, length - done, position + done));
    if (n === 0) break;
    done += n;
  }
  return done;
}

export function exists(p: string): boolean {
  return fs.existsSync(p);
}
