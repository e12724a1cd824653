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
import { writeSegment, type SegmentContent, type SegmentFileInfo } from '../segment/index.js';
import { columnarRows, encodeColumnar } from '../wal/wal-columnar.js';
import { flushContent, isEmptyContent } from './flush-content.js';
import { segmentDirName } from './gc.js';
import { catalogEntry, openHandle, runHook, type CommittedSegment } from './segment-io.js';
import type { SegmentHandle } from './segment-handle.js';
import type { MnemoStore } from './store.js';

/** Freeze the active memtable if it holds anything (sync: runs between two batch applies). */
export function freezeActive(store: MnemoStore): void {
  const mt = store.active;
  if (mt.isEmpty) return;
  mt.freeze(store.lastLsn);
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

/** Largest columnar hand-over (bigger flushes are written inline). */
const MAX_HANDOVER_BYTES = 1 << 30;

/**
 * Write a flushed segment on the segment worker when it runs: the rows go over as one columnar
 * buffer (the WAL's v2 payload form, transferred without a copy) — a structured clone of ~10⁵
 * record objects blocked the event loop longer than writing the file inline (docs/storage.md).
 * Rows the columnar form cannot carry exactly, and inline mode, write here.
 */
async function writeFlushed(store: MnemoStore, dir: string, content: SegmentContent): Promise<SegmentFileInfo> {
  const rows = store.segmentWorker.mode === 'thread' ? columnarRows(content.rows) : null;
  const payload = rows === null ? null : encodeColumnar(rows, MAX_HANDOVER_BYTES);
  if (payload === null || typeof payload === 'number') return writeSegment(dir, content);
  const { rows: _rows, ...rest } = content;
  const info = await store.segmentWorker.run({ kind: 'write', finalDir: dir, rows: payload, content: rest }, [payload.buffer as ArrayBuffer]);
  if (info === undefined) throw new MnemoError('INTERNAL', `segment worker wrote no segment for ${dir}`);
  return info;
}

async function flushOne(store: MnemoStore, mt: Memtable): Promise<void> {
  const cat = store.parts.catalog;
  const written: CommittedSegment[] = [];
  for (const [name, table] of mt.spaces) {
    const space = store.spaces.get(name);
    if (space === undefined) continue;
    const segmentId = cat.nextSegmentId();
    const content = flushContent(table, { segmentId, dim: space.dim, minLsn: mt.minLsn, maxLsn: mt.maxLsn, created: store.parts.clock() });
    if (isEmptyContent(content)) continue;
    const info = await writeFlushed(store, path.join(store.dir, segmentDirName(name, segmentId)), content);
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
