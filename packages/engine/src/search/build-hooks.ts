/**
 * Store hooks that build a sealed segment's HNSW graph right after the segment is committed
 * (flush and compaction) and write it beside the segment, so reopening maps it and never
 * rebuilds. A crash between the segment commit and the graph write only loses the derived file,
 * which the index cache rebuilds on first use.
 */
import type { SpaceConfig } from '../model.js';
import { buildHnsw, writeHnswFile } from '../hnsw/index.js';
import type { SegmentReader, StoreHooks } from '../storage/index.js';
import { hnswPathFor } from './index-cache.js';

export interface IndexBuildEvent {
  space: string;
  segmentId: number;
  rows: number;
  ms: number;
}

export function buildSegmentIndex(space: SpaceConfig, segmentId: number, reader: SegmentReader): void {
  if (reader.rowCount === 0) return;
  const graph = buildHnsw({
    vectors: reader.embeddings(),
    dim: space.dim,
    metric: space.metric,
    M: space.hnsw.M,
    efConstruction: space.hnsw.efConstruction,
  });
  writeHnswFile(hnswPathFor(reader), graph, { lsn: reader.maxLsn, segmentId });
}

/** Hooks for `openStore({ hooks })`; `getSpace` resolves the space's index parameters. */
export function indexBuildHooks(
  getSpace: (name: string) => SpaceConfig,
  onBuilt?: (e: IndexBuildEvent) => void,
  clock: () => number = () => performance.now(),
): StoreHooks {
  const hook = (spaceName: string, segmentId: number, reader: SegmentReader, config?: SpaceConfig): void => {
    const t0 = clock();
    buildSegmentIndex(config ?? getSpace(spaceName), segmentId, reader);
    onBuilt?.({ space: spaceName, segmentId, rows: reader.rowCount, ms: clock() - t0 });
  };
  return { onAfterFlush: hook, onAfterCompact: hook };
}
