/**
 * Scheduled CONSOLIDATE jobs (SCHEDULER INTERVAL d | THRESHOLD n): registered in the catalog's
 * jobs table (so they survive reopen) with the statement to run as MQL text (its SCHEDULER
 * clause replaced by IMMEDIATE). While a Database is open, an unref'd timer runs due jobs:
 * INTERVAL jobs when next_run ≤ NOW, THRESHOLD jobs when the space holds ≥ n more episodic
 * memories than at the last run. `runDue()` runs them on demand (tests, the REPL).
 */
import { storeJobs, type StoreJobs, type Store } from '@mnemo/engine';
import type { JobRegistry } from './context.js';

interface JobSpec {
  statement: string;
  /** Episodic memories in the space at the last run (THRESHOLD jobs). */
  episodes?: number;
}

interface Runner {
  query(text: string): Promise<unknown>;
  episodicCount(space: string): number;
}

export class CatalogJobs implements JobRegistry {
  private readonly jobs: StoreJobs;
  private timer: NodeJS.Timeout | null = null;
  private runner: Runner | null = null;
  private running = false;

  constructor(private readonly store: Store, private readonly clock: () => number) {
    this.jobs = storeJobs(store);
  }

  register(kind: string, space: string, spec: unknown, intervalMs: number | null, threshold: number | null): number {
    const now = this.clock();
    return this.jobs.add({
      kind, space, spec, intervalMs, threshold, lastRun: null, created: now,
      nextRun: intervalMs !== null ? now + intervalMs : null,
    });
  }

  list(): ReturnType<StoreJobs['list']> {
    return this.jobs.list();
  }

  attach(runner: Runner & { onClose: (() => void) | undefined }, pollMs: number, readOnly: boolean): void {
    this.runner = runner;
    if (readOnly || pollMs <= 0) return;
    this.timer = setInterval(() => void this.runDue().catch(() => undefined), pollMs);
    this.timer.unref();
    runner.onClose = () => {
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
    };
  }

  /** Runs every due job once; returns the ids of the jobs that ran. */
  async runDue(): Promise<number[]> {
    if (this.running || this.runner === null) return [];
    this.running = true;
    const ran: number[] = [];
    try {
      for (const job of this.jobs.list()) {
        const spec = job.spec as JobSpec;
        const now = this.clock();
        const episodes = job.space !== null ? this.runner.episodicCount(job.space) : 0;
        const due = job.intervalMs !== null
          ? (job.nextRun ?? 0) <= now
          : job.threshold !== null && episodes - (spec.episodes ?? 0) >= job.threshold;
        if (!due) continue;
        await this.runner.query(spec.statement);
        this.jobs.update(job.id, {
          lastRun: now,
          nextRun: job.intervalMs !== null ? now + job.intervalMs : null,
          spec: { ...spec, episodes: job.space !== null ? this.runner.episodicCount(job.space) : 0 },
        });
        ran.push(job.id);
      }
    } finally {
      this.running = false;
    }
    return ran;
  }
}
