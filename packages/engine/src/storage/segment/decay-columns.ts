/**
 * Read side of a decay block (seven columns, docs/segment_format.md §2.4): zero-copy views,
 * window lengths validated at open, DecayState materialised on demand.
 */
import type { DecayState } from '../../model.js';
import { corruption } from './corruption.js';
import { DECAY } from './layout.js';
import type { SectionRef } from './parse-file.js';

export class DecayColumns {
  readonly count: Uint32Array;
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly recentLen: Uint8Array;
  readonly times: Float64Array;
  readonly decays: Float64Array;
  readonly older: Float64Array;

  constructor(path: string, buf: ArrayBuffer, sec: (id: number) => SectionRef, base: number, n: number, readonly K: number) {
    const at = (c: number): number => sec(base + c).offset;
    this.count = new Uint32Array(buf, at(DECAY.count), n);
    this.first = new Float64Array(buf, at(DECAY.first), n);
    this.last = new Float64Array(buf, at(DECAY.last), n);
    this.recentLen = new Uint8Array(buf, at(DECAY.recentLen), n);
    this.times = new Float64Array(buf, at(DECAY.times), n * K);
    this.decays = new Float64Array(buf, at(DECAY.decays), n * K);
    this.older = new Float64Array(buf, at(DECAY.older), n);
    for (let i = 0; i < n; i++) {
      if ((this.recentLen[i] as number) > K) throw corruption(path, base + DECAY.recentLen, `entry ${i} has a window of ${this.recentLen[i]} > ${K}`);
    }
  }

  get(i: number): DecayState {
    const len = this.recentLen[i] as number;
    const from = i * this.K;
    return {
      count: this.count[i] as number,
      first: this.first[i] as number,
      last: this.last[i] as number,
      recentTimes: Array.from(this.times.subarray(from, from + len)),
      recentDecays: Array.from(this.decays.subarray(from, from + len)),
      olderDecay: this.older[i] as number,
    };
  }
}
