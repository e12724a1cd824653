/**
 * What the association graph needs from a snapshot (docs/graph.md §4): its sealed segments
 * (newest first) and which memory ids the memtables touch as association sources or targets.
 * Only a store snapshot (openStore) exposes its memtables; for any other Snapshot implementation
 * `memtable` is null and the graph resolves every node through `snapshot.associationsFrom`.
 */
import type { SegmentReader } from '../storage/segment/index.js';
import { StoreSnapshot } from '../storage/store/snapshot.js';
import type { Snapshot } from '../storage/store/types.js';
import type { View } from '../storage/store/view.js';

export interface MemtableEdges {
  /** Ids with at least one association key (put or delete) as source in some memtable. */
  readonly sources: ReadonlySet<string>;
  /** Ids that are the target of some memtable association key. */
  readonly targets: ReadonlySet<string>;
  /** Sources of memtable association keys whose target is `to`. */
  sourcesOf(to: string): Iterable<string>;
}

export interface SnapshotLayers {
  readers: SegmentReader[];
  memtable: MemtableEdges | null;
}

/** The snapshot's read view when it is a store snapshot. */
function viewOf(snapshot: Snapshot): View | undefined {
  return snapshot instanceof StoreSnapshot ? snapshot.readView() : undefined;
}

export function snapshotLayers(snapshot: Snapshot, space: string): SnapshotLayers {
  const readers = snapshot.segments(space).map((v) => v.reader);
  const view = viewOf(snapshot);
  if (view === undefined) return { readers, memtable: null };
  const tables = view.version.memtables.map((mt) => mt.space(space)).filter((t) => t !== undefined);
  const sources = new Set<string>();
  const targets = new Set<string>();
  for (const t of tables) {
    for (const from of t.outgoing.keys()) sources.add(from);
    for (const to of t.incoming.keys()) targets.add(to);
  }
  return {
    readers,
    memtable: {
      sources,
      targets,
      *sourcesOf(to: string): Iterable<string> {
        for (const t of tables) yield* t.incoming.get(to) ?? [];
      },
    },
  };
}
