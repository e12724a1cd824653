/**
 * Wal: the write-ahead log. `Wal.open` recovers (wal-recover.ts) and starts a new file; `append`
 * frames a batch and hands it to one writer loop that writes whole groups with one pwrite and, in
 * `full` mode, one fdatasync per group (group commit), keeping zero-filled space ahead of small
 * commits (preallocation), and — with recycling on — making new files from retired ones (wal-recycle.ts)
 * and closing them with an END record. Any I/O error fails the log for good.
 * docs/durability.md (modes, group commit, failure, recycling) and docs/wal_format.md (files, removal).
 */
import path from 'node:path';
import { MnemoError } from '@mnemo/native';
import type { WriteOp } from '../../model.js';
import type { Env, EnvFile } from '../env/env.js';
import { nodeEnv } from '../env/node-env.js';
import {
  END_RECORD_SIZE, FILE_HEADER_SIZE, FLAG_RECYCLED, encodeEndRecord, encodeFileHeader, frameBatch, framedSize,
} from './wal-format.js';
import { validateOptions, type WalSettings } from './wal-options.js';
import { encodeBatch } from './wal-payload.js';
import { logFileName, recover, type LogFile } from './wal-recover.js';
import { quarantine, syncKept } from './wal-quarantine.js';
import { RecyclePool, type Reused } from './wal-recycle.js';
import type { RecoveryReport, WalBatch, WalOptions } from './wal-types.js';

interface Waiter {
  resolve(): void;
  reject(e: unknown): void;
  /** close()'s final sync: a recycled file gets its END record first. */
  end?: boolean;
}
interface Pending {
  lsn: number;
  payload: Uint8Array;
  resolve(lsn: number): void;
  reject(e: unknown): void;
  /** append()'s `whileSyncing` hook, and what it threw (the append then rejects with that). */
  hook: ((lsn: number) => void) | undefined;
  hookFailed?: { error: unknown };
}

/** Runs the group's whileSyncing hooks in LSN order; a hook's error is kept for its own append. */
function runHooks(group: Pending[]): void {
  for (const p of group) {
    if (p.hook === undefined) continue;
    try {
      p.hook(p.lsn);
    } catch (e) {
      p.hookFailed = { error: e };
    }
  }
}

/** Settles the group's appends in LSN order (an append whose hook threw rejects with that). */
function acknowledge(group: Pending[]): void {
  for (const p of group) {
    if (p.hookFailed === undefined) p.resolve(p.lsn);
    else p.reject(p.hookFailed.error);
  }
}

const FAILED_MESSAGE = 'write-ahead log is failed; reopen the database';
/** Largest framing buffer kept for reuse (bigger groups get a buffer of their own). */
const FRAME_BUFFER_KEEP = 4 << 20;
/**
 * Zeroes a new file is created with (at most; preallocateBytes if smaller): opening stays cheap
 * (1 MiB of zeroes written and fsynced would add ~2 ms to every writer open), and the first small
 * commit's topUp fills the rest in the background.
 */
const FIRST_ZEROES = 64 << 10;
/** Payloads of appends are encoded into consecutive slices of a slab this large (larger ones get their own buffer). */
const SLAB_BYTES = 256 << 10;

