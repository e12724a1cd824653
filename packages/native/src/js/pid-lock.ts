/**
 * Last-resort lock used ONLY when the addon cannot be loaded at all: an O_EXCL "<path>.pid" file
 * holding the owner's pid, taken over when that pid is no longer alive. Weaker than flock: shared
 * mode is treated as exclusive, a crash leaves a stale file that the next opener must detect by
 * pid, and pid reuse can keep a stale lock alive. docs/native_api.md "Locking".
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { MnemoError, fromSystemError } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates `pidPath` already holding our pid: the pid is written to a private temp file that is
 * then hard-linked into place (link fails with EEXIST if the lock exists). Creating the lock file
 * empty and writing the pid afterwards let a concurrent opener read "" in between, judge the lock
 * stale, remove it and take it too. File systems without hard links fall back to O_EXCL + write.
 */
function tryCreate(pidPath: string): boolean {
  const tmp = `${pidPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, String(process.pid), { mode: 0o600, flag: 'wx' });
    linkSync(tmp, pidPath);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') return tryCreateExcl(pidPath);
    throw fromSystemError(e, `cannot create lock file ${pidPath}`);
  } finally {
    unlinkQuiet(tmp);
  }
}

function tryCreateExcl(pidPath: string): boolean {
  try {
    const fd = openSync(pidPath, 'wx', 0o600);
    try {
      writeSync(fd, String(process.pid));
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fromSystemError(e, `cannot create lock file ${pidPath}`);
  }
}

/** Acquire; returns the release function. Throws BUSY when a live process holds it. */
export function acquirePidLock(path: string): () => void {
  const pidPath = `${path}.pid`;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(pidPath)) return () => unlinkQuiet(pidPath);
    let owner = NaN;
    try {
      owner = Number.parseInt(readFileSync(pidPath, 'utf8'), 10);
    } catch {
      continue; // removed in between: try again
    }
    if (Number.isInteger(owner) && owner > 0 && (owner === process.pid || alive(owner))) break;
    unlinkQuiet(pidPath); // stale: its owner is gone
  }
  throw new MnemoError('BUSY', `database is locked by another process (lock file ${pidPath})`, { path });
}

function unlinkQuiet(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    // already gone
  }
}
