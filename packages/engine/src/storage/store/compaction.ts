/**
 * Compaction (docs/storage.md, "Compaction"): per space, merge a run of adjacent segments
 * (size-tiered pick, or all of them when asked explicitly) with mergeSegments, write the result,
 * commit add + remove in one catalog transaction, install a Version where the merged segment
 * takes the run's place, and retire the old segments — they are closed and deleted when the
 * last snapshot using them is released. Readers and writers continue meanwhile.
 */
import path from 'node:path';
import { pickRun } from './compaction-pick.js';
import { segmentDirName } from './gc.js';
import { catalogEntry, openHandle, runHook, type CommittedSegment } from './segment-io.js';
import type { SegmentHandle } from './segment-handle.js';
import type { MnemoStore } from './store.js';

/** Beyond this many segments in a space, the smallest adjacent pair is merged even if sizes differ. */
const MAX_SEGMENTS = 12;

export async function runCompaction(store: MnemoStore, opts: { space?: string | undefined; explicit: boolean }): Promise<void> {
  if (store.readOnly) return;
  const names = opts.space !== undefined ? [opts.space] : [...store.spaces.keys()].sort();
  for (const name of names) {
    for (;;) {
      const segs = store.current.segmentsOf(name);
      const run = opts.explicit ? explicitRun(segs) : autoRun(store, segs);
      if (run === undefined) break;
      await compactRun(store, name, segs.slice(run[0], run[1]), run[1] === segs.length);
      if (opts.explicit) break;
    }
  }
}

function explicitRun(segs: readonly SegmentHandle[]): [number, number] | undefined {
  if (segs.length >= 2) return [0, segs.length];
  const only = segs[0];
  if (only !== undefined && (only.tombstones().length > 0 || only.decayUpdateIds().length > 0)) return [0, 1];
  return undefined;
}

function autoRun(store: MnemoStore, segs: readonly SegmentHandle[]): [number, number] | undefined {
  const { sizeRatio, minRun } = store.parts.compaction;
  const run = pickRun(segs, sizeRatio, minRun);
  if (run !== undefined || segs.length <= MAX_SEGMENTS) return run;
  let best = 0;
  for (let i = 1; i + 1 < segs.length; i++) {
    const sum = (segs[i] as SegmentHandle).bytes + (segs[i + 1] as SegmentHandle).bytes;
    if (sum < (segs[best] as SegmentHandle).bytes + (segs[best + 1] as SegmentHandle).bytes) best = i;
  }
  return [best, best + 2];
}

async function compactRun(store: MnemoStore, space: string, run: readonly SegmentHandle[], bottom: boolean): Promise<void> {
  const cfg = store.spaces.get(space);
  if (cfg === undefined || run.length === 0) return;
  const cat = store.parts.catalog;
  const segmentId = cat.nextSegmentId();
  const minLsn = Math.min(...run.map((h) => h.minLsn));
  const maxLsn = Math.max(...run.map((h) => h.maxLsn));
  const info = await store.segmentWorker.run({
    kind: 'merge', inputs: run.map((h) => ({ path: h.meta.path, bytes: h.bytes, checksum: h.reader.checksum })),
    opts: { bottom, segmentId, space, dim: cfg.dim }, finalDir: path.join(store.dir, segmentDirName(space, segmentId)), minLsn, maxLsn, created: store.parts.clock(),
  });
  let handle: SegmentHandle | undefined;
  let written: CommittedSegment | undefined;
  if (info !== undefined) {
    written = { space, segmentId, info, minLsn, maxLsn, level: 1 + Math.max(...run.map((h) => h.level)) };
    handle = openHandle(store, written);
  }
  try {
    cat.commitSegments({ add: written ? [catalogEntry(store.dir, written, store.parts.clock())] : [], remove: run.map((h) => h.segmentId) });
  } catch (e) {
    handle?.close();
    throw e;
  }
  const segs = [...store.current.segmentsOf(space)];
  const at = segs.indexOf(run[0] as SegmentHandle);
  segs.splice(at, run.length, ...(handle ? [handle] : []));
  const map = new Map(store.current.segments);
  map.set(space, segs);
  store.setVersion(store.current.with(store.current.memtables, map));
  for (const h of run) h.retire();
  store.counters.compactions += 1;
  if (handle) await runHook(store, store.parts.hooks.onAfterCompact, handle);
}
