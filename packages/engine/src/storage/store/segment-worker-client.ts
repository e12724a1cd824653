/**
 * Client of the segment worker (docs/storage.md, "Flush and compaction off the main thread"): one
 * worker thread per store, started on first use and terminated at close, writes flushed memtables
 * and runs segment merges so their CPU time does not stall reads and writes. When the worker script
 * cannot run — the engine is executed from its TypeScript sources (tests) — or `segmentThread:
 * false` is passed, jobs run inline on the main thread; `stats().segmentThread` says which.
 * Errors come back as MnemoError with their original code. A worker that flushed large memtables
 * is retired once it has been idle for IDLE_RETIRE_MS: its references to the blocks' shared memory
 * would keep them alive until its own garbage collector runs, which an idle worker never does
 * (while flushes keep coming its collections free them, and retiring it after each one cost a
 * worker start, ~0.1 s of CPU, per flush: measured in bench/results/ingest.md).
 */
import { MnemoError, type ErrorCode } from '@mnemo/native';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SegmentFileInfo } from '../segment/index.js';
import { WORKER_MARK, runSegmentJob, type SegmentJob, type SegmentReply } from './segment-worker.js';

const SCRIPT = new URL('./segment-worker.js', import.meta.url);
/** Shared bytes handed to a worker from which it is retired once idle (smaller ones wait for its GC). */
const RETIRE_BYTES = 8 << 20;
/** How long the worker must have been idle before it is retired. */
const IDLE_RETIRE_MS = 1000;

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
  /** Shared bytes of flushes handed to the current worker. */
  private handed = 0;
  /** Pending retirement of the idle worker. */
  private retireTimer: ReturnType<typeof setTimeout> | undefined;
  /** Workers terminated by retire(): their exit and error events no longer concern this client. */
  private readonly retired = new WeakSet<Worker>();
  readonly mode: 'thread' | 'inline';

  constructor(useThread: boolean) {
    this.mode = useThread && workerAvailable() ? 'thread' : 'inline';
  }

  run(job: SegmentJob): Promise<SegmentFileInfo | undefined> {
    if (this.mode === 'inline') return runSegmentJob(job);
    clearTimeout(this.retireTimer);
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
      this.handed += sharedBytes(job);
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
      if (this.handed >= RETIRE_BYTES) {
        this.retireTimer = setTimeout(() => {
          if (this.pending.size === 0) this.retire();
        }, IDLE_RETIRE_MS);
        this.retireTimer.unref();
      }
    }
    if (m.ok) p.resolve(m.info);
    else p.reject(new MnemoError((m.error.code ?? 'INTERNAL') as ErrorCode, m.error.message, (m.error.details ?? {}) as Record<string, unknown>));
  }

  /** Terminates the idle worker (the next job starts a new one), releasing what its heap referenced. */
  private retire(): void {
    const w = this.worker;
    this.worker = undefined;
    this.handed = 0;
    if (w === undefined) return;
    this.retired.add(w);
    void w.terminate();
  }

  private failAll(e: MnemoError): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  async close(): Promise<void> {
    clearTimeout(this.retireTimer);
    const w = this.worker;
    this.worker = undefined;
    if (w !== undefined) await w.terminate();
  }
}
