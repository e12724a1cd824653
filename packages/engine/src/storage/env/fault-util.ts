/**
 * Small helpers shared by FaultEnv and its file handles (MemFile): the IO_ERROR they throw and the
 * asynchronous tick that makes every call resolve like one that went through the thread pool.
 */
import { MnemoError } from '@mnemo/native';

export function ioError(errno: string, message: string, file: string): MnemoError {
  return new MnemoError('IO_ERROR', message, { errno, path: file });
}

/** Resolve on the next macrotask, like a call that went through the thread pool. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
