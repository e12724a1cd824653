/**
 * The fixed-width row columns of the object path (flush) in one pass over the row objects
 * (docs/segment_format.md §2.4): times, kind, confidences and the decay block's scalars are
 * extracted together into one buffer (62 bytes a row), so the writer walks the scattered row
 * objects once instead of once per column; recent-presentation windows are visited only for the
 * entries that have one.
 */
import type { DecayState } from '../../model.js';
import type { SegmentRow } from './content.js';
import { DECAY, S } from './layout.js';
import { chunked, type Scratch, type SectionSource } from './section-source.js';

/** f64 columns, in this order, n values each. */
const CREATED = 0, RECORDED = 1, CONF_LO = 2, CONF_HI = 3, FIRST = 4, LAST = 5, OLDER = 6, F64 = 7;

class Scalars {
  readonly f64: Float64Array;
  readonly count: Uint32Array;
  readonly kind: Uint8Array;
  readonly recentLen: Uint8Array;
  /** Entries whose window is not empty, ascending. */
  readonly windows: number[] = [];

  constructor(readonly n: number) {
    const buf = new ArrayBuffer(n * (8 * F64 + 6));
    this.f64 = new Float64Array(buf, 0, n * F64);
    this.count = new Uint32Array(buf, 8 * F64 * n, n);
    this.kind = new Uint8Array(buf, (8 * F64 + 4) * n, n);
    this.recentLen = new Uint8Array(buf, (8 * F64 + 5) * n, n);
  }

  column(c: number): Float64Array {
    return this.f64.subarray(c * this.n, (c + 1) * this.n);
  }

  putDecay(i: number, d: DecayState): void {
    const n = this.n;
    this.count[i] = d.count;
    this.f64[FIRST * n + i] = d.first;
    this.f64[LAST * n + i] = d.last;
    this.f64[OLDER * n + i] = d.olderDecay;
    const len = d.recentTimes.length;
    this.recentLen[i] = len;
    if (len > 0) this.windows.push(i);
  }
}

function fixed(id: number, a: ArrayBufferView): SectionSource {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return { id, flags: 0, length: b.length, parts: () => [b] };
}

/** A window column: zero but for the entries that have a window (§2.4 decay block). */
function windowColumn(sc: Scratch, id: number, s: Scalars, K: number, decayOf: (i: number) => DecayState, pick: (d: DecayState) => readonly number[]): SectionSource {
  let p = 0;
  return chunked(sc, id, s.n, K, Float64Array, (out, from, to) => {
    if (from === 0) p = 0;
    for (; p < s.windows.length && (s.windows[p] as number) < to; p++) {
      const i = s.windows[p] as number;
      const w = pick(decayOf(i));
      for (let j = 0; j < w.length; j++) out[(i - from) * K + j] = w[j] as number;
    }
  });
}

function decayBlock(sc: Scratch, base: number, s: Scalars, K: number, decayOf: (i: number) => DecayState): SectionSource[] {
  return [
    fixed(base + DECAY.count, s.count),
    fixed(base + DECAY.first, s.column(FIRST)),
    fixed(base + DECAY.last, s.column(LAST)),
    fixed(base + DECAY.recentLen, s.recentLen),
    windowColumn(sc, base + DECAY.times, s, K, decayOf, (d) => d.recentTimes),
    windowColumn(sc, base + DECAY.decays, s, K, decayOf, (d) => d.recentDecays),
    fixed(base + DECAY.older, s.column(OLDER)),
  ];
}

/** The seven decay columns of a decay block starting at section id `base`, windows of K slots. */
export function decaySections(sc: Scratch, base: number, states: readonly DecayState[], K: number): SectionSource[] {
  const s = new Scalars(states.length);
  for (let i = 0; i < states.length; i++) s.putDecay(i, states[i] as DecayState);
  return decayBlock(sc, base, s, K, (i) => states[i] as DecayState);
}

/** Sections created, recorded, kind, confidence lo, hi (in file order) and the row decay block (windows of K slots). */
export function rowScalarSections(sc: Scratch, rows: readonly SegmentRow[], K: number): { times: SectionSource[]; decay: SectionSource[] } {
  const n = rows.length;
  const s = new Scalars(n);
  const f = s.f64;
  for (let i = 0; i < n; i++) {
    const r = rows[i] as SegmentRow;
    f[CREATED * n + i] = r.created;
    f[RECORDED * n + i] = r.recorded;
    f[CONF_LO * n + i] = r.confidence.lo;
    f[CONF_HI * n + i] = r.confidence.hi;
    s.kind[i] = r.kind === 'semantic' ? 1 : 0;
    s.putDecay(i, r.decay);
  }
  return {
    times: [fixed(S.created, s.column(CREATED)), fixed(S.recorded, s.column(RECORDED)), fixed(S.kind, s.kind),
      fixed(S.confLo, s.column(CONF_LO)), fixed(S.confHi, s.column(CONF_HI))],
    decay: decayBlock(sc, S.rowDecay, s, K, (i) => (rows[i] as SegmentRow).decay),
  };
}