export class Wal {
  private queue: Pending[] = [];
  private syncWaiters: Waiter[] = [];
  private rotateWaiters: Waiter[] = [];
  private running = false;
  private file: EnvFile | null = null;
  private salt = 0;
  /** The active file was made from a recycled one (it ends with an END record). */
  private recycled = false;
  private fileSize = 0;
  /** Physical end of the active file: fileSize plus the zeroes written ahead of it. */
  private zeroEnd = 0;
  private zeroBuf: Uint8Array | null = null;
  /** A zero-filling write in flight on the thread pool (topUp), and the error it ended with. */
  private zeroing: Promise<void> | null = null;
  private zeroError: unknown = null;
  /** Framing buffer reused across groups (written out before the next group is framed). */
  private frameBuf: Uint8Array | null = null;
  /** The last chunk of the group in hand, framed but not yet written (writeGroup with deferLast). */
  private unsynced: { buf: Uint8Array; position: number } | null = null;
  /**
   * Appends encode their payloads into consecutive slices of this slab (no allocation per
   * append); it is reused from the start once every lent slice is framed and the queue is empty.
   */
  private slab = new Uint8Array(0);
  private slabUsed = 0;
  private readonly lend = (bytes: number): Uint8Array => {
    if (bytes > SLAB_BYTES / 4) return new Uint8Array(bytes);
    if (this.slabUsed + bytes > this.slab.length) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.slabUsed = 0;
    }
    const out = this.slab.subarray(this.slabUsed, this.slabUsed + bytes);
    this.slabUsed += bytes;
    return out;
  };
  private dirty = false;
  private assigned: number;
  private written: number;
  private synced: number;
  private failure: MnemoError | null = null;
  private closed = false;
  private closing = false;
  private timer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private readonly env: Env,
    private readonly dir: string,
    private readonly opts: WalSettings,
    private readonly files: LogFile[],
    private maxFileNumber: number,
    lastLsn: number,
    private readonly pool: RecyclePool | null,
  ) {
    this.assigned = this.written = this.synced = lastLsn;
  }

  /**
   * Recover the log in `dir` (the WAL directory itself, e.g. `<db>/wal`) and open it for appends.
   * Returns the batches with LSN > opts.fromLsn in LSN order and the recovery report.
   */
  static async open(dir: string, opts: WalOptions): Promise<{ wal: Wal; batches: WalBatch[]; report: RecoveryReport }> {
    const env = opts.env ?? nodeEnv;
    const settings = validateOptions(opts);
    const rec = await recover(env, dir, opts.fromLsn, opts.strict === true);
    const pool = settings.readOnly ? null : await RecyclePool.load(env, dir, settings.recycleFiles, settings.maxFileBytes);
    const maxFileNumber = Math.max(rec.maxFileNumber, pool?.maxNumber ?? 0);
    const wal = new Wal(env, dir, settings, rec.kept, maxFileNumber, rec.report.lastLsn, pool);
    if (pool !== null) {
      try {
        if (await env.mkdir(dir)) await env.fsyncDir(path.dirname(dir));
        await syncKept(env, dir, rec.kept.map((f) => f.name));
        rec.report.quarantined = await quarantine(env, dir, rec.beyond);
        if ((await pool.trim()) > 0) await env.fsyncDir(dir);
        await wal.startNewFile();
      } catch (e) {
        await wal.file?.close().catch(() => undefined);
        throw e;
      }
      if (settings.durability === 'normal') wal.startTimer();
    }
    return { wal, batches: rec.batches, report: rec.report };
  }

  /** LSN of the last appended batch (acknowledged or not), or the recovered last LSN. */
  get lastLsn(): number {
    return this.assigned;
  }

  /** LSN up to which every batch is known to be fsynced. */
  get durableLsn(): number {
    return this.synced;
  }

  /** The error that failed the log, or null. */
  get failed(): MnemoError | null {
    return this.failure;
  }

  /** Names of the log files, oldest first (the last is the active one). */
  get fileNames(): string[] {
    return this.files.map((f) => f.name);
  }

  /**
   * Append one atomic batch; resolves with its LSN once durable per the durability mode.
   * `whileSyncing(lsn)`, when given, runs before the acknowledgement, in LSN order across
   * appends, synchronously inside the log's writer loop: in `full` mode once the thread-pool job
   * that writes and fdatasyncs the batch's group is started (so the caller's CPU work overlaps
   * the disk's), in `normal` and `off` right after the group's write. If that write or sync then
   * fails, the append still rejects (and the log fails). If the hook throws, that append rejects
   * with its error (the batch stays logged) and the log carries on.
   */
  append(ops: WriteOp[], whileSyncing?: (lsn: number) => void): Promise<number> {
    const refused = this.refusal();
    if (refused !== null) return Promise.reject(refused);
    let payload: Uint8Array;
    try {
      payload = encodeBatch(ops, this.lend);
    } catch (e) {
      return Promise.reject(e);
    }
    const lsn = ++this.assigned;
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ lsn, payload, resolve, reject, hook: whileSyncing });
      this.kick();
    });
  }

  /** Write and fsync everything appended so far (any mode; checkpoints call it). */
  sync(): Promise<void> {
    return this.request(this.syncWaiters);
  }

  /** Sync the active file and start a new one. */
  rotate(): Promise<void> {
    return this.request(this.rotateWaiters);
  }

  /** Number of retired files kept for reuse (`NNNNNN.recycle`). */
  get recycleCandidates(): number {
    return this.pool?.size ?? 0;
  }

  /**
   * Retire files whose batches all have LSN ≤ lsn (never the active file): keep them for reuse
   * while the recycle pool has room, delete the rest; fsync the directory.
   */
  async removeUpTo(lsn: number): Promise<number> {
    const refused = this.refusal();
    if (refused !== null) throw refused;
    const victims: LogFile[] = [];
    while (this.files.length > 1 && this.files[1]!.startLsn - 1 <= lsn) victims.push(this.files.shift()!);
    for (const v of victims) {
      if (!(await this.pool!.retire(v.name, v.number))) await this.env.unlink(path.join(this.dir, v.name));
    }
    if (victims.length > 0) await this.env.fsyncDir(this.dir);
    return victims.length;
  }

  /** Drain, sync and close. After a failure it only releases the file. */
  async close(): Promise<void> {
    if (this.closed || this.closing) return;
    this.closing = true;
    let error: unknown = null;
    if (this.failure === null && !this.opts.readOnly) {
      await new Promise<void>((resolve, reject) => {
        this.syncWaiters.push({ resolve, reject, end: true });
        this.kick();
      }).catch((e: unknown) => (error = e));
    }
    this.closed = true;
    this.stopTimer();
    await this.zeroing;
    await this.file?.close().catch(() => undefined);
    this.file = null;
    if (error !== null) throw error;
  }

  // ---- writer loop ----

  private refusal(): MnemoError | null {
    if (this.failure !== null) return this.failure;
    if (this.closed || this.closing) return new MnemoError('CLOSED', 'write-ahead log is closed');
    if (this.opts.readOnly) return new MnemoError('READ_ONLY', 'write-ahead log was opened read-only');
    return null;
  }

  private request(list: Waiter[]): Promise<void> {
    const refused = this.refusal();
    if (refused !== null) return Promise.reject(refused);
    return new Promise<void>((resolve, reject) => {
      list.push({ resolve, reject });
      this.kick();
    });
  }

  /** Start the loop on the next microtask, so appends made in the same tick form one group. */
  private kick(): void {
    if (this.running) return;
    this.running = true;
    queueMicrotask(() => void this.loop());
  }

  private async loop(): Promise<void> {
    while (this.failure === null && (this.queue.length > 0 || this.syncWaiters.length > 0 || this.rotateWaiters.length > 0)) {
      await this.step();
    }
    this.running = false;
  }

  /** One round: write the queued group, sync if the mode or a caller asks, rotate if asked. */
  private async step(): Promise<void> {
    const group = this.queue.splice(0);
    const syncs = this.syncWaiters.splice(0);
    const rotates = this.rotateWaiters.splice(0);
    const full = this.opts.durability === 'full';
    try {
      // close() may append an END record after the group (to a recycled file: the group can also
      // rotate into one), so then the group is written first, not deferred to the sync.
      const closing = syncs.some((w) => w.end === true);
      if (group.length > 0) await this.writeGroup(group, full && !closing);
      if (!full) {
        runHooks(group);
        acknowledge(group);
      }
      if (closing && this.recycled) await this.writeEnd();
      if (full || syncs.length > 0 || rotates.length > 0) {
        // The sync is on the thread pool once syncFile returns: the hooks run while it is in flight.
        const synced = this.syncFile();
        if (full) runHooks(group);
        await synced;
      }
      if (full) acknowledge(group);
      if (rotates.length > 0) await this.startNewFile();
    } catch (e) {
      this.fail(e, [...group, ...syncs, ...rotates]);
      return;
    }
    for (const w of [...syncs, ...rotates]) w.resolve();
  }

  /**
   * Write a group in file-sized chunks, rotating between chunks; batches never span files. With
   * `deferLast` the last chunk is not written here but left in `unsynced` for syncFile, which
   * writes and syncs it as one thread-pool job.
   */
  private async writeGroup(group: Pending[], deferLast: boolean): Promise<void> {
    const frag = this.opts.fragmentBytes;
    for (let i = 0; i < group.length; ) {
      let j = i;
      let bytes = 0;
      while (j < group.length) {
        const size = framedSize(group[j]!.payload.length, frag);
        const fits = this.fileSize + bytes + size <= this.opts.maxFileBytes;
        if (!fits && (j > i || this.fileSize > FILE_HEADER_SIZE)) break;
        bytes += size;
        j++;
      }
      if (j === i) {
        await this.startNewFile();
        continue;
      }
      // Never write where a zero-filling write is still landing.
      if (this.zeroing !== null && this.fileSize + bytes > this.zeroEnd) await this.settleZeroing();
      const buf = this.frameBuffer(bytes);
      let at = 0;
      for (let k = i; k < j; k++) at = frameBatch(buf, at, group[k]!.payload, group[k]!.lsn, this.salt, frag);
      if (deferLast && j === group.length) this.unsynced = { buf, position: this.fileSize };
      else this.file!.writeSync(buf, this.fileSize);
      this.fileSize += bytes;
      this.zeroEnd = Math.max(this.zeroEnd, this.fileSize);
      this.dirty = true;
      this.topUp(bytes);
      this.written = group[j - 1]!.lsn;
      i = j;
    }
    if (this.queue.length === 0) this.slabUsed = 0;
  }

  /**
   * Keep preallocateBytes of zeroes ahead of the write position while commits are small: when less
   * than half of it is left, write the next stretch. That write goes to the thread pool (filling
   * new page-cache pages costs about 1 ms per 512 KiB, which the JS thread would otherwise spend
   * between a sync and the next group) and is made durable by whichever fdatasync follows it;
   * writeGroup waits for it only before writing past the zeroes already in place.
   * A group of a quarter of it or more just extends the file: zero-filling ahead of bulk writes
   * would write every byte twice.
   */
  private topUp(groupBytes: number): void {
    const z = this.opts.preallocateBytes;
    if (z === 0 || this.zeroing !== null || groupBytes >= z / 4 || this.zeroEnd - this.fileSize >= z / 2) return;
    const from = this.zeroEnd;
    const to = Math.min(this.fileSize + z, this.opts.maxFileBytes);
    if (to <= from) return;
    this.zeroing = this.file!.write(this.zeroes(to - from), from).then(
      () => {
        this.zeroEnd = Math.max(this.zeroEnd, to);
        this.zeroing = null;
      },
      (e: unknown) => {
        this.zeroError = e;
        this.zeroing = null;
      },
    );
  }

  /** Wait for a zero-filling write in flight; its failure fails the log like any write. */
  private async settleZeroing(): Promise<void> {
    if (this.zeroing !== null) await this.zeroing;
    if (this.zeroError !== null) throw this.zeroError;
  }

  /** A buffer of `bytes` for framing; every byte of it is overwritten by frameBatch. */
  private frameBuffer(bytes: number): Uint8Array {
    if (bytes > FRAME_BUFFER_KEEP) return new Uint8Array(bytes);
    if (this.frameBuf === null || this.frameBuf.length < bytes) {
      this.frameBuf = new Uint8Array(Math.min(FRAME_BUFFER_KEEP, Math.max(bytes, 2 * (this.frameBuf?.length ?? 0))));
    }
    return this.frameBuf.subarray(0, bytes);
  }

  private zeroes(n: number): Uint8Array {
    if (this.zeroBuf === null || this.zeroBuf.length < n) this.zeroBuf = new Uint8Array(Math.max(n, this.opts.preallocateBytes));
    return this.zeroBuf.subarray(0, n);
  }

  /** fdatasync the active file — with the deferred last chunk of a group written first, in the same job. */
  private async syncFile(): Promise<void> {
    const tail = this.unsynced;
    this.unsynced = null;
    if (this.zeroError !== null) throw this.zeroError;
    if (!this.dirty || this.file === null) return;
    const upTo = this.written;
    this.dirty = false;
    if (tail !== null) await this.file.writeAndSync(tail.buf, tail.position);
    else await this.file.datasync();
    if (this.zeroError !== null) throw this.zeroError;
    this.synced = upTo;
  }

  /**
   * Sync and close the active file (a recycled one after its END record); start the next one from
   * a recycled file when the pool has one, else create it: header, zeroes, fsync, directory fsync.
   */
  private async startNewFile(): Promise<void> {
    if (this.file !== null) {
      await this.settleZeroing();
      if (this.recycled) await this.writeEnd();
      await this.syncFile();
      await this.file.close();
      this.file = null;
    }
    const number = ++this.maxFileNumber;
    const name = logFileName(number);
    const startLsn = this.written + 1;
    const reused = await this.pool?.take(name);
    if (reused) await this.startRecycled(reused, number, startLsn);
    else await this.startCreated(number, startLsn);
    this.files.push({ number, name, startLsn });
    this.fileSize = FILE_HEADER_SIZE;
  }

  private async startCreated(number: number, startLsn: number): Promise<void> {
    const salt = this.env.random32();
    const file = await this.env.open(path.join(this.dir, logFileName(number)), 'create');
    this.file = file;
    await file.write(encodeFileHeader({ salt, startLsn, fileNumber: number }), 0);
    const first = Math.min(this.opts.preallocateBytes, FIRST_ZEROES);
    const zeroEnd = Math.max(FILE_HEADER_SIZE, Math.min(FILE_HEADER_SIZE + first, this.opts.maxFileBytes));
    if (zeroEnd > FILE_HEADER_SIZE) await file.write(this.zeroes(zeroEnd - FILE_HEADER_SIZE), FILE_HEADER_SIZE);
    await file.sync();
    await this.env.fsyncDir(this.dir);
    this.salt = salt;
    this.recycled = false;
    this.zeroEnd = zeroEnd;
  }

  /** The pool already renamed the file and fsynced the directory: write the new header (new salt), fsync. */
  private async startRecycled(reused: Reused, number: number, startLsn: number): Promise<void> {
    this.file = reused.file;
    let salt = this.env.random32();
    while (salt === reused.oldSalt) salt = this.env.random32();
    await reused.file.write(encodeFileHeader({ salt, startLsn, fileNumber: number, flags: FLAG_RECYCLED }), 0);
    await reused.file.sync();
    this.salt = salt;
    this.recycled = true;
    // The old bytes are allocated space ahead of the writes; preallocation resumes past them.
    this.zeroEnd = Math.max(FILE_HEADER_SIZE, reused.size);
  }

  /** Close a recycled file's log with an END record (docs/wal_format.md "END record"); synced by the caller. */
  private async writeEnd(): Promise<void> {
    await this.settleZeroing();
    this.file!.writeSync(encodeEndRecord(this.fileSize, this.written + 1, this.salt), this.fileSize);
    this.fileSize += END_RECORD_SIZE;
    this.zeroEnd = Math.max(this.zeroEnd, this.fileSize);
    this.dirty = true;
  }

  /** Enter the failed state: reject the given waiters and everything queued; acknowledge nothing more. */
  private fail(cause: unknown, waiters: Array<{ reject(e: unknown): void }>): void {
    const c = cause as { details?: Record<string, unknown> };
    this.failure = new MnemoError('IO_ERROR', FAILED_MESSAGE, { ...(c?.details ?? {}) }, { cause });
    this.unsynced = null;
    this.stopTimer();
    const all = [...waiters, ...this.queue.splice(0), ...this.syncWaiters.splice(0), ...this.rotateWaiters.splice(0)];
    for (const w of all) w.reject(this.failure);
  }

  private startTimer(): void {
    this.timer = setInterval(() => {
      if (this.dirty || this.queue.length > 0) this.syncWaiters.push({ resolve: () => undefined, reject: () => undefined });
      if (this.syncWaiters.length > 0) this.kick();
    }, this.opts.normalIntervalMs);
    this.timer.unref?.();
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
