/**
 * BackgroundJobs: the store's single maintenance lane (docs/storage.md, "Flush and
 * compaction"). Flushes, compactions, backups and space drops run one at a time, in the order
 * asked, while reads and writes continue. `run` is for callers that wait for the result;
 * `schedule` is fire-and-forget (automatic flush/compaction) with errors counted, not lost;
 * `close` waits for everything queued and refuses new jobs.
 */
import { MnemoError } from '@mnemo/native';

export class BackgroundJobs {
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  private pending = new Set<string>();

  constructor(private readonly onError: (e: unknown) => void) {}

  run<T>(job: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new MnemoError('CLOSED', 'the store is closing'));
    const p = this.tail.then(job);
    this.tail = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  /** Queue `job` unless one with the same key is already queued and not started. */
  schedule(key: string, job: () => Promise<void>): void {
    if (this.closed || this.pending.has(key)) return;
    this.pending.add(key);
    this.run(() => {
      this.pending.delete(key);
      return job();
    }).catch(this.onError);
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
  }
}
