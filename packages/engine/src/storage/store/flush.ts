/**
 * Flush (docs/storage.md, "Flush"): freeze the active memtable (a new one takes writes at once),
 * then, oldest frozen memtable first, write one segment per space with content, commit them in one
 * catalog transaction together with the checkpoint LSN (the commit point), open their readers,
 * install a new Version without that memtable, run the after-flush hooks, and drop WAL files the
 * checkpoint covers. A failure leaves the frozen memtable in place (nothing is lost; the next
 * flush retries it; uncommitted files are garbage collected at the next open).
 */
import path from 'node:path';
import { MnemoError } from '@mnemo/native';
import type { Memtable } from '../memtable/index.js';
import { flushContent, isEmptyContent } from './flush-content.js';
import { segmentDirName } from './gc.js';
import { catalogEntry, openHandle, runHook, type CommittedSegment } from './segment-io.js';
import type { SegmentHandle } from './segment-handle.js';
import type { MnemoStore } from './store.js';

/** Freeze the active memtable if it holds anything (sync: runs between two batch applies). */
export function freezeActive(store: MnemoStore): void {
  const mt = store.active;
  if (mt.isEmpty) return;
  mt.freeze(store.appliedLsn);
  store.active = store.newMemtable();
  store.setVersion(store.current.with([store.active, ...store.current.memtables]));
}

export async function runFlush(store: MnemoStore, opts: { compactAfter?: boolean } = {}): Promise<void> {
  if (store.readOnly) return;
  freezeActive(store);
  const wal = store.parts.wal;
  if (store.current.memtables.length > 1) await wal?.rotate();
  for (;;) {
    const frozen = store.current.memtables.slice(1);
    const oldest = frozen[frozen.length - 1];
    if (oldest === undefined) break;
    await flushOne(store, oldest);
  }
  const cat = store.parts.catalog;
  if (store.active.isEmpty && store.lastLsn > cat.checkpointLsn()) {
    cat.commitSegments({ add: [], remove: [], checkpointLsn: store.lastLsn });
  }
  await wal?.removeUpTo(cat.checkpointLsn());
  if (store.parts.compaction.auto && opts.compactAfter !== false) store.scheduleCompaction();
}

/**
 * Waits until every batch up to `lsn` is acknowledged. Batches are applied while their fdatasync
 * is in flight (write.ts), so a memtable frozen then may hold one the log has not made durable
 * yet; a segment must not take it before it is (were the sync to fail, the write would be
 * rejected and yet live on in the segment). Rejects with the log's failure.
 */
async function untilAcknowledged(store: MnemoStore, lsn: number): Promise<void> {
  if (store.lastLsn >= lsn) return;
  await store.applier.idle();
  if (store.lastLsn >= lsn) return;
  throw store.parts.wal?.failed ?? new MnemoError('INTERNAL', `flush: batch ${lsn} was applied but never acknowledged`);
}

async function flushOne(store: MnemoStore, mt: Memtable): Promise<void> {
  await untilAcknowledged(store, mt.sealedLsn);
  const cat = store.parts.catalog;
  const written: CommittedSegment[] = [];
  for (const [name, table] of mt.spaces) {
    const space = store.spaces.get(name);
    if (space === undefined) continue;
    const segmentId = cat.nextSegmentId();
    const content = flushContent(table, { segmentId, dim: space.dim, minLsn: mt.minLsn, maxLsn: mt.maxLsn, created: store.parts.clock() });
    if (isEmptyContent(content)) continue;
    // Written by the segment worker: the rows are the memtable's column blocks in shared memory,
    // so only the id order crosses (docs/storage.md, "Flush").
    const info = await store.segmentWorker.run({ kind: 'flush', content, finalDir: path.join(store.dir, segmentDirName(name, segmentId)) });
    if (info === undefined) continue;
    written.push({ space: name, segmentId, info, minLsn: mt.minLsn, maxLsn: mt.maxLsn, level: 0 });
  }
  const handles: SegmentHandle[] = [];
  try {
    for (const w of written) handles.push(openHandle(store, w));
    const created = store.parts.clock();
    cat.commitSegments({ add: written.map((w) => catalogEntry(store.dir, w, created)), remove: [], checkpointLsn: mt.sealedLsn });
  } catch (e) {
    for (const h of handles) h.close();
    throw e;
  }
  const segments = new Map(store.current.segments);
  for (const h of handles) segments.set(h.space, [h, ...(segments.get(h.space) ?? [])]);
  store.setVersion(store.current.with(store.current.memtables.filter((m) => m !== mt), segments));
  store.counters.flushes += 1;
  for (const h of handles) await runHook(store, store.parts.hooks.onAfterFlush, h);
}
