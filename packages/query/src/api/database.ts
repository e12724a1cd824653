/**
 * Database: the open handle of the host API (language.md §6). `query(text, params, {signal})`
 * parses and runs a script (several statements run in order; the LAST result is returned),
 * `prepare(text)` parses once into a Statement (db.query also keeps the ASTs of the last 128
 * texts it ran, so a repeated text is not parsed again), `close()` awaits background writes (RECALL
 * reinforcement) and closes the store. One session per Database: USE SPACE and BEGIN … COMMIT
 * apply to it. Statements run one at a time (a queue), so a session's statements never interleave.
 */
import {
  MnemoError, SegmentIndexCache, type SpaceConfig, type Store,
} from '@mnemo/engine';
import { hashEmbed, BUILTIN_EMBEDDER, type Embedder } from '../embedder/index.js';
import { parse } from '../parser/parse.js';
import type { Statement } from '../ast/index.js';
import type { DbCore, JobRegistry, Session } from '../exec/context.js';
import { executeStatement } from '../exec/execute.js';
import { resultOf, statsOf } from '../exec/result-objects.js';
import type { MaybePromise } from '../ops/op.js';
import type { Limits } from './options.js';
import type { Params, ResultSet } from './result.js';
import { PlanCache } from '../plan/plan-cache.js';
import { PreparedStatement } from './statement.js';

/** Progress of long work inside a statement (CONSOLIDATE clusters, COMPACT, HNSW index builds). */
export interface Progress {
  /** What is being done, e.g. 'consolidate', 'compact', 'index build'. */
  task: string;
  done: number;
  total: number;
}

export interface QueryOptions {
  signal?: AbortSignal;
  /** Called as long work advances; drawn as a progress bar by the shell. */
  onProgress?: (p: Progress) => void;
}

/** How many distinct texts db.query keeps parsed, and the longest text it keeps. */
const STATEMENT_CACHE = 128;
const STATEMENT_CACHE_MAX_TEXT = 4096;

export class Database implements DbCore {
  readonly cache: SegmentIndexCache;
  readonly session: Session = { space: 'default', tx: null };
  /** The running statement's progress callback (index builds report through it too). */
  progress: ((p: Progress) => void) | null = null;
  private readonly pending = new Set<Promise<unknown>>();
  private backgroundError: unknown = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  readonly jobs: JobRegistry;
  readonly plans = new PlanCache();

  constructor(
    readonly store: Store,
    readonly clock: () => number,
    readonly limits: Limits,
    private readonly embedder: Embedder | undefined,
    jobs: JobRegistry,
  ) {
    this.jobs = jobs;
    this.cache = new SegmentIndexCache(!store.readOnly);
  }

  get hasHostEmbedder(): boolean {
    return this.embedder !== undefined;
  }

  async embed(texts: string[], space: SpaceConfig): Promise<Float32Array[]> {
    if (this.embedder === undefined || space.embedder === BUILTIN_EMBEDDER && !this.embedder) {
      return texts.map((t) => hashEmbed(t, space.dim));
    }
    const out = await this.embedder(texts, { name: space.name, dim: space.dim });
    if (!Array.isArray(out) || out.length !== texts.length) {
      throw new MnemoError('TYPE_ERROR', `the embedder returned ${Array.isArray(out) ? out.length : 'no'} vectors for ${texts.length} texts`);
    }
    return out.map((v) => (v instanceof Float32Array ? v : Float32Array.from(v)));
  }

