/**
 * The execution context of one statement: the database core (store, index cache, embedder,
 * limits), the session (default space, open transaction), bound parameters, the statement's NOW,
 * a lazily taken snapshot, the write sink and, under PROFILE, per-operator figures.
 */
import {
  MnemoError, type SegmentIndexCache, type Snapshot, type SpaceConfig, type Store, type WriteOp,
} from '@mnemo/engine';
import type { IdRef } from '../ast/index.js';
import type { Limits } from '../api/options.js';
import type { Params } from '../api/result.js';
import { bindSpace } from '../analyze/bind-space.js';
import { evalId } from '../analyze/values.js';
import type { Candidate } from '../ops/candidate.js';
import type { Op, OpProfile } from '../ops/op.js';
import type { PlanCache } from '../plan/plan-cache.js';

/** What the statement executor needs from the open database. */
export interface DbCore {
  readonly store: Store;
  readonly cache: SegmentIndexCache;
  readonly clock: () => number;
  readonly limits: Limits;
  embed(texts: string[], space: SpaceConfig): Promise<Float32Array[]>;
  /** True when open() was given a host embedder (used for every space's text). */
  readonly hasHostEmbedder: boolean;
  /** Runs a write that the statement does not wait for (RECALL reinforcement); close() awaits it. */
  background(p: Promise<unknown>): void;
  /** Scheduled jobs (CONSOLIDATE ... SCHEDULER). */
  readonly jobs: JobRegistry;
  /** Plans reused across runs of one statement node (plan/plan-cache.ts). */
  readonly plans: PlanCache;
  /** Progress callback of the running statement, if the caller asked for one. */
  readonly progress: ((p: { task: string; done: number; total: number }) => void) | null;
}

export interface JobRegistry {
  register(kind: string, space: string, spec: unknown, intervalMs: number | null, threshold: number | null): number;
}

export interface Session {
  space: string;
  /** Buffered writes of the open transaction; null outside a transaction. */
  tx: WriteOp[] | null;
}

const NO_CANDIDATES: readonly Candidate[] = Object.freeze([]);
const NO_VALUES: readonly unknown[] = Object.freeze([]);

/**
 * A read allocates no arrays here: the PROFILE and write lists are made when first used (less
 * garbage per statement, and no array literals made by every statement kind: the context of a
 * write lives across its awaited fdatasync, which can get such literal sites pretenured by V8 —
 * exec/plain-object.ts, bench/results/query.md "Analysis (session 5)").
 */
export class ExecContext {
  private snapshot: Snapshot | null = null;
  readonly profile: Map<Op, OpProfile> | null;
  /** Candidates cut by an operator, with the reason (PROFILE only; see suppress()). */
  private suppressedList: Candidate[] | null = null;
  /** Candidates the statement returned (PROFILE only). */
  returned: readonly Candidate[] = NO_CANDIDATES;
  /** IMAGINE's completed pattern (stats.completion). */
  completion: Float32Array | null = null;
  /** Memory ids written by this statement (stats.ids; see recordWrites()). */
  private written: string[] | null = null;
  /** Number of write ops committed or buffered (stats.writes). */
  writeCount = 0;
  /** performance.now() when the statement started (elapsed time and the queryTimeMs budget). */
  readonly started = performance.now();
  /**
   * This run's values of a reused plan's slots (ops/run-value.ts), set by the statement's binder
   * (plan/recall.ts): the plan's operators are shared by the runs, the values are not.
   */
  values: readonly unknown[] = NO_VALUES;

  constructor(
    readonly core: DbCore,
    readonly session: Session,
    readonly params: Params | undefined,
    readonly now: number,
    readonly signal: AbortSignal | undefined,
    profiling: boolean,
  ) {
    this.profile = profiling ? new Map() : null;
  }

  /** Candidates cut by an operator (PROFILE only). */
  get suppressed(): readonly Candidate[] {
    return this.suppressedList ?? NO_CANDIDATES;
  }

