/**
 * openStore (docs/storage.md, "Open and recovery"): create the directory (0700), take the lock
 * (writers only), open the catalog, open every live segment (a bad one is CORRUPTION), remove
 * files the catalog does not name (writers only), replay the WAL from the checkpoint LSN into the
 * memtable, and make sure the space `default` exists. A read-only open writes nothing at all.
 */
import { MnemoError, fromSystemError, isMnemoError } from '@mnemo/native';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Catalog } from '../catalog/index.js';
import { nodeEnv } from '../env/index.js';
import { Wal } from '../wal/index.js';
import { applyBatch } from './apply.js';
import { collectGarbage, segmentDirName } from './gc.js';
import { lockDatabase } from './lock.js';
import { openHandle } from './segment-io.js';
import type { SegmentHandle } from './segment-handle.js';
import { MnemoStore, type StoreParts } from './store.js';
import type { Store, StoreOptions } from './types.js';
import { DEFAULT_SPACE, resolveSpaceConfig } from './validate-space.js';
import { Version } from './version.js';

export const DEFAULT_MEMTABLE_BYTES = 64 * 1024 * 1024;
export const CATALOG_FILE = 'catalog.db';
export const WAL_DIR = 'wal';
/**
 * Zero-filled space the store's log keeps ahead of its writes, so a `full` commit's fdatasync
 * overwrites allocated blocks and commits no new file size (docs/durability.md "Preallocation").
 */
export const WAL_PREALLOCATE_BYTES = 1 << 20;
/** Retired WAL files the store keeps for reuse unless StoreOptions.walRecycleFiles says otherwise (docs/durability.md "Recycling"). */
export const WAL_RECYCLE_FILES = 2;

async function prepareDir(dir: string, readOnly: boolean): Promise<void> {
  if (readOnly) {
    const st = await stat(dir).catch(() => null);
    if (st === null || !st.isDirectory()) throw new MnemoError('IO_ERROR', `no database at ${dir} (a read-only open does not create one)`, { path: dir });
    return;
  }
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw fromSystemError(e, `cannot create database directory ${dir}`);
  }
}

export async function openStore(dirIn: string, options: StoreOptions = {}): Promise<Store> {
  const dir = path.resolve(dirIn);
  const readOnly = options.readOnly === true;
  await prepareDir(dir, readOnly);
  const lock = lockDatabase(dir, readOnly);
  let catalog: Catalog | undefined;
  let store: MnemoStore | undefined;
  try {
    catalog = Catalog.open(path.join(dir, CATALOG_FILE), { readOnly });
    const parts: StoreParts = {
      dir, readOnly, lock, catalog, wal: undefined,
      durability: options.durability ?? 'full',
      clock: options.clock ?? Date.now,
      env: options.env ?? nodeEnv,
      memtableBytes: options.memtableBytes ?? DEFAULT_MEMTABLE_BYTES,
      compaction: { auto: options.compaction?.auto ?? true, sizeRatio: options.compaction?.sizeRatio ?? 2, minRun: options.compaction?.minRun ?? 4 },
      hooks: options.hooks ?? {},
      segmentThread: options.segmentThread ?? true,
    };
    store = new MnemoStore(parts);
    await recover(store, options);
    return store;
  } catch (e) {
    if (store !== undefined) await store.close().catch(() => undefined);
    else {
      catalog?.close();
      lock?.release();
    }
    throw e;
  }
}

/** Open every live segment the catalog names, newest first per space; on failure close what was opened. */
function openSegments(store: MnemoStore): Map<string, SegmentHandle[]> {
  const segments = new Map<string, SegmentHandle[]>();
  try {
    for (const e of store.parts.catalog.liveSegments()) {
      const info = { path: path.resolve(store.dir, e.path), bytes: e.bytes, rows: e.rows, checksum: e.checksum };
      const h = openHandle(store, { space: e.space, segmentId: e.id, info, minLsn: e.minLsn, maxLsn: e.maxLsn, level: e.level });
      const list = segments.get(e.space) ?? [];
      list.push(h);
      segments.set(e.space, list);
    }
  } catch (e) {
    for (const list of segments.values()) for (const h of list) h.close();
    throw e;
  }
  for (const list of segments.values()) list.sort((a, b) => b.maxLsn - a.maxLsn || b.segmentId - a.segmentId);
  return segments;
}

