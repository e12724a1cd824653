/**
 * Client of the segment worker (docs/storage.md, "Flush and compaction off the main thread"): one
 * worker thread per store, started on first use and terminated at close, writes flushed memtables
 * and runs segment merges so their CPU time does not stall reads and writes. When the worker script
 * cannot run — the engine is executed from its TypeScript sources (tests) — or `segmentThread:
 * false` is passed, jobs run inline on the main thread; `stats().segmentThread` says which.
 * Errors come back as MnemoError with their original code. A worker that flushed a large memtable
 * is retired once idle: its references to the blocks' shared memory would keep them alive until
 * its own garbage collector runs, which an idle worker seldom does.
 */
import { MnemoError, type ErrorCode } from '@mnemo/native';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SegmentFileInfo } from '../segment/index.js';
import { WORKER_MARK, runSegmentJob, type SegmentJob, type SegmentReply } from './segment-worker.js';

const SCRIPT = new URL('./segment-worker.js', import.meta.url);
/** Shared bytes a flush hands over from which the worker is retired after it (smaller ones wait for its GC). */
const RETIRE_BYTES = 8 << 20;

/** Bytes of shared memory a flush job names (its blocks' buffers). */
function sharedBytes(job: SegmentJob): number {
  if (job.kind !== 'flush') return 0;
  let n = 0;
  for (const b of job.content.memRows.blocks) n += b.fixed.byteLength + b.ids.byteLength + b.contents.byteLength + b.metas.byteLength;
  return n;
}

/** True when the compiled worker script exists next to this module (false when run from .ts sources). */
export function workerAvailable(): boolean {
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(SCRIPT));
}

export class SegmentWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (i: SegmentFileInfo | undefined) => void; reject: (e: unknown) => void }>();
  /** The current worker was handed RETIRE_BYTES of shared memory or more: retire it when idle. */
  private retireWhenIdle = false;
  /** Workers terminated by retire(): their exit and error events no longer concern this client. */
  private readonly retired = new WeakSet<Worker>();
  readonly mode: 'thread' | 'inline';

  constructor(useThread: boolean) {
    this.mode = useThread && workerAvailable() ? 'thread' : 'inline';
  }

  run(job: SegmentJob): Promise<SegmentFileInfo | undefined> {
    if (this.mode === 'inline') return runSegmentJob(job);
    const w = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      try {
        w.postMessage({ id, job });
      } catch {
        // A job the structured clone cannot copy: run it inline.
        runSegmentJob(job).then(resolve, reject);
        return;
      }
      this.pending.set(id, { resolve, reject });
      if (sharedBytes(job) >= RETIRE_BYTES) this.retireWhenIdle = true;
      if (this.pending.size === 1) w.ref();
    });
  }

  private start(): Worker {
    if (this.worker !== undefined) return this.worker;
    const w = new Worker(SCRIPT, { workerData: { role: WORKER_MARK } });
    w.unref();
    w.on('message', (m: SegmentReply) => this.settle(m));
    w.on('error', (e) => {
      if (!this.retired.has(w)) this.failAll(new MnemoError('INTERNAL', `segment worker failed: ${e.message}`, {}, { cause: e }));
    });
    w.on('exit', (code) => {
      if (this.retired.has(w)) return;
      this.worker = undefined;
      if (this.pending.size > 0) this.failAll(new MnemoError('INTERNAL', `segment worker exited with code ${code}`));
    });
    this.worker = w;
    return w;
  }

  private settle(m: SegmentReply): void {
    const p = this.pending.get(m.id);
    if (p === undefined) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) {
      this.worker?.unref();
      // Still idle a turn later (a flush of several spaces posts its next job before that): retire.
      if (this.retireWhenIdle) {
        setImmediate(() => {
          if (this.pending.size === 0) this.retire();
        });
      }
    }
    if (m.ok) p.resolve(m.info);
    else p.reject(new MnemoError((m.error.code ?? 'INTERNAL') as ErrorCode, m.error.message, (m.error.details ?? {}) as Record<string, unknown>));
  }

  /** Terminates the idle worker (the next job starts a new one), releasing what its heap referenced. */
  private retire(): void {
    const w = this.worker;
    this.worker = undefined;
    this.retireWhenIdle = false;
    if (w === undefined) return;
    this.retired.add(w);
    void w.terminate();
  }

  private failAll(e: MnemoError): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w !== undefined) await w.terminate();
  }
}