  /** Under PROFILE, records that an operator cut `c` and why; otherwise does nothing. */
  suppress(c: Candidate, reason: string): void {
    if (this.profile === null) return;
    c.suppressed = reason;
    (this.suppressedList ??= []).push(c);
  }

  /** Memory ids written by this statement (stats.ids), or null when it wrote none. */
  writtenIds(): string[] | null {
    return this.written;
  }

  /** Counts `ops` write ops committed or buffered by this statement, which wrote memories `ids`. */
  recordWrites(ids: readonly string[], ops: number): void {
    if (ids.length > 0) (this.written ??= []).push(...ids);
    this.writeCount += ops;
  }

  get store(): Store {
    return this.core.store;
  }

  get limits(): Limits {
    return this.core.limits;
  }

  get snap(): Snapshot {
    if (this.snapshot === null) this.snapshot = this.core.store.snapshot();
    return this.snapshot;
  }

  /** Drop the snapshot so the next read sees the latest committed state. */
  refresh(): void {
    this.release();
  }

  release(): void {
    this.snapshot?.release();
    this.snapshot = null;
  }

  /** The space named by `ref`, or the session default. */
  space(ref: IdRef | null): SpaceConfig {
    const name = ref === null ? this.session.space : evalId(ref, this.params);
    return this.core.store.findSpace(name) ?? bindSpace(name, this.core.store.listSpaces());
  }

  /** Report progress of long work to the caller (no-op unless it asked). */
  reportProgress(task: string, done: number, total: number): void {
    this.core.progress?.({ task, done, total });
  }

  private budgetChecks = 0;

  /**
   * Throws LIMIT_EXCEEDED when the caller aborted or queryTimeMs has passed. The signal is looked
   * at on every call, the clock at every 8th: a synchronous plan's operators are pulled in one
   * nested burst (microseconds apart), long loops call this every 1024 rows, and time spent
   * waiting (an embedder, a write) is checked by checkTime() when the wait ends. A clock read costs
   * ~50 ns here, a sixtieth of a point RECALL.
   */
  checkBudget(): void {
    if (this.signal?.aborted) throw new MnemoError('LIMIT_EXCEEDED', 'the query was cancelled', { limit: 'signal' });
    if ((++this.budgetChecks & 7) !== 0) return;
    this.checkTime();
  }

  /** Throws LIMIT_EXCEEDED when queryTimeMs has passed since the statement started. */
  checkTime(): void {
    const ms = performance.now() - this.started;
    if (ms > this.limits.queryTimeMs) {
      throw new MnemoError('LIMIT_EXCEEDED', `the query ran longer than ${this.limits.queryTimeMs} ms (limit queryTimeMs)`, {
        limit: 'queryTimeMs', value: this.limits.queryTimeMs,
      });
    }
  }

  get inTransaction(): boolean {
    return this.session.tx !== null;
  }

  /** True when the open transaction has buffered a write of memory `id`. */
  isBuffered(space: string, id: string): boolean {
    return this.session.tx?.some((o) => o.op === 'remember' && o.record.space === space && o.record.id === id) ?? false;
  }

  /** Commit `ops` as one atomic batch, or buffer them in the open transaction. Returns ids written. */
  async write(ops: WriteOp[]): Promise<string[]> {
    if (ops.length === 0) return [];
    if (this.session.tx !== null) {
      this.session.tx.push(...ops);
      return ops.flatMap((o) => (o.op === 'remember' ? [o.record.id] : []));
    }
    // The statement's snapshot is dropped before the durable write is awaited (the next read takes
    // a new one that sees the write), so it and the records read through it die young.
    this.refresh();
    const r = await this.core.store.write(ops);
    return r.ids;
  }

  /**
   * Reinforcement presentations of a read: buffered in a transaction, else written without waiting.
   * A read-only database records no presentations.
   */
  reinforce(ops: WriteOp[]): void {
    if (ops.length === 0 || this.core.store.readOnly) return;
    if (this.session.tx !== null) {
      this.session.tx.push(...ops);
      return;
    }
    this.core.background(this.core.store.write(ops));
  }
}
