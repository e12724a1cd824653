/**
 * FaultEnv: an in-memory Env for tests (LevelDB's fault_injection_test, SQLite's test VFS). It
 * counts every operation, fails the Nth write/sync/rename/... once or persistently, and simulates
 * a power cut: unsynced file data is dropped, torn at a random byte or followed by zeroes, and
 * creates/renames/unlinks not followed by an fsync of their directory may be lost (a random
 * prefix of them survives, as with a journaling file system). See docs/durability.md.
 */
import path from 'node:path';
import type { Env, EnvFile, EnvStat, OpenMode } from './env.js';
import { ioError, tick } from './fault-util.js';
import { MemFile } from './mem-file.js';
import { MemInode, type CrashMode } from './mem-inode.js';
import { Rng } from './rng.js';

export type { CrashMode } from './mem-inode.js';
export type FaultOp = 'open' | 'read' | 'write' | 'sync' | 'rename' | 'unlink' | 'mkdir' | 'dirsync';

/** Fail the `nth` (1-based) operation of kind `op` — only that one, or every one from it on. */
export interface FaultRule {
  op: FaultOp;
  nth: number;
  persistent?: boolean;
  /** errno of the injected error (default 'EIO'). */
  errno?: string;
}

type Node = { kind: 'dir' } | { kind: 'file'; inode: MemInode };
/** A namespace change, durable only once an fsync of one of `dirs` covers it. */
interface MetaOp {
  dirs: string[];
  apply(m: Map<string, Node>): void;
}

const OPS: FaultOp[] = ['open', 'read', 'write', 'sync', 'rename', 'unlink', 'mkdir', 'dirsync'];

export class FaultEnv implements Env {
  readonly name = 'fault';
  /** Operations started, per kind (including ones that failed). */
  readonly counts = Object.fromEntries(OPS.map((op) => [op, 0])) as Record<FaultOp, number>;
  /** Simulated power cuts so far. */
  crashes = 0;
  private entries = new Map<string, Node>([['/', { kind: 'dir' }]]);
  private durable = new Map<string, Node>([['/', { kind: 'dir' }]]);
  private pending: MetaOp[] = [];
  private rules: FaultRule[] = [];
  private epoch = 0;
  private ops = 0;
  private crashAt: { op: number; mode: CrashMode } | null = null;
  private readonly rng: Rng;

  /** Salts (random32), apart from the fault draws so that those stay as they were. */
  private readonly saltRng: Rng;

  constructor(opts: { seed?: number } = {}) {
    this.rng = new Rng(opts.seed ?? 1);
    this.saltRng = new Rng(((opts.seed ?? 1) ^ 0x5a175a17) >>> 0);
  }

  random32(): number {
    return this.saltRng.uint32();
  }

  /** Add a fault rule. */
  inject(rule: FaultRule): void {
    this.rules.push(rule);
  }

  clearFaults(): void {
    this.rules = [];
    this.crashAt = null;
  }

  /** Total operations started so far (all kinds). */
  get totalOps(): number {
    return this.ops;
  }

  /** Power-cut when the `afterOps`-th operation from now starts (that operation then fails). */
  scheduleCrash(afterOps: number, mode: CrashMode = 'tear'): void {
    this.crashAt = { op: this.ops + Math.max(1, afterOps), mode };
  }

  /** Simulate a power cut now. Open handles become invalid; the Env is usable again at once. */
  crash(mode: CrashMode = 'tear'): void {
    this.epoch++;
    this.crashes++;
    const keep = mode === 'drop' ? 0 : this.rng.int(this.pending.length + 1);
    for (const op of this.pending.slice(0, keep)) op.apply(this.durable);
    this.pending = [];
    this.entries = new Map(this.durable);
    for (const node of this.entries.values()) if (node.kind === 'file') node.inode.crash(mode, this.rng);
  }

  /** Visible bytes of a file (tests). */
  contents(file: string): Uint8Array {
    return this.fileNode(norm(file)).contents();
  }

  /** Replace a file's bytes durably, bypassing faults (tests that damage files). */
  setContents(file: string, bytes: Uint8Array): void {
    const inode = this.fileNode(norm(file));
    inode.truncateToZero();
    inode.write(0, bytes);
    inode.sync();
  }

  // ---- Env ----

  async open(file: string, mode: OpenMode): Promise<EnvFile> {
    const p = norm(file);
    this.gate('open', `open of ${p} failed`, p);
    let node = this.entries.get(p);
    if (node?.kind === 'dir') throw ioError('EISDIR', `open of ${p} failed: is a directory`, p);
    if (node === undefined) {
      if (mode === 'read' || mode === 'readwrite') throw ioError('ENOENT', `open of ${p} failed: no such file`, p);
      this.requireDir(path.posix.dirname(p), p);
      node = { kind: 'file', inode: new MemInode() };
      this.changeNamespace([path.posix.dirname(p)], (m) => m.set(p, node!));
    } else if (mode === 'create') {
      throw ioError('EEXIST', `open of ${p} failed: file exists`, p);
    } else if (mode === 'truncate') {
      node.inode.truncateToZero();
    }
    await tick();
    return new MemFile(this, p, node.inode, mode === 'read', this.epoch);
  }

