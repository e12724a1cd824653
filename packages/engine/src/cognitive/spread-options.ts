/**
 * SPREAD options: defaults, validation (INVALID_ARGUMENT) and the node/time budget meter
 * (LIMIT_EXCEEDED; the clock is read at start and every 256 visits). Shared by the cognitive
 * `spread` (spread.ts) and the dense kernel (graph/spread-dense.ts), so the two agree error for
 * error; test/graph-spread-oracle.test.ts checks it. docs/cognition.md §"SPREAD".
 */
import { MnemoError } from '@mnemo/native';

export interface SpreadBudget {
  /** Max neighbour examinations (one per edge looked at). Default 100 000. */
  maxNodes?: number;
  /** Max elapsed time by `clock`. Default 1000 ms. */
  maxMs?: number;
  /** Injected clock (ms). Default performance.now (tests inject a fake one). */
  clock?: () => number;
}

export interface SpreadOptions {
  maxHops?: number;
  /** Decay r per hop, in (0, 1]. Default 0.5. */
  decay?: number;
  /** Activation below this neither propagates nor is returned. Default 0.01. */
  threshold?: number;
  limit?: number;
  /** Maximum associative strength S of the fan effect. Default SPREAD_DEFAULTS.strength. */
  strength?: number;
  budget?: SpreadBudget;
}

export const SPREAD_DEFAULTS = Object.freeze({
  maxHops: 3,
  decay: 0.5,
  threshold: 0.01,
  strength: 5,
  maxNodes: 100_000,
  maxMs: 1000,
});

export interface ResolvedSpread {
  maxHops: number;
  decay: number;
  threshold: number;
  strength: number;
  limit: number;
  maxNodes: number;
  maxMs: number;
  clock: () => number;
}

/** The default budget clock (a kernel that sees it may time the budget with its own monotonic clock). */
export const performanceClock = (): number => performance.now();

function bad(what: string, v: number, want: string): never {
  throw new MnemoError('INVALID_ARGUMENT', `SPREAD ${what} must be ${want}, got ${v}`);
}

export function resolveSpread(opts: SpreadOptions): ResolvedSpread {
  const d = SPREAD_DEFAULTS;
  const o: ResolvedSpread = {
    maxHops: opts.maxHops ?? d.maxHops,
    decay: opts.decay ?? d.decay,
    threshold: opts.threshold ?? d.threshold,
    strength: opts.strength ?? d.strength,
    limit: opts.limit ?? Number.POSITIVE_INFINITY,
    maxNodes: opts.budget?.maxNodes ?? d.maxNodes,
    maxMs: opts.budget?.maxMs ?? d.maxMs,
    clock: opts.budget?.clock ?? performanceClock,
  };
  if (!Number.isInteger(o.maxHops) || o.maxHops < 0) bad('MAX_HOPS', o.maxHops, 'an integer >= 0');
  if (!(o.decay > 0 && o.decay <= 1)) bad('DECAY', o.decay, 'in (0, 1]');
  if (!(o.threshold >= 0 && Number.isFinite(o.threshold))) bad('THRESHOLD', o.threshold, 'a finite number >= 0');
  if (!(o.strength > 0 && Number.isFinite(o.strength))) bad('strength S', o.strength, 'a positive number');
  if (!(o.limit >= 0) || (Number.isFinite(o.limit) && !Number.isInteger(o.limit))) bad('LIMIT', o.limit, 'an integer >= 0');
  if (!(o.maxNodes >= 1)) bad('node budget', o.maxNodes, '>= 1');
  if (!(o.maxMs > 0)) bad('time budget', o.maxMs, '> 0 ms');
  return o;
}

/**
 * Counts neighbour examinations and checks the clock every 256 of them. The kernel increments
 * `visits` itself and calls `check()` only when `visits > maxNodes` or `visits % 256 === 0`
 * (keeping the throwing code out of the hot loop); `tick()` is the same in one call.
 */
export class SpreadMeter {
  visits = 0;
  readonly maxNodes: number;
  private readonly start: number;
  constructor(private readonly o: ResolvedSpread) {
    this.maxNodes = o.maxNodes;
    this.start = o.clock();
  }

  /** One neighbour examination. */
  tick(): void {
    this.visits++;
    if (this.visits > this.maxNodes || (this.visits & 255) === 0) this.check();
  }

  /** The budget checks for the current `visits` (throws LIMIT_EXCEEDED). */
  check(): void {
    if (this.visits > this.o.maxNodes) {
      throw new MnemoError(
        'LIMIT_EXCEEDED',
        `SPREAD visited more than ${this.o.maxNodes} nodes (budget maxNodes); raise the node budget, ` +
          `or narrow the query with a higher THRESHOLD or a lower MAX_HOPS`,
        { limit: 'maxNodes', value: this.o.maxNodes },
      );
    }
    if ((this.visits & 255) === 0 && this.o.clock() - this.start > this.o.maxMs) this.overTime();
  }

  /**
   * What is left of the time budget now (ms), when the clock is the default one, so that a kernel
   * can time the rest itself on a monotonic clock (no call back per 256 visits); undefined when a
   * clock was injected (only it may be read).
   */
  msLeft(): number | undefined {
    return this.o.clock === performanceClock ? this.o.maxMs - (performance.now() - this.start) : undefined;
  }

  /** Throws the time budget's LIMIT_EXCEEDED. */
  overTime(): never {
    throw new MnemoError(
      'LIMIT_EXCEEDED',
      `SPREAD ran longer than ${this.o.maxMs} ms (budget maxMs); raise the time budget, ` +
        `or narrow the query with a higher THRESHOLD or a lower MAX_HOPS`,
      { limit: 'maxMs', value: this.o.maxMs },
    );
  }
}
