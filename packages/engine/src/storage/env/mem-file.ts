/**
 * An open file of FaultEnv: reads and writes go to a MemInode, and every call first passes the
 * Env's gate (operation counting, injected faults, scheduled power cuts, handles invalidated by a
 * cut). docs/durability.md.
 */
import type { EnvFile } from './env.js';
import type { FaultEnv, FaultOp } from './fault-env.js';
import { ioError, tick } from './fault-util.js';
import type { MemInode } from './mem-inode.js';

export class MemFile implements EnvFile {
  private end: number;
  private closed = false;

  constructor(
    private readonly env: FaultEnv,
    readonly path: string,
    private readonly inode: MemInode,
    private readonly readOnly: boolean,
    private readonly epoch: number,
  ) {
    this.end = inode.size;
  }

  async read(buf: Uint8Array, position: number): Promise<number> {
    this.check('read', `read of ${this.path} failed`);
    const n = this.inode.read(position, buf);
    await tick();
    return n;
  }

  async write(buf: Uint8Array, position: number): Promise<void> {
    this.writeSync(buf, position);
    await tick();
  }

  writeSync(buf: Uint8Array, position: number): void {
    this.check('write', `write to ${this.path} failed`);
    if (this.readOnly) throw ioError('EBADF', `write to ${this.path} failed: opened read-only`, this.path);
    this.inode.write(position, buf);
    this.end = Math.max(this.end, position + buf.length);
  }

  append(buf: Uint8Array): Promise<void> {
    return this.write(buf, this.end);
  }

  async size(): Promise<number> {
    this.check('read', `stat of ${this.path} failed`);
    await tick();
    return this.inode.size;
  }

  async sync(): Promise<void> {
    this.check('sync', `fsync of ${this.path} failed`);
    this.inode.sync();
    await tick();
  }

  datasync(): Promise<void> {
    return this.sync();
  }

  /** writeSync then datasync, through this object's own methods (so a test's wrappers see both). */
  writeAndSync(buf: Uint8Array, position: number): Promise<void> {
    try {
      this.writeSync(buf, position);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.datasync();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(op: FaultOp, what: string): void {
    if (this.closed) throw ioError('EBADF', `${what}: file is closed`, this.path);
    this.env.gate(op, what, this.path, this.epoch);
  }
}
