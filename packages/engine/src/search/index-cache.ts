/**
 * The open HNSW indexes of sealed segments, one per segment, opened lazily from the graph file
 * written beside the segment (`<segment dir>/hnsw.idx`) and kept until no snapshot holds the
 * segment (its reader is released). A missing or invalid file is rebuilt from the segment's
 * embedding column (a derived structure, never a crash); a read-only store rebuilds in memory.
 */
import path from 'node:path';
import type { SpaceConfig } from '../model.js';
import { buildHnsw, openHnswFile, openHnswGraph, openOrRebuildHnsw, type HnswIndex } from '../hnsw/index.js';
import type { SegmentReader } from '../storage/index.js';

export const HNSW_FILE = 'hnsw.idx';

export function hnswPathFor(reader: SegmentReader): string {
  return path.join(path.dirname(reader.path), HNSW_FILE);
}

export interface IndexCacheStats {
  /** Indexes opened (mapped) so far. */
  opened: number;
  /** Of those, rebuilt because the file was missing or invalid. */
  rebuilt: number;
  /** Currently open. */
  open: number;
}

interface OpenArgs {
  vectors: Float32Array;
  dim: number;
  metric: SpaceConfig['metric'];
  efSearch: number;
}

export class SegmentIndexCache {
  /** space → segment id → open index. */
  private readonly spaces = new Map<string, Map<number, { index: HnswIndex; reader: SegmentReader }>>();
  readonly stats: IndexCacheStats = { opened: 0, rebuilt: 0, open: 0 };

  constructor(private readonly writable: boolean) {}

  /** The index of segment `segmentId` of `space`, opening or rebuilding it on first use. */
  indexFor(space: SpaceConfig, segmentId: number, reader: SegmentReader): HnswIndex {
    let indexes = this.spaces.get(space.name);
    if (!indexes) this.spaces.set(space.name, (indexes = new Map()));
    const hit = indexes.get(segmentId);
    if (hit && hit.reader === reader) return hit.index;
    if (hit) this.drop(indexes, segmentId);
    const args: OpenArgs = { vectors: reader.embeddings(), dim: space.dim, metric: space.metric, efSearch: space.hnsw.efSearch };
    const meta = { lsn: reader.maxLsn, segmentId };
    const build = { M: space.hnsw.M, efConstruction: space.hnsw.efConstruction };
    let index: HnswIndex;
    if (this.writable) {
      const r = openOrRebuildHnsw(hnswPathFor(reader), { ...args, ...build, ...meta });
      index = r.index;
      if (r.rebuilt) this.stats.rebuilt++;
    } else {
      try {
        index = openHnswFile(hnswPathFor(reader), { ...args, expect: meta });
      } catch {
        index = openHnswGraph(buildHnsw({ ...args, ...build }), args, meta);
        this.stats.rebuilt++;
      }
    }
    this.stats.opened++;
    indexes.set(segmentId, { index, reader });
    this.stats.open++;
    return index;
  }

  /**
   * Close the indexes of `space`'s segments whose reader was released (the segment was retired and
   * no snapshot holds it any more). A segment missing from one snapshot may still be searched
   * through an older one, so it is kept while its reader is alive: dropping it per snapshot made
   * an old and a new snapshot searched in turn reopen (and re-check) every graph file each time.
   */
  prune(space: string): void {
    const indexes = this.spaces.get(space);
    if (!indexes) return;
    for (const [id, hit] of [...indexes]) if (hit.reader.released) this.drop(indexes, id);
  }

  closeAll(): void {
    for (const indexes of this.spaces.values()) for (const id of [...indexes.keys()]) this.drop(indexes, id);
    this.spaces.clear();
  }

  private drop(indexes: Map<number, { index: HnswIndex }>, segmentId: number): void {
    const hit = indexes.get(segmentId);
    if (!hit) return;
    hit.index.close();
    indexes.delete(segmentId);
    this.stats.open--;
  }
}
