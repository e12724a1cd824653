/**
 * lockFile: flock semantics — a second lock in the same process and a lock held by a child
 * process are BUSY, shared+shared is allowed, shared vs exclusive conflicts, release is
 * idempotent and lets the lock be taken again, the file is created 0600. Also the pid-file
 * fallback used only when the addon cannot load.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMnemoError, lockFile } from '../src/index.js';
import { acquirePidLock } from '../src/js/pid-lock.js';
import { DIST_INDEX, runChild, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = () => path.join(tmp.dir, `LOCK${n++}`);

function busy(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isMnemoError(e, 'BUSY')) return e.message;
    throw e;
  }
  throw new Error('expected BUSY');
}

describe('lockFile (flock)', () => {
  it('creates the lock file 0600 and a second exclusive lock in this process is BUSY naming the path', () => {
    const p = fresh();
    const l = lockFile(p);
    expect(l.mode).toBe('exclusive');
    expect(statSync(p).mode & 0o777).toBe(0o600);
    const msg = busy(() => lockFile(p));
    expect(msg).toContain('database is locked by another process');
    expect(msg).toContain(p);
    l.release();
  });

  it('release is idempotent and the lock can be taken again', () => {
    const p = fresh();
    const a = lockFile(p);
    a.release();
    expect(a.released).toBe(true);
    a.release();
    const b = lockFile(p);
    expect(b.released).toBe(false);
    b.release();
  });

  it('shared + shared is allowed; shared vs exclusive is BUSY both ways', () => {
    const p = fresh();
    const s1 = lockFile(p, 'shared');
    const s2 = lockFile(p, 'shared');
    busy(() => lockFile(p, 'exclusive'));
    s1.release();
    busy(() => lockFile(p, 'exclusive'));
    s2.release();
    const x = lockFile(p, 'exclusive');
    busy(() => lockFile(p, 'shared'));
    x.release();
  });

  it('a lock held by a child process is BUSY until the child exits', async () => {
    const p = fresh();
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { lockFile } from ${JSON.stringify(DIST_INDEX)}; lockFile(${JSON.stringify(p)}); console.log('locked'); process.stdin.on('data', () => process.exit(0));`],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => (d.toString().includes('locked') ? resolve() : undefined));
      child.on('exit', (c) => reject(new Error(`child exited early with ${c}`)));
    });
    busy(() => lockFile(p));
    busy(() => lockFile(p, 'shared'));
    const exited = new Promise((r) => child.on('exit', r));
    child.stdin.write('bye\n');
    await exited;
    const l = lockFile(p);
    l.release();
  });

  it('the child sees BUSY for a lock this process holds, also with MNEMO_NATIVE=0 (locking always uses the addon)', () => {
    const p = fresh();
    const l = lockFile(p);
    const code = `import { lockFile } from $native; try { lockFile(${JSON.stringify(p)}); console.log('acquired'); } catch (e) { console.log(e.code); }`;
    expect(runChild(code).stdout.trim()).toBe('BUSY');
    expect(runChild(code, { MNEMO_NATIVE: '0' }).stdout.trim()).toBe('BUSY');
    l.release();
    expect(runChild(code, { MNEMO_NATIVE: '0' }).stdout.trim()).toBe('acquired');
  });

  it('rejects bad arguments and reports a missing directory as IO_ERROR', () => {
    expect(() => lockFile('')).toThrow(/path must be a non-empty string/);
    expect(() => lockFile(fresh(), 'both' as 'shared')).toThrow(/lock mode/);
    try {
      lockFile(path.join(tmp.dir, 'no', 'such', 'LOCK'));
      throw new Error('expected IO_ERROR');
    } catch (e) {
      expect(isMnemoError(e, 'IO_ERROR')).toBe(true);
      expect((e as { details: { errno?: string } }).details.errno).toBe('ENOENT');
    }
  });
});

describe('pid-file fallback (only when the addon cannot load)', () => {
  it('conflicts in one process, releases by removing the file', () => {
    const p = fresh();
    const release = acquirePidLock(p);
    expect(readFileSync(`${p}.pid`, 'utf8')).toBe(String(process.pid));
    busy(() => acquirePidLock(p));
    release();
    expect(existsSync(`${p}.pid`)).toBe(false);
    acquirePidLock(p)();
  });

  it('the lock file appears with the pid already in it (link of a temp file) and leaves no temp files', () => {
    const p = fresh();
    const release = acquirePidLock(p);
    expect(readFileSync(`${p}.pid`, 'utf8')).toBe(String(process.pid));
    expect(statSync(`${p}.pid`).nlink).toBe(1);
    expect(statSync(`${p}.pid`).mode & 0o777).toBe(0o600);
    busy(() => acquirePidLock(p));
    expect(readdirSync(path.dirname(p)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    release();
  });

  it('takes over a lock whose owner pid is dead, not one whose owner is alive', () => {
    const p = fresh();
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(`${p}.pid`, dead.stdout.trim());
    const release = acquirePidLock(p);
    release();
    writeFileSync(`${p}.pid`, String(process.ppid));
    busy(() => acquirePidLock(p));
  });
});
