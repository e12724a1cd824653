/**
 * NodeEnv: the real Env over node:fs (callback API, which costs fewer thread-pool hops than
 * fs/promises FileHandle) and @mnemo/native's fsyncDir and pwriteDatasync. Files are created 0600, directories 0700.
 * Every failure becomes MnemoError IO_ERROR carrying errno, syscall and path. docs/durability.md.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MnemoError, fromSystemError, fsyncDir, pwriteDatasync } from '@mnemo/native';
import type { Env, EnvFile, EnvStat, OpenMode } from './env.js';

const FLAGS: Record<OpenMode, number> = {
  read: fs.constants.O_RDONLY,
  readwrite: fs.constants.O_RDWR,
  create: fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL,
  truncate: fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC,
};

/** Run a node:fs callback-style call as a promise, mapping errors to IO_ERROR. */
function call<T>(action: string, fn: (cb: (err: NodeJS.ErrnoException | null, v?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn((err, v) => (err ? reject(fromSystemError(err, action)) : resolve(v as T)));
  });
}

/**
 * An open file. After close() every method fails with EBADF itself: the descriptor number may
 * already belong to another file, which a stale handle must never read, write or sync.
 */
class NodeFile implements EnvFile {
  private closed = false;
  constructor(
    readonly path: string,
    private readonly fd: number,
    private end: number,
  ) {}

  private closedError(): MnemoError {
    return new MnemoError('IO_ERROR', `${this.path}: file handle is closed`, { errno: 'EBADF', path: this.path });
  }

  private get open(): number {
    if (this.closed) throw this.closedError();
    return this.fd;
  }

  read(buf: Uint8Array, position: number): Promise<number> {
    if (this.closed) return Promise.reject(this.closedError());
    return call<number>(`read of ${this.path} failed`, (cb) => fs.read(this.fd, buf, 0, buf.length, position, cb));
  }

  async write(buf: Uint8Array, position: number): Promise<void> {
    const fd = this.open;
    let done = 0;
    while (done < buf.length) {
      const n = await call<number>(`write to ${this.path} failed`, (cb) =>
        fs.write(fd, buf, done, buf.length - done, position + done, cb),
      );
      done += n;
    }
    this.end = Math.max(this.end, position + buf.length);
  }

  writeSync(buf: Uint8Array, position: number): void {
    const fd = this.open;
    try {
      for (let done = 0; done < buf.length; ) done += fs.writeSync(fd, buf, done, buf.length - done, position + done);
    } catch (e) {
      throw fromSystemError(e, `write to ${this.path} failed`);
    }
    this.end = Math.max(this.end, position + buf.length);
  }

  append(buf: Uint8Array): Promise<void> {
    return this.write(buf, this.end);
  }

  async size(): Promise<number> {
    const fd = this.open;
    const st = await call<fs.Stats>(`stat of ${this.path} failed`, (cb) => fs.fstat(fd, cb));
    return st.size;
  }

  sync(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    return call<void>(`fsync of ${this.path} failed`, (cb) => fs.fsync(this.fd, cb));
  }

  datasync(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    return call<void>(`fdatasync of ${this.path} failed`, (cb) => fs.fdatasync(this.fd, cb));
  }

  async writeAndSync(buf: Uint8Array, position: number): Promise<void> {
    const fd = this.open;
    try {
      await pwriteDatasync(fd, buf, position);
    } catch (e) {
      const d = (e as MnemoError).details ?? {};
      const what = d.syscall === 'fdatasync' ? 'fdatasync of' : 'write to';
      throw new MnemoError('IO_ERROR', `${what} ${this.path} failed: ${d.errno ?? (e as Error).message}`, { ...d, path: this.path }, { cause: e });
    }
    this.end = Math.max(this.end, position + buf.length);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return call<void>(`close of ${this.path} failed`, (cb) => fs.close(this.fd, cb));
  }
}

export class NodeEnv implements Env {
  readonly name = 'node';

  async open(file: string, mode: OpenMode): Promise<EnvFile> {
    const fd = await call<number>(`open of ${file} failed`, (cb) => fs.open(file, FLAGS[mode], 0o600, cb));
    const st = await call<fs.Stats>(`stat of ${file} failed`, (cb) => fs.fstat(fd, cb)).catch((e: unknown) => {
      fs.closeSync(fd);
      throw e;
    });
    return new NodeFile(file, fd, st.size);
  }

  readFile(file: string): Promise<Uint8Array> {
    return call<Buffer>(`read of ${file} failed`, (cb) => fs.readFile(file, cb));
  }

  rename(from: string, to: string): Promise<void> {
    return call<void>(`rename of ${from} to ${to} failed`, (cb) => fs.rename(from, to, cb));
  }

  unlink(file: string): Promise<void> {
    return call<void>(`unlink of ${file} failed`, (cb) => fs.unlink(file, cb));
  }

  async mkdir(dir: string): Promise<boolean> {
    const first = await call<string | undefined>(`mkdir of ${dir} failed`, (cb) =>
      fs.mkdir(dir, { recursive: true, mode: 0o700 }, cb),
    );
    return first !== undefined;
  }

  async readdir(dir: string): Promise<string[]> {
    const names = await call<string[]>(`readdir of ${dir} failed`, (cb) => fs.readdir(dir, cb));
    return names.sort();
  }

  stat(file: string): Promise<EnvStat | null> {
    return new Promise((resolve, reject) => {
      fs.stat(file, (err, st) => {
        if (err && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) resolve(null);
        else if (err) reject(fromSystemError(err, `stat of ${file} failed`));
        else resolve({ size: st.size, isDirectory: st.isDirectory() });
      });
    });
  }

  async fsyncDir(dir: string): Promise<void> {
    fsyncDir(path.resolve(dir));
  }

  random32(): number {
    return randomBytes(4).readUInt32LE(0);
  }
}

/** The process-wide real Env. */
export const nodeEnv: Env = new NodeEnv();
