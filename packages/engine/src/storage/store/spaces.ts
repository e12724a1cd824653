/**
 * Space DDL (docs/storage.md, "Spaces"): create validates and inserts the catalog row; drop
 * refuses new writes to the space, waits for writes in flight, flushes so the checkpoint covers
 * every logged op of the space (a later space with the same name never replays them), then drops
 * the catalog rows in one transaction and retires the space's segments.
 */
import { MnemoError } from '@mnemo/native';
import type { SpaceConfig } from '../../model.js';
import { runFlush } from './flush.js';
import type { MnemoStore } from './store.js';
import type { SpaceInput } from './types.js';
import { DEFAULT_SPACE, resolveSpaceConfig } from './validate-space.js';

export async function createSpaceIn(store: MnemoStore, input: SpaceInput): Promise<SpaceConfig> {
  const cfg = resolveSpaceConfig(input, store.parts.clock());
  // Synchronous catalog insert: no need to queue behind a running compaction.
  if (store.spaces.has(cfg.name)) throw new MnemoError('SPACE_EXISTS', `space '${cfg.name}' already exists`, { space: cfg.name });
  store.parts.catalog.createSpace(cfg);
  store.spaces.set(cfg.name, cfg);
  return cfg;
}

export async function dropSpaceIn(store: MnemoStore, name: string): Promise<void> {
  store.getSpace(name);
  if (name === DEFAULT_SPACE) throw new MnemoError('INVALID_ARGUMENT', "the space 'default' cannot be dropped");
  store.dropping.add(name);
  try {
    await store.jobs.run(async () => {
      await store.applier.idle();
      await runFlush(store);
      store.parts.catalog.dropSpace(name);
      store.spaces.delete(name);
      const handles = store.current.segmentsOf(name);
      const map = new Map(store.current.segments);
      map.delete(name);
      store.setVersion(store.current.with(store.current.memtables, map));
      for (const h of handles) h.retire();
    });
  } finally {
    store.dropping.delete(name);
  }
}
