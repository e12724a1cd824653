/**
 * Shared fixtures of the WAL tests: deterministic batches derived from a number, a temp
 * directory helper for real-disk tests, small byte utilities for damaging files, and an Env
 * wrapper that lets a test intercept the calls on each opened file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WriteOp } from '../src/model.js';
import { Rng, type Env, type EnvFile } from '../src/storage/env/index.js';

export const WAL_DIR = '/db/wal';

/** An Env that passes everything to `inner`, letting `wrapFile` replace methods of each opened file. */
export class WrappedEnv implements Env {
  readonly name: string = 'wrapped';
  constructor(
    readonly inner: Env,
    private readonly wrapFile: (f: EnvFile) => void,
  ) {}
  async open(p: string, mode: Parameters<Env['open']>[1]): Promise<EnvFile> {
    const f = await this.inner.open(p, mode);
    this.wrapFile(f);
    return f;
  }
  readFile = (p: string) => this.inner.readFile(p);
  rename = (a: string, b: string) => this.inner.rename(a, b);
  unlink = (p: string) => this.inner.unlink(p);
  mkdir = (p: string) => this.inner.mkdir(p);
  readdir = (p: string) => this.inner.readdir(p);
  stat = (p: string) => this.inner.stat(p);
  fsyncDir = (p: string) => this.inner.fsyncDir(p);
  random32 = () => this.inner.random32();
}

/**
 * An Env over `inner` that holds every datasync while `hold` is set, until the test releases it
 * (with success or an error), and records the files' writes and syncs in `events`. `release` does
 * not change `hold`: syncs started later are held again until it is cleared.
 */
export class HeldSyncEnv extends WrappedEnv {
  hold = false;
  readonly held: Array<(error?: Error) => void> = [];
  readonly events: string[] = [];
  constructor(inner: Env) {
    super(inner, (f) => {
      const datasync = f.datasync.bind(f);
      const write = f.write.bind(f);
      const writeSync = f.writeSync.bind(f);
      f.write = (buf, pos) => {
        this.events.push('write');
        return write(buf, pos);
      };
      f.writeSync = (buf, pos) => {
        this.events.push('write');
        return writeSync(buf, pos);
      };
      f.datasync = async () => {
        this.events.push('sync start');
        if (this.hold) {
          const error = await new Promise<Error | undefined>((resolve) => this.held.push(resolve));
          if (error !== undefined) throw error;
        }
        await datasync();
        this.events.push('sync end');
      };
    });
  }

  /** Resolves once a datasync is held. */
  async waitHeld(): Promise<void> {
    for (let i = 0; i < 1000 && this.held.length === 0; i++) await new Promise((r) => setImmediate(r));
    if (this.held.length === 0) throw new Error('no datasync was held');
  }

  /** Lets every held datasync go on (or fail with `error`). */
  release(error?: Error): void {
    for (const r of this.held.splice(0)) r(error);
  }
}

/** A deterministic batch for `n`: a present op, and a remember with an embedding every third n. */
export function batchFor(n: number, dim = 8): WriteOp[] {
  const ops: WriteOp[] = [{ op: 'present', space: 's', id: `m${n}`, at: 1_700_000_000_000 + n, times: (n % 3) + 1 }];
  if (n % 3 === 0) ops.push(rememberOp(`r${n}`, dim, n));
  return ops;
}

export function rememberOp(id: string, dim: number, seed: number, contentBytes = 10): WriteOp {
  const rng = new Rng(seed);
  const embedding = new Float32Array(dim);
  for (let i = 0; i < dim; i++) embedding[i] = rng.next() * 2 - 1;
  return {
    op: 'remember',
    record: {
      id, space: 's', content: 'x'.repeat(contentBytes), embedding, kind: 'episodic', created: seed,
      confidence: { lo: 0.5, hi: 0.9 },
      decay: { count: 1, first: seed, last: seed, recentTimes: [seed], recentDecays: [0.5], olderDecay: 0 },
      meta: { n: seed, tags: ['a', 'b'] },
    },
  };
}

/** A big batch (fragmented at small fragment sizes). */
export function bigBatch(n: number, records: number, dim: number): WriteOp[] {
  return Array.from({ length: records }, (_, i) => rememberOp(`b${n}-${i}`, dim, n * 1000 + i, 50));
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mnemo-${prefix}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function lsns(batches: Array<{ lsn: number }>): number[] {
  return batches.map((b) => b.lsn);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

export interface RecordInfo {
  offset: number;
  end: number;
  type: number;
  length: number;
  lsn: number;
}

/** Walk the records of a well-formed WAL file by their length fields (no checks: test use only). */
export function recordsOf(file: Uint8Array): RecordInfo[] {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: RecordInfo[] = [];
  for (let pos = 32; pos + 24 <= file.length; ) {
    const length = v.getUint32(pos + 4, true);
    if (length === 0) break;
    const end = pos + 24 + length;
    out.push({ offset: pos, end, type: file[pos + 8]!, length, lsn: v.getUint32(pos + 16, true) });
    pos = end;
  }
  return out;
}

/** Salt field of a WAL file header. */
export function saltOf(file: Uint8Array): number {
  return new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(12, true);
}

/** Start LSN field of a WAL file header. */
export function startLsnOf(file: Uint8Array): number {
  return new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(16, true);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
