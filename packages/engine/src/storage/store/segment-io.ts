/**
 * Glue between the store and the segment/catalog modules (docs/storage.md, "Files"): the
 * catalog entry of a written segment (paths are stored relative to the database directory, so a
 * backup copy opens in place), opening a committed segment as a SegmentHandle, and running the
 * after-flush/compact hooks (a failing hook is counted in stats, never undoes the commit: the
 * files it builds are derived and can be rebuilt).
 */
import path from 'node:path';
import type { SegmentRow as CatalogSegmentRow } from '../catalog/index.js';
import { openSegment, type SegmentFileInfo } from '../segment/index.js';
import { SegmentHandle } from './segment-handle.js';
import type { MnemoStore } from './store.js';
import type { SegmentHook } from './types.js';

export interface CommittedSegment {
  space: string;
  segmentId: number;
  info: SegmentFileInfo;
  minLsn: number;
  maxLsn: number;
  level: number;
}

/** The catalog row of a written segment; its path is stored relative to the database directory. */
export function catalogEntry(dir: string, w: CommittedSegment, created: number): CatalogSegmentRow {
  return {
    id: w.segmentId, space: w.space, level: w.level, path: path.relative(dir, w.info.path), rows: w.info.rows, bytes: w.info.bytes,
    minLsn: w.minLsn, maxLsn: w.maxLsn, checksum: w.info.checksum, hnswPath: null, created,
  };
}

export function openHandle(store: MnemoStore, w: CommittedSegment): SegmentHandle {
  const reader = openSegment(w.info.path, { bytes: w.info.bytes, checksum: w.info.checksum });
  return new SegmentHandle(reader, { segmentId: w.segmentId, space: w.space, path: w.info.path, bytes: w.info.bytes, minLsn: w.minLsn, maxLsn: w.maxLsn, level: w.level }, (e) => store.noteBackgroundError(e));
}

export async function runHook(store: MnemoStore, hook: SegmentHook | undefined, h: SegmentHandle): Promise<void> {
  if (hook === undefined) return;
  try {
    const config = store.spaces.get(h.space);
    if (config === undefined) return; // the space was dropped meanwhile: nothing to index
    await hook(h.space, h.segmentId, h.reader, config);
  } catch (e) {
    store.counters.hookErrors += 1;
    store.counters.lastHookError = e instanceof Error ? e.message : String(e);
  }
}
