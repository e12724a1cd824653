/**
 * Read side of a decay block (seven columns, docs/segment_format.md §2.4): zero-copy views,
 * verified and checked (window length ≤ K) one entry at a time when read, or as a whole by
 * verifyAll() before the columns themselves are handed out (§4 step 6).
 */
import type { DecayState } from '../../model.js';
import type { SectionGuard } from './block-guard.js';
import { corruption } from './corruption.js';
import { DECAY } from './layout.js';
import type { SectionRef } from './parse-file.js';

/** `len` values of `col` from `from`, as a plain array (no subarray view made on the way). */
function window(col: Float64Array, from: number, len: number): number[] {
  const out = new Array<number>(len);
  for (let k = 0; k < len; k++) out[k] = col[from + k] as number;
  return out;
}

/** The seven decay columns of n entries (K window slots each), wherever they live: a segment's or a memtable block's. */
export type DecayArrays = Pick<DecayColumns, 'count' | 'first' | 'last' | 'recentLen' | 'times' | 'decays' | 'older' | 'K'>;

/** Entry i of `d` as a new DecayState (no check: callers verify first where the bytes are untrusted). */
export function decayAt(d: DecayArrays, i: number): DecayState {
  const len = d.recentLen[i] as number;
  const from = i * d.K;
  return {
    count: d.count[i] as number,
    first: d.first[i] as number,
    last: d.last[i] as number,
    recentTimes: window(d.times, from, len),
    recentDecays: window(d.decays, from, len),
    olderDecay: d.older[i] as number,
  };
}

export class DecayColumns {
  readonly count: Uint32Array;
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly recentLen: Uint8Array;
  readonly times: Float64Array;
  readonly decays: Float64Array;
  readonly older: Float64Array;
  /** Guards of the seven sections, in DECAY order. */
  private readonly g: SectionGuard[];
  private checked = false;

  constructor(
    private readonly path: string,
    buf: ArrayBuffer,
    sec: (id: number) => SectionRef,
    guard: (id: number) => SectionGuard,
    private readonly base: number,
    private readonly n: number,
    readonly K: number,
  ) {
    const at = (c: number): number => sec(base + c).offset;
    this.count = new Uint32Array(buf, at(DECAY.count), n);
    this.first = new Float64Array(buf, at(DECAY.first), n);
    this.last = new Float64Array(buf, at(DECAY.last), n);
    this.recentLen = new Uint8Array(buf, at(DECAY.recentLen), n);
    this.times = new Float64Array(buf, at(DECAY.times), n * K);
    this.decays = new Float64Array(buf, at(DECAY.decays), n * K);
    this.older = new Float64Array(buf, at(DECAY.older), n);
    this.g = [0, 1, 2, 3, 4, 5, 6].map((c) => guard(base + c));
  }

  /** Verifies all seven sections and every window length. */
  verifyAll(): void {
    if (this.checked) return;
    for (const g of this.g) g.checkAll();
    for (let i = 0; i < this.n; i++) this.checkLen(i);
    this.checked = true;
  }

  private checkLen(i: number): void {
    if ((this.recentLen[i] as number) > this.K) {
      throw corruption(this.path, this.base + DECAY.recentLen, `entry ${i} has a window of ${this.recentLen[i]} > ${this.K}`);
    }
  }

  /** Lazy verification of entry i: the blocks of its bytes in each column, and its window length. */
  private checkEntry(i: number): void {
    const g = this.g;
    const K = this.K;
    (g[DECAY.count] as SectionGuard).check(4 * i, 4 * i + 4);
    (g[DECAY.first] as SectionGuard).check(8 * i, 8 * i + 8);
    (g[DECAY.last] as SectionGuard).check(8 * i, 8 * i + 8);
    (g[DECAY.recentLen] as SectionGuard).check(i, i + 1);
    (g[DECAY.times] as SectionGuard).check(8 * K * i, 8 * K * (i + 1));
    (g[DECAY.decays] as SectionGuard).check(8 * K * i, 8 * K * (i + 1));
    (g[DECAY.older] as SectionGuard).check(8 * i, 8 * i + 8);
    this.checkLen(i);
  }

  /** Entry i's presentation count, verifying only the count column's block. */
  countAt(i: number): number {
    if (!this.checked) (this.g[DECAY.count] as SectionGuard).check(4 * i, 4 * i + 4);
    return this.count[i] as number;
  }

  get(i: number): DecayState {
    if (!this.checked) this.checkEntry(i);
    return decayAt(this, i);
  }
}
