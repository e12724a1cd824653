/**
 * The recycle pool of the write-ahead log: retired log files kept as `NNNNNN.recycle` (at most
 * `max`) and reused as new log files by renaming, so batches overwrite allocated blocks instead of
 * growing a file. docs/wal_format.md "Recycled files", docs/durability.md "Recycling".
 */
import path from 'node:path';
import type { Env, EnvFile } from '../env/env.js';
import { decodeHeaderFields, FILE_HEADER_SIZE } from './wal-format.js';

const RECYCLE_NAME = /^(\d{6,})\.recycle$/;
/**
 * Retired files smaller than this (or than a quarter of maxFileBytes, if that is less) are deleted:
 * reusing them would save little.
 */
export const MIN_RECYCLE_BYTES = 64 << 10;

export function recycleFileName(n: number): string {
  return `${String(n).padStart(6, '0')}.recycle`;
}

/** A recycled file renamed to its new name, open for writing, its new header not yet written. */
export interface Reused {
  file: EnvFile;
  /** Its physical size (the old bytes the new life overwrites). */
  size: number;
  /** Salt of its old header (the new one must differ). */
  oldSalt: number;
}

export class RecyclePool {
  private constructor(
    private readonly env: Env,
    private readonly dir: string,
    private readonly max: number,
    private readonly minBytes: number,
    /** Candidate numbers, ascending. */
    private readonly numbers: number[],
  ) {}

  /** The `.recycle` files of `dir`, lowest number first (an absent directory has none). */
  static async load(env: Env, dir: string, max: number, maxFileBytes: number): Promise<RecyclePool> {
    const numbers: number[] = [];
    if ((await env.stat(dir)) !== null) {
      for (const name of await env.readdir(dir)) {
        const m = RECYCLE_NAME.exec(name);
        if (m) numbers.push(Number(m[1]));
      }
    }
    const minBytes = Math.min(MIN_RECYCLE_BYTES, Math.floor(maxFileBytes / 4));
    return new RecyclePool(env, dir, max, minBytes, numbers.sort((a, b) => a - b));
  }

  /** Highest number of a kept candidate (0 if none): new log files must be numbered above it. */
  get maxNumber(): number {
    return this.numbers.length > 0 ? this.numbers[this.numbers.length - 1]! : 0;
  }

  get size(): number {
    return this.numbers.length;
  }

  /** Delete candidates beyond `max` (a smaller setting than the last writer's); returns how many. */
  async trim(): Promise<number> {
    const extra = this.numbers.splice(this.max);
    for (const n of extra) await this.env.unlink(path.join(this.dir, recycleFileName(n)));
    return extra.length;
  }

  /**
   * Keep the retired log file `name` (number `n`) as a candidate when there is room and it is big
   * enough; returns false when the caller should delete it. Durable with the caller's fsyncDir.
   */
  async retire(name: string, n: number): Promise<boolean> {
    if (this.numbers.length >= this.max) return false;
    const st = await this.env.stat(path.join(this.dir, name));
    if (st === null || st.size < this.minBytes) return false;
    await this.env.rename(path.join(this.dir, name), path.join(this.dir, recycleFileName(n)));
    this.numbers.push(n);
    this.numbers.sort((a, b) => a - b);
    return true;
  }

  /**
   * Rename the lowest candidate whose header checks out to `name` and fsync the directory; a
   * candidate with a bad header is deleted instead. Null when none is left.
   */
  async take(name: string): Promise<Reused | null> {
    while (this.numbers.length > 0) {
      const from = path.join(this.dir, recycleFileName(this.numbers.shift()!));
      const head = decodeHeaderFields(await readHead(this.env, from));
      if (typeof head === 'string') {
        await this.env.unlink(from);
        continue;
      }
      const to = path.join(this.dir, name);
      await this.env.rename(from, to);
      await this.env.fsyncDir(this.dir);
      const file = await this.env.open(to, 'readwrite');
      try {
        return { file, size: await file.size(), oldSalt: head.salt };
      } catch (e) {
        await file.close().catch(() => undefined);
        throw e;
      }
    }
    return null;
  }
}

async function readHead(env: Env, file: string): Promise<Uint8Array> {
  const f = await env.open(file, 'read');
  try {
    const buf = new Uint8Array(FILE_HEADER_SIZE);
    return buf.subarray(0, await f.read(buf, 0));
  } finally {
    await f.close();
  }
}