  async readFile(file: string): Promise<Uint8Array> {
    const p = norm(file);
    this.gate('read', `read of ${p} failed`, p);
    const bytes = this.fileNode(p).contents();
    await tick();
    return bytes;
  }

  async rename(from: string, to: string): Promise<void> {
    const [a, b] = [norm(from), norm(to)];
    this.gate('rename', `rename of ${a} to ${b} failed`, a);
    const node = this.entries.get(a);
    if (node?.kind !== 'file') throw ioError('ENOENT', `rename of ${a} failed: no such file`, a);
    this.requireDir(path.posix.dirname(b), b);
    this.changeNamespace([path.posix.dirname(a), path.posix.dirname(b)], (m) => {
      const n = m.get(a);
      if (n === undefined) return;
      m.delete(a);
      m.set(b, n);
    });
    await tick();
  }

  async unlink(file: string): Promise<void> {
    const p = norm(file);
    this.gate('unlink', `unlink of ${p} failed`, p);
    this.fileNode(p);
    this.changeNamespace([path.posix.dirname(p)], (m) => m.delete(p));
    await tick();
  }

  async mkdir(dir: string): Promise<boolean> {
    const p = norm(dir);
    this.gate('mkdir', `mkdir of ${p} failed`, p);
    const missing: string[] = [];
    for (let d = p; !this.entries.has(d); d = path.posix.dirname(d)) missing.unshift(d);
    for (const d of missing) {
      if (this.entries.get(path.posix.dirname(d))?.kind === 'file') throw ioError('ENOTDIR', `mkdir of ${p} failed`, p);
      this.changeNamespace([path.posix.dirname(d)], (m) => m.set(d, { kind: 'dir' }));
    }
    if (this.entries.get(p)?.kind !== 'dir') throw ioError('EEXIST', `mkdir of ${p} failed: a file exists`, p);
    await tick();
    return missing.length > 0;
  }

  async readdir(dir: string): Promise<string[]> {
    const p = norm(dir);
    this.gate('read', `readdir of ${p} failed`, p);
    this.requireDir(p, p);
    const names: string[] = [];
    for (const key of this.entries.keys()) {
      if (key !== p && path.posix.dirname(key) === p) names.push(path.posix.basename(key));
    }
    await tick();
    return names.sort();
  }

  async stat(file: string): Promise<EnvStat | null> {
    const p = norm(file);
    const node = this.entries.get(p);
    await tick();
    if (node === undefined) return null;
    return node.kind === 'dir' ? { size: 0, isDirectory: true } : { size: node.inode.size, isDirectory: false };
  }

  async fsyncDir(dir: string): Promise<void> {
    const p = norm(dir);
    this.gate('dirsync', `fsync of directory ${p} failed`, p);
    this.requireDir(p, p);
    let last = -1;
    this.pending.forEach((op, i) => {
      if (op.dirs.includes(p)) last = i;
    });
    for (const op of this.pending.splice(0, last + 1)) op.apply(this.durable);
    await tick();
  }

  // ---- internals shared with MemFile ----

  /** Count an operation; fail it when a crash is due, a rule matches, or the handle predates a crash. */
  gate(op: FaultOp, what: string, file: string, epoch?: number): void {
    if (epoch !== undefined && epoch !== this.epoch) throw ioError('EIO', `${what}: handle lost in a simulated power cut`, file);
    this.ops++;
    const n = ++this.counts[op];
    if (this.crashAt !== null && this.ops >= this.crashAt.op) {
      const { mode } = this.crashAt;
      this.crashAt = null;
      this.crash(mode);
      throw ioError('EIO', `${what}: simulated power cut`, file);
    }
    for (const r of this.rules) {
      if (r.op === op && (n === r.nth || (r.persistent === true && n > r.nth))) {
        throw ioError(r.errno ?? 'EIO', `${what}: injected fault (${op} #${n})`, file);
      }
    }
  }

  private changeNamespace(dirs: string[], apply: (m: Map<string, Node>) => void): void {
    apply(this.entries);
    this.pending.push({ dirs, apply });
  }

  private requireDir(dir: string, forPath: string): void {
    if (this.entries.get(dir)?.kind !== 'dir') throw ioError('ENOENT', `${forPath}: no such directory ${dir}`, forPath);
  }

  private fileNode(p: string): MemInode {
    const node = this.entries.get(p);
    if (node?.kind !== 'file') throw ioError('ENOENT', `${p}: no such file`, p);
    return node.inode;
  }
}

function norm(p: string): string {
  return path.posix.resolve('/', p);
}
