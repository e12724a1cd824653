/**
 * Worker-thread entry for the heavy half of flushes and compactions (docs/storage.md, "Flush", "Flush
 * and compaction off the main thread"). A flush writes a frozen memtable's content: its rows are the
 * memtable's column blocks in shared memory (planMemRows: nothing copied on the way). A merge opens
 * the input segments by path (verifying them), merges them column by column (planMerge: rows
 * copied from the mapped inputs) and writes the result. The main thread keeps serving reads and
 * writes meanwhile. Messages: see SegmentJob / SegmentReply.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  openSegment, planMemRows, planMerge, rowCount, writeSegment, type MemRowsContent, type SegmentContent, type SegmentFileInfo, type SegmentReader,
} from '../segment/index.js';

export interface FlushJob {
  kind: 'flush';
  content: MemRowsContent;
  finalDir: string;
}

export interface MergeJob {
  kind: 'merge';
  /** Inputs newest first, with the size and checksum the catalog recorded. */
  inputs: { path: string; bytes: number; checksum: number }[];
  opts: { bottom: boolean; segmentId: number; space: string; dim: number };
  finalDir: string;
  minLsn: number;
  maxLsn: number;
  created: number;
}

export type SegmentJob = MergeJob | FlushJob;

/** `info` undefined: the merge produced an empty segment (nothing written). */
export type SegmentReply = { id: number; ok: true; info: SegmentFileInfo | undefined } | { id: number; ok: false; error: { code?: string; message: string; details?: unknown } };

function isEmpty(c: SegmentContent): boolean {
  return rowCount(c) + c.decayUpdates.length + c.tombstones.length + c.associations.length + c.assocTombstones.length === 0;
}

export async function runSegmentJob(job: SegmentJob): Promise<SegmentFileInfo | undefined> {
  if (job.kind === 'flush') return writeSegment(job.finalDir, planMemRows(job.content));
  const readers: SegmentReader[] = [];
  try {
    for (const i of job.inputs) readers.push(openSegment(i.path, { bytes: i.bytes, checksum: i.checksum }));
    // Columnar merge: the rows are copied from the mapped inputs (open until written below).
    const content = planMerge(readers, job.opts);
    if (isEmpty(content)) return undefined;
    content.minLsn = job.minLsn;
    content.maxLsn = job.maxLsn;
    content.created = job.created;
    return await writeSegment(job.finalDir, content);
  } finally {
    for (const r of readers) r.close();
  }
}

/** Marker in workerData, so importing this module inside some other worker registers nothing. */
export const WORKER_MARK = 'mnemo-segment-worker';

const port = parentPort;
if (port !== null && (workerData as { role?: unknown } | null)?.role === WORKER_MARK) {
  port.on('message', (msg: { id: number; job: SegmentJob }) => {
    runSegmentJob(msg.job).then(
      (info) => port.postMessage({ id: msg.id, ok: true, info } satisfies SegmentReply),
      (e: unknown) => {
        const err = e as { code?: string; message?: string; details?: unknown };
        port.postMessage({ id: msg.id, ok: false, error: { code: err?.code, message: err?.message ?? String(e), details: err?.details } } satisfies SegmentReply);
      },
    );
  });
}
