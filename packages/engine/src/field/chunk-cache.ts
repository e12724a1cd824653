/**
 * Lazily mapped chunks with an LRU bound (maxMappedChunks / maxMappedBytes).
 * View lifetime rule (docs/field_format.md): a chunk from which row() handed out a view is never unmapped
 * while a view is reachable. Evicting it only moves it out of the LRU into `retained` (a WeakRef);
 * a WeakMap keyed by its ArrayBuffer keeps the Mapping alive as long as any view holds the buffer,
 * and the garbage collector unmaps it after the last view dies. Chunks without views are unmapped
 * at once. close() unmaps everything: surviving views then have length 0 (never a segfault).
 */
import fs from 'node:fs';
import type { Mapping } from '@mnemo/native';
import { storedView, type Dtype, type StoredArray } from './dtype.js';
import { CHUNK_HEADER_BYTES, chunkPath } from './layout.js';
import { chunkFileSize, verifyChunkHeader, verifyChunkSize, type ChunkIdentity } from './chunk-file.js';
import type { MapFn } from './io.js';

export interface MappedChunk {
  readonly c: number;
  readonly mapping: Mapping;
  /** Stored elements of the chunk's data region. */
  readonly data: StoredArray;
  /** The data region as bytes. */
  readonly bytes: Uint8Array;
  /** Set once row() handed out a view over this mapping. */
  viewsOut: boolean;
}

export interface ChunkCacheOptions {
  dir: string;
  id: ChunkIdentity;
  dtype: Dtype;
  elemSize: number;
  mapFn: MapFn;
  maxChunks: number;
  maxBytes: number;
}

export interface ChunkCacheCounters {
  maps: number;
  unmaps: number;
  retains: number;
  resurrects: number;
}

const MAX_ABSENT = 1 << 20;

export class ChunkCache {
  readonly #o: ChunkCacheOptions;
  readonly #mapped = new Map<number, MappedChunk>();
  readonly #absent = new Set<number>();
  readonly #retained = new Map<number, WeakRef<MappedChunk>>();
  readonly #keepAlive = new WeakMap<ArrayBuffer, MappedChunk>();
  #last: MappedChunk | null = null;
  #bytes = 0;
  readonly counters: ChunkCacheCounters = { maps: 0, unmaps: 0, retains: 0, resurrects: 0 };

  constructor(o: ChunkCacheOptions) {
    this.#o = o;
  }

  get mappedChunks(): number {
    return this.#mapped.size;
  }

  get mappedBytes(): number {
    return this.#bytes;
  }

  /** Evicted chunks still mapped because a view over them is reachable. */
  get retainedChunks(): number {
    let n = 0;
    for (const [c, ref] of this.#retained) {
      if (ref.deref()?.mapping.released === false) n++;
      else this.#retained.delete(c);
    }
    return n;
  }

  /** The mapped chunk `c`, mapping it if needed; null when no local chunk file exists. */
  get(c: number): MappedChunk | null {
    const last = this.#last;
    if (last !== null && last.c === c) return last;
    let mc = this.#mapped.get(c);
    if (mc !== undefined) {
      this.#mapped.delete(c);
      this.#mapped.set(c, mc);
    } else {
      if (this.#absent.has(c)) return null;
      const got = this.#resurrect(c) ?? this.#map(c);
      if (got === null) return null;
      mc = got;
      this.#insert(mc);
    }
    this.#last = mc;
    return mc;
  }

  /** True if mapping one more chunk of `bytes` would not evict another. */
  hasRoom(bytes: number): boolean {
    return this.#mapped.size < this.#o.maxChunks && this.#bytes + bytes <= this.#o.maxBytes;
  }

  /** True if chunk `c` is mapped now (in the LRU). */
  isMapped(c: number): boolean {
    return this.#mapped.has(c);
  }

  /** Forget a cached "absent" for `c` (its file was just created or downloaded). */
  noteCreated(c: number): void {
    this.#absent.delete(c);
  }

  /** Every live mapping of chunk `c` (LRU and retained), for keeping heap copies current. */
  copiesOf(c: number): MappedChunk[] {
    const out: MappedChunk[] = [];
    const mc = this.#mapped.get(c);
    if (mc !== undefined) out.push(mc);
    const r = this.#retained.get(c)?.deref();
    if (r !== undefined && !r.mapping.released) out.push(r);
    return out;
  }

  /** Mark that a view over chunk `mc` was handed out. */
  markView(mc: MappedChunk): void {
    if (mc.viewsOut) return;
    mc.viewsOut = true;
    this.#keepAlive.set(mc.mapping.buffer, mc);
  }

  /** Unmap everything, including retained chunks (their views get length 0). */
  close(): void {
    for (const mc of this.#mapped.values()) mc.mapping.unmap();
    for (const ref of this.#retained.values()) ref.deref()?.mapping.unmap();
    this.#mapped.clear();
    this.#retained.clear();
    this.#last = null;
    this.#bytes = 0;
  }

  #resurrect(c: number): MappedChunk | null {
    const mc = this.#retained.get(c)?.deref();
    this.#retained.delete(c);
    if (mc === undefined || mc.mapping.released) return null;
    this.counters.resurrects++;
    return mc;
  }

  #map(c: number): MappedChunk | null {
    const { dir, id, dtype, elemSize, mapFn } = this.#o;
    const file = chunkPath(dir, c);
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (st === undefined) {
      if (this.#absent.size >= MAX_ABSENT) this.#absent.clear();
      this.#absent.add(c);
      return null;
    }
    verifyChunkSize(st.size, id.chunkBytes, file);
    const mapping = mapFn(file, { offset: 0, length: chunkFileSize(id.chunkBytes) });
    try {
      const buffer = mapping.buffer;
      verifyChunkHeader(new Uint8Array(buffer, 0, 64), id, c, file);
      this.counters.maps++;
      return {
        c,
        mapping,
        data: storedView(dtype, buffer, CHUNK_HEADER_BYTES, id.chunkBytes / elemSize),
        bytes: new Uint8Array(buffer, CHUNK_HEADER_BYTES, id.chunkBytes),
        viewsOut: false,
      };
    } catch (e) {
      mapping.unmap();
      throw e;
    }
  }

  #insert(mc: MappedChunk): void {
    this.#mapped.set(mc.c, mc);
    this.#bytes += mc.mapping.byteLength;
    const { maxChunks, maxBytes } = this.#o;
    for (const old of this.#mapped.values()) {
      if (this.#mapped.size <= maxChunks && this.#bytes <= maxBytes) break;
      if (old === mc) continue;
      this.#evict(old);
    }
  }

  #evict(mc: MappedChunk): void {
    this.#mapped.delete(mc.c);
    this.#bytes -= mc.mapping.byteLength;
    if (this.#last === mc) this.#last = null;
    if (mc.viewsOut) {
      this.#retained.set(mc.c, new WeakRef(mc));
      this.counters.retains++;
    } else {
      mc.mapping.unmap();
      this.counters.unmaps++;
    }
  }
}
