/**
 * Client of the segment worker (docs/storage.md, "Flush and compaction off the main thread"): one
 * worker thread per store, started on first use and terminated at close, writes flushed memtables
 * and runs segment merges so their CPU time does not stall reads and writes. When the worker script
 * cannot run — the engine is executed from its TypeScript sources (tests) — or `segmentThread:
 * false` is passed, jobs run inline on the main thread; `stats().segmentThread` says which.
 * Errors come back as MnemoError with their original code.
 */
import { MnemoError, type ErrorCode } from '@mnemo/native';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SegmentFileInfo } from '../segment/index.js';
import { WORKER_MARK, runSegmentJob, type SegmentJob, type SegmentReply } from './segment-worker.js';

const SCRIPT = new URL('./segment-worker.js', import.meta.url);

/** True when the compiled worker script exists next to this module (false when run from .ts sources). */
export function workerAvailable(): boolean {
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(SCRIPT));
}

export class SegmentWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (i: SegmentFileInfo | undefined) => void; reject: (e: unknown) => void }>();
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
      if (this.pending.size === 1) w.ref();
    });
  }

  private start(): Worker {
    if (this.worker !== undefined) return this.worker;
    const w = new Worker(SCRIPT, { workerData: { role: WORKER_MARK } });
    w.unref();
    w.on('message', (m: SegmentReply) => this.settle(m));
    w.on('error', (e) => this.failAll(new MnemoError('INTERNAL', `segment worker failed: ${e.message}`, {}, { cause: e })));
    w.on('exit', (code) => {
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
    if (this.pending.size === 0) this.worker?.unref();
    if (m.ok) p.resolve(m.info);
    else p.reject(new MnemoError((m.error.code ?? 'INTERNAL') as ErrorCode, m.error.message, (m.error.details ?? {}) as Record<string, unknown>));
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
