/**
 * lockFile(path, mode?): an flock(2) on `path` (created 0600 if missing), exclusive or shared,
 * never waiting: BUSY when held elsewhere. flock belongs to the open file description, so two
 * lockFile() calls in one process conflict too. Uses the addon even when MNEMO_NATIVE=0 (locking is
 * correctness); only without any addon it falls back to a pid file. docs/native_api.md "Locking".
 */
import { loadAddonForce } from './addon.js';
import { MnemoError, fromSystemError } from './errors.js';
import { acquirePidLock } from './js/pid-lock.js';
import type { FileLock } from './types.js';
import { assertPath, invalid } from './validate.js';

class Lock implements FileLock {
  #release: (() => void) | null;
  constructor(
    readonly path: string,
    readonly mode: 'exclusive' | 'shared',
    release: () => void,
  ) {
    this.#release = release;
  }
  get released(): boolean {
    return this.#release === null;
  }
  release(): void {
    const r = this.#release;
    if (r === null) return;
    this.#release = null;
    r();
  }
}

const lockAddon = loadAddonForce();

export function lockFile(path: string, mode: 'exclusive' | 'shared' = 'exclusive'): FileLock {
  assertPath(path);
  if (mode !== 'exclusive' && mode !== 'shared') throw invalid(`lock mode must be 'exclusive' or 'shared', got ${String(mode)}`);
  if (lockAddon === null) return new Lock(path, mode, acquirePidLock(path));
  let handle: unknown;
  try {
    handle = lockAddon.lock(path, mode === 'exclusive');
  } catch (e) {
    const errno = (e as { code?: string }).code;
    if (errno === 'EWOULDBLOCK' || errno === 'EAGAIN') {
      throw new MnemoError('BUSY', `database is locked by another process (${mode} lock on ${path} not available)`, {
        path,
        errno,
      });
    }
    throw fromSystemError(e, `cannot lock ${path}`);
  }
  const a = lockAddon;
  return new Lock(path, mode, () => a.unlock(handle));
}
