/**
 * The write path (docs/storage.md, "Write path"): validate the whole batch against the latest
 * state, take a ticket and append to the WAL in the same tick (so ticket order = LSN order),
 * apply to the active memtable while the batch's sync is in flight (the WAL's whileSyncing hook,
 * run in LSN order; the batch sits above lastLsn, unseen by reads), publish it on the
 * acknowledgement (lastLsn, in ticket order), and start a background flush when the memtable is
 * full. Writers stall only when a second full memtable piles up behind a flush in progress.
 */
import { MnemoError } from '@mnemo/native';
import type { SpaceConfig, WriteOp } from '../../model.js';
import { applyBatch } from './apply.js';
import { runFlush } from './flush.js';
import type { MnemoStore } from './store.js';
import type { WriteResult } from './types.js';
import { validateBatch } from './validate-ops.js';

function spaceFor(store: MnemoStore, name: string): SpaceConfig {
  const s = store.spaces.get(name);
  if (s === undefined || store.dropping.has(name)) {
    throw new MnemoError('UNKNOWN_SPACE', `no space named '${String(name)}'`, { space: name });
  }
  return s;
}

export async function writeBatch(store: MnemoStore, ops: WriteOp[]): Promise<WriteResult> {
  const view = store.latest();
  const buffers: Float32Array[] = [];
  const batch = validateBatch(ops, {
    space: (name) => spaceFor(store, name),
    presentations: (space, id) => view.presentations(space, id),
    now: store.parts.clock(),
    embeddingBuffer: (floats) => {
      const b = store.arenas.take(floats);
      buffers.push(b);
      return b;
    },
  });
  try {
    return await logAndApply(store, batch);
  } finally {
    // The batch's embedding copies are in the WAL payload and the memtable now (or nowhere).
    for (const b of buffers) store.arenas.give(b);
  }
}

async function logAndApply(store: MnemoStore, batch: WriteOp[]): Promise<WriteResult> {
  const ids: string[] = [];
  for (const op of batch) if (op.op === 'remember') ids.push(op.record.id);
  if (batch.length === 0) return { lsn: 0, ids };
  const wal = store.parts.wal;
  if (wal === undefined) throw new MnemoError('READ_ONLY', 'the store was opened read-only');
  const ticket = store.applier.ticket();
  let lsn: number;
  let applyFailed: { error: unknown } | undefined;
  try {
    // Applied while the batch's fdatasync is in flight (in LSN order: the log runs the hooks in
    // its writer loop), but above store.lastLsn, so no read sees it before the acknowledgement.
    lsn = await wal.append(batch, (at) => {
      store.appliedLsn = at;
      try {
        applyBatch(batch, at, { memtable: store.active, view: store.latest(), space: (n) => store.spaces.get(n) });
      } catch (e) {
        applyFailed = { error: e };
      }
    });
  } catch (e) {
    store.applier.abandon(ticket);
    throw e;
  }
  // Publish: reads and snapshots see every batch up to lastLsn (in ticket order = LSN order).
  // A batch whose apply threw is logged, so it is published too (its error is the write's).
  await store.applier.apply(ticket, () => {
    store.lastLsn = lsn;
  });
  if (applyFailed !== undefined) throw applyFailed.error;
  await maybeFlush(store);
  return { lsn, ids };
}

async function maybeFlush(store: MnemoStore): Promise<void> {
  const limit = store.parts.memtableBytes;
  if (store.active.bytes < limit) return;
  const job = (): Promise<void> => runFlush(store);
  if (store.active.bytes >= 2 * limit) {
    // Back-pressure. The batch is already committed: a flush failure must not turn its ack into
    // an error, so it is only counted (the data stays in the memtable and the WAL).
    await store.jobs.run(job).catch((e: unknown) => store.noteBackgroundError(e));
    return;
  }
  store.jobs.schedule('flush', job);
}