/** The live segment ids and checkpoint: what a reader depends on not changing while it opens. */
function manifestKey(store: MnemoStore): string {
  const cat = store.parts.catalog;
  return `${cat.checkpointLsn()}:${cat.liveSegments().map((e) => e.id).join(',')}`;
}

async function recover(store: MnemoStore, options: StoreOptions): Promise<void> {
  // A read-only open races with the writer (a compaction may delete a segment, a checkpoint a log
  // file, between reading the catalog and opening the files, and segments + checkpoint must be one
  // consistent pair): retry until the manifest did not move during the open. A file that vanished
  // while the manifest did not move is a log file the writer removed or recycled after its
  // checkpoint covered it (the checkpoint had moved before this attempt read it): retried too.
  for (let attempt = 1; ; attempt++) {
    const before = store.readOnly ? manifestKey(store) : '';
    try {
      await recoverOnce(store, options);
      if (!store.readOnly || manifestKey(store) === before) return;
      if (attempt >= 5) throw new MnemoError('BUSY', 'the database kept changing while it was opened read-only; try again');
    } catch (e) {
      if (!store.readOnly || attempt >= 5 || (manifestKey(store) === before && !vanished(e))) throw e;
    }
    store.reset();
  }
}

/** An I/O error because a file was not there (ENOENT): the writer removed it under a reader. */
function vanished(e: unknown): boolean {
  return isMnemoError(e, 'IO_ERROR') && e.details.errno === 'ENOENT';
}

async function recoverOnce(store: MnemoStore, options: StoreOptions): Promise<void> {
  const { catalog, dir } = store.parts;
  for (const s of catalog.listSpaces()) store.spaces.set(s.name, s);
  const segments = openSegments(store);
  store.setVersion(new Version([store.active], segments));
  if (!store.readOnly) {
    const live = new Set([...segments.values()].flat().map((h) => segmentDirName(h.space, h.segmentId)));
    await collectGarbage(dir, new Set(store.spaces.keys()), live);
  }
  const checkpoint = catalog.checkpointLsn();
  const { wal, batches } = await Wal.open(path.join(dir, WAL_DIR), {
    env: store.parts.env, durability: store.parts.durability, strict: options.strictWal === true, fromLsn: checkpoint, readOnly: store.readOnly,
    preallocateBytes: WAL_PREALLOCATE_BYTES, recycleFiles: options.walRecycleFiles ?? WAL_RECYCLE_FILES,
  });
  store.parts.wal = wal;
  // Log files wholly covered by the checkpoint (e.g. the empty file every earlier writer open
  // started) are removed now, not only after the next flush: reopening must not grow the log.
  if (!store.readOnly) await wal.removeUpTo(checkpoint);
  store.lastLsn = checkpoint;
  for (const b of batches) {
    try {
      applyBatch(b.ops, b.lsn, { memtable: store.active, view: store.latest(), space: (n) => store.spaces.get(n) });
    } catch (e) {
      // A checksum-valid batch that does not apply (e.g. a malformed decay state) is damage too.
      throw new MnemoError('CORRUPTION', `write-ahead log batch ${b.lsn} cannot be replayed: ${(e as Error).message}`, { lsn: b.lsn }, { cause: e });
    }
    store.lastLsn = b.lsn;
  }
  store.appliedLsn = store.lastLsn;
  if (!store.readOnly && !store.spaces.has(DEFAULT_SPACE)) {
    const cfg = resolveSpaceConfig({ name: DEFAULT_SPACE }, store.parts.clock());
    catalog.createSpace(cfg);
    store.spaces.set(cfg.name, cfg);
  }
}
