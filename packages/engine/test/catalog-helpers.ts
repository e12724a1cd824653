/** Fixtures of the catalog tests: a space config, a segment row, a temp catalog path. */
import path from 'node:path';
import type { SpaceConfig } from '../src/model.js';
import type { SegmentRow } from '../src/storage/catalog/index.js';
import { tempDir } from './wal-helpers.js';

export function spaceConfig(name: string, dim = 8): SpaceConfig {
  return {
    name, dim, metric: 'cosine', decay: { model: 'actr', d: 0.5, tau: -1, s: 0.4 }, embedder: 'builtin:hash-ngram',
    hnsw: { M: 16, efConstruction: 200, efSearch: 64 }, created: 1_700_000_000_000,
  };
}

export function segmentRow(id: number, space: string, extra: Partial<SegmentRow> = {}): SegmentRow {
  return {
    id, space, level: 0, path: `spaces/${space}/seg-${String(id).padStart(6, '0')}/data.seg`, rows: 10 * id, bytes: 4096 * id,
    minLsn: id, maxLsn: id + 5, checksum: 0xdeadbeef, hnswPath: `spaces/${space}/seg-${String(id).padStart(6, '0')}/graph.hnsw`,
    created: 1_700_000_000_000 + id, ...extra,
  };
}

export function catalogPath(prefix: string): { file: string; dir: string; cleanup: () => void } {
  const t = tempDir(prefix);
  return { file: path.join(t.dir, 'catalog.db'), dir: t.dir, cleanup: t.cleanup };
}
