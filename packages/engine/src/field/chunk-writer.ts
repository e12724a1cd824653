/**
 * The write side of a Field's chunk files (docs/field_format.md "Chunk file", "Durability"):
 * creates chunks on first write, pwrites element bytes, keeps descriptors of written chunks open
 * until flush() fsyncs them, then fsyncs every directory that gained an entry. Descriptors of
 * clean chunks are kept in a small LRU. An fsync failure is fatal (reported to the Field).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MnemoError } from '@mnemo/native';
import { CHUNK_HEADER_BYTES, CHUNK_STAGING, chunkKey } from './layout.js';
import { createChunkFile, openChunkForWrite, type ChunkIdentity } from './chunk-file.js';
import { fsyncDir, sys, writeFully } from './io.js';

export interface ChunkWriterOptions {
  dir: string;
  id: ChunkIdentity;
  maxOpenFiles: number;
  /** Called after chunk `c` was created (so readers forget a cached "absent"). */
  onCreate: (c: number) => void;
}

export class ChunkWriter {
  readonly #o: ChunkWriterOptions;
  readonly #fds = new Map<number, number>();
  readonly #dirty = new Set<number>();
  readonly #dirtyDirs = new Set<string>();
  readonly #knownDirs = new Set<string>();
  chunksCreated = 0;
  bytesWritten = 0;
  /** Set by the first failed fsync: the writer is unusable afterwards (fsync errors are fatal). */
  failed: MnemoError | null = null;

  constructor(o: ChunkWriterOptions) {
    this.#o = o;
  }

  get dirtyChunks(): number {
    return this.#dirty.size;
  }

  /** True when chunk `c` has a local file (checked on disk unless its fd is open). */
  hasFile(c: number): boolean {
    return this.#fds.has(c) || fs.existsSync(path.join(this.#o.dir, chunkKey(c)));
  }

  /** pwrite `bytes` at data offset `off` of chunk `c`, creating the chunk if needed. */
  write(c: number, off: number, bytes: Uint8Array): void {
    const fd = this.#fd(c);
    writeFully(fd, bytes, CHUNK_HEADER_BYTES + off, chunkKey(c));
    this.#dirty.add(c);
    this.bytesWritten += bytes.length;
  }

  /** fsync every written chunk, then every directory that gained entries. Throws IO_ERROR on failure. */
  flush(): void {
    for (const c of this.#dirty) {
      this.#fsync(c, this.#fds.get(c) as number);
      this.#dirty.delete(c);
    }
    const dirs = [...this.#dirtyDirs].sort((a, b) => b.length - a.length);
    for (const d of dirs) {
      this.#fatal(() => fsyncDir(d));
      this.#dirtyDirs.delete(d);
    }
  }

  #fsync(c: number, fd: number): void {
    this.#fatal(() => sys(`fsync of field chunk ${chunkKey(c)} failed`, () => fs.fsyncSync(fd)));
  }

  /** Run an fsync; a failure is remembered so every later call refuses to continue. */
  #fatal(fn: () => void): void {
    if (this.failed !== null) throw this.failed;
    try {
      fn();
    } catch (e) {
      this.failed = e instanceof MnemoError ? e : new MnemoError('IO_ERROR', String(e));
      throw this.failed;
    }
  }

  /** Close every descriptor (call flush() first to make writes durable). */
  close(): void {
    for (const fd of this.#fds.values()) fs.closeSync(fd);
    this.#fds.clear();
  }

  #fd(c: number): number {
    let fd = this.#fds.get(c);
    if (fd !== undefined) {
      this.#fds.delete(c);
      this.#fds.set(c, fd);
      return fd;
    }
    const file = path.join(this.#o.dir, chunkKey(c));
    if (fs.existsSync(file)) fd = openChunkForWrite(file, this.#o.id, c);
    else fd = this.#create(c, file);
    this.#fds.set(c, fd);
    this.#trim(c);
    return fd;
  }

  #create(c: number, file: string): number {
    const leaf = path.dirname(file);
    const staging = path.join(this.#o.dir, CHUNK_STAGING);
    for (const d of [leaf, staging]) this.#mkdir(d);
    const fd = createChunkFile(file, this.#o.id, c, staging);
    this.#dirtyDirs.add(leaf);
    this.chunksCreated++;
    this.#o.onCreate(c);
    return fd;
  }

  /** Creates directory `d` (and its parents) once; new entries are queued for flush()'s fsync. */
  #mkdir(d: string): void {
    if (this.#knownDirs.has(d)) return;
    const first = sys(`cannot create ${d}`, () => fs.mkdirSync(d, { recursive: true, mode: 0o700 }));
    if (first !== undefined) {
      // every directory from the parent of the first one created down to d gained an entry
      for (let x = d; x.length >= first.length; x = path.dirname(x)) this.#dirtyDirs.add(path.dirname(x));
    }
    this.#knownDirs.add(d);
  }

  /**
   * Close least recently used descriptors beyond maxOpenFiles, never `keep` (the one just opened):
   * clean ones first; if only written ones remain, fsync the oldest before closing it (its
   * directory stays queued for flush()).
   */
  #trim(keep: number): void {
    for (const syncDirty of [false, true]) {
      for (const [c, fd] of this.#fds) {
        if (this.#fds.size <= this.#o.maxOpenFiles) return;
        if (c === keep) continue;
        if (this.#dirty.has(c)) {
          if (!syncDirty) continue;
          this.#fsync(c, fd);
          this.#dirty.delete(c);
        }
        fs.closeSync(fd);
        this.#fds.delete(c);
      }
    }
  }
}