  background(p: Promise<unknown>): void {
    const tracked = p.then(
      () => undefined,
      (e) => {
        if (!(e instanceof MnemoError && e.code === 'UNKNOWN_MEMORY')) this.backgroundError ??= e;
      },
    );
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /** Waits for background writes; rethrows the first one that failed (never swallowed). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.backgroundError !== null) {
      const e = this.backgroundError;
      this.backgroundError = null;
      throw e;
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new MnemoError('CLOSED', 'the database is closed');
  }

  private parses = 0;

  /** How many texts this Database has parsed (prepared statements parse once). */
  get parseCount(): number {
    return this.parses;
  }

  /** Recently parsed texts of db.query (ASTs are frozen, so sharing them is safe), LRU order. */
  private readonly parsed = new Map<string, readonly Statement[]>();

  parse(text: string): readonly Statement[] {
    if (typeof text !== 'string') throw new MnemoError('TYPE_ERROR', 'query text must be a string');
    this.parses++;
    return parse(text, { maxLength: this.limits.statementLength, maxDepth: this.limits.nestingDepth }).statements;
  }

  /** parse(), reusing the AST of a text db.query ran recently (the last STATEMENT_CACHE texts). */
  private parseCached(text: string): readonly Statement[] {
    const hit = typeof text === 'string' ? this.parsed.get(text) : undefined;
    if (hit !== undefined) {
      this.parsed.delete(text);
      this.parsed.set(text, hit);
      return hit;
    }
    const statements = this.parse(text);
    if (text.length <= STATEMENT_CACHE_MAX_TEXT) {
      this.parsed.set(text, statements);
      if (this.parsed.size > STATEMENT_CACHE) this.parsed.delete(this.parsed.keys().next().value as string);
    }
    return statements;
  }

  /** Jobs enqueued or running; when none and no background write is pending, a run may start at once. */
  private inFlight = 0;

  /**
   * Runs statements in order on the session queue; returns the last result. When the queue is
   * idle the statements start at once, and a run that waits for nothing finishes before this
   * returns (the order of statements is the same either way: one at a time, in call order).
   */
  run(statements: readonly Statement[], params: Params | undefined, options: QueryOptions = {}): Promise<ResultSet> {
    this.checkOpen();
    if (this.inFlight === 0 && this.pending.size === 0 && this.backgroundError === null) {
      let r: MaybePromise<ResultSet>;
      try {
        r = this.execute(statements, params, options);
      } catch (e) {
        return Promise.reject(e);
      }
      if (!(r instanceof Promise)) return Promise.resolve(r);
      return this.track(r);
    }
    return this.track(this.queue.then(async () => {
      this.checkOpen();
      if (this.pending.size > 0 || this.backgroundError !== null) await this.settle();
      return this.execute(statements, params, options);
    }));
  }

  /** Makes `job` the tail of the session queue until it settles. */
  private track(job: Promise<ResultSet>): Promise<ResultSet> {
    this.inFlight++;
    const done = job.finally(() => {
      this.inFlight--;
    });
    this.queue = done.catch(() => undefined);
    return done;
  }

  /** The statements one after another (each waits for the previous one); the last result. */
  private execute(statements: readonly Statement[], params: Params | undefined, options: QueryOptions): MaybePromise<ResultSet> {
    this.progress = options.onProgress ?? null;
    let r: MaybePromise<ResultSet>;
    try {
      r = this.executeFrom(statements, 0, null, params, options.signal);
    } catch (e) {
      this.progress = null;
      throw e;
    }
    if (r instanceof Promise) {
      return r.finally(() => {
        this.progress = null;
      });
    }
    this.progress = null;
    return r;
  }

  private executeFrom(
    statements: readonly Statement[], from: number, last: ResultSet | null, params: Params | undefined, signal: AbortSignal | undefined,
  ): MaybePromise<ResultSet> {
    for (let i = from; i < statements.length; i++) {
      const r = executeStatement(this, this.session, statements[i] as Statement, { params, signal });
      if (r instanceof Promise) return r.then((v) => this.executeFrom(statements, i + 1, v, params, signal));
      last = r;
    }
    return last ?? resultOf([], [], statsOf(0, 0, 'Empty'));
  }

  async query(text: string, params?: Params, options: QueryOptions = {}): Promise<ResultSet> {
    this.checkOpen();
    return this.run(this.parseCached(text), params, options);
  }

  prepare(text: string): PreparedStatement {
    this.checkOpen();
    return new PreparedStatement(this, text, this.parse(text));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    this.onClose?.();
    let err: unknown = null;
    try {
      await this.settle();
    } catch (e) {
      err = e;
    }
    this.cache.closeAll();
    await this.store.close();
    if (err !== null) throw err;
  }

  /** Episodic memories of a space (the THRESHOLD scheduler's measure). */
  episodicCount(space: string): number {
    const snap = this.store.snapshot();
    try {
      let n = 0;
      for (const r of snap.scan(space)) if (r.kind === 'episodic') n++;
      return n;
    } finally {
      snap.release();
    }
  }

  /** Runs the due scheduled jobs now (the background timer does this every schedulerPollMs). */
  runDueJobs(): Promise<number[]> {
    return this.scheduler?.runDue() ?? Promise.resolve([]);
  }

  scheduler: { runDue(): Promise<number[]> } | null = null;

  /** Set by open(): stops the scheduler timer. */
  onClose: (() => void) | undefined;
}
