/**
 * The remote tier of a Field (docs/field_format.md "Remote tier"): downloads whole chunk files
 * from a RemoteChunkSource into the local field directory (validated, temp + fsync + rename),
 * remembers chunks the remote does not have (they read as zeros), de-duplicates concurrent
 * downloads and keeps the tier's counters. Also fetches FIELD for a field opened from a remote.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MnemoError } from '@mnemo/native';
import { chunkKey, MAX_RANK } from './layout.js';
import { chunkFileSize, verifyChunkHeader, verifyChunkSize, type ChunkIdentity } from './chunk-file.js';
import { decodeMeta, META_FILE, metaSize, writeMetaAtomic, type FieldMeta } from './meta.js';
import { sys, writeFileDurably } from './io.js';
import type { RemoteChunkSource } from './remote-source.js';

export interface RemoteTierCounters {
  /** Chunk files downloaded. */
  fetches: number;
  /** Chunks the remote does not have (read as zeros). */
  absent: number;
  bytes: number;
  /** Sum of download latencies, ms (by the Field's clock). */
  latencyMs: number;
  /** Background (prefetch) downloads that failed. */
  errors: number;
}

/** Fetch FIELD from `source`, validate it and write it to `dir` atomically. */
export async function fetchRemoteMeta(dir: string, source: RemoteChunkSource): Promise<FieldMeta> {
  const bytes = await source.readRange(META_FILE, 0, metaSize(MAX_RANK) + 1);
  if (bytes.length === 0) {
    throw new MnemoError('IO_ERROR', `remote field has no ${META_FILE}; is the URL the field's directory?`);
  }
  const meta = decodeMeta(bytes, `remote ${META_FILE}`);
  sys(`cannot create ${dir}`, () => fs.mkdirSync(dir, { recursive: true, mode: 0o700 }));
  writeMetaAtomic(dir, bytes);
  return meta;
}

export class RemoteTier {
  readonly #dir: string;
  readonly #source: RemoteChunkSource;
  readonly #id: ChunkIdentity;
  readonly #clock: () => number;
  readonly #onInstalled: (c: number) => void;
  readonly #absent = new Set<number>();
  readonly #local = new Set<number>();
  readonly #inflight = new Map<number, Promise<void>>();
  readonly counters: RemoteTierCounters = { fetches: 0, absent: 0, bytes: 0, latencyMs: 0, errors: 0 };
  #closed = false;

  /** `onInstalled(c)` runs after chunk c's file appeared locally (readers drop a cached "absent"). */
  constructor(dir: string, source: RemoteChunkSource, id: ChunkIdentity, clock: () => number, onInstalled: (c: number) => void) {
    this.#onInstalled = onInstalled;
    this.#dir = dir;
    this.#source = source;
    this.#id = id;
    this.#clock = clock;
  }

  /** True when chunk `c` is known not to exist remotely (so it reads as zeros). */
  isAbsent(c: number): boolean {
    return this.#absent.has(c);
  }

  /** The Field closed: start no download and install none that is still in flight. */
  close(): void {
    this.#closed = true;
  }

  /** Make chunk `c` local (download it) unless it already is or the remote lacks it. */
  ensureLocal(c: number): Promise<void> {
    if (this.#closed || this.#absent.has(c) || this.#local.has(c)) return Promise.resolve();
    if (fs.existsSync(path.join(this.#dir, chunkKey(c)))) {
      this.#local.add(c);
      return Promise.resolve();
    }
    let p = this.#inflight.get(c);
    if (p === undefined) {
      p = this.#download(c).finally(() => this.#inflight.delete(c));
      this.#inflight.set(c, p);
    }
    return p;
  }

  /** Start a download without waiting (prefetch); failures are counted, not thrown. */
  prefetch(c: number): void {
    this.ensureLocal(c).catch(() => {
      this.counters.errors++;
    });
  }

  async #download(c: number): Promise<void> {
    const key = chunkKey(c);
    const size = chunkFileSize(this.#id.chunkBytes);
    const t0 = this.#clock();
    const bytes = await this.#source.readRange(key, 0, size + 1);
    if (this.#closed) return; // closed meanwhile: the cache directory is no longer ours to write
    this.counters.latencyMs += this.#clock() - t0;
    if (bytes.length === 0) {
      this.#absent.add(c);
      this.counters.absent++;
      return;
    }
    const label = `remote ${key}`;
    verifyChunkSize(bytes.length, this.#id.chunkBytes, label);
    verifyChunkHeader(bytes.subarray(0, 64), this.#id, c, label);
    this.#install(key, bytes);
    this.#local.add(c);
    this.#onInstalled(c);
    this.counters.fetches++;
    this.counters.bytes += bytes.length;
  }

  /** Write a downloaded chunk to <file>.dl-<pid>, fsync, rename into place. */
  #install(key: string, bytes: Uint8Array): void {
    const file = path.join(this.#dir, key);
    sys(`cannot create ${path.dirname(file)}`, () => fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 }));
    writeFileDurably(`${file}.dl-${process.pid}`, file, bytes);
  }
}
