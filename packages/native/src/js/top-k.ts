/**
 * Pure-TypeScript top-k over a row scan with a bounded heap (no full sort of the N scores).
 * Order (same as distance.cc): best first — highest score for dot/cosine, lowest for l2 — ties by
 * lower row index, NaN scores last. Scores are compared as f32 (as returned) so both backends agree.
 */
import { cosineAt, dotAt, l2At } from './distance.js';

/** True when (sa, ia) ranks before (sb, ib). */
export function better(higher: boolean, sa: number, ia: number, sb: number, ib: number): boolean {
  if (sa !== sa) return sb !== sb && ia < ib;
  if (sb !== sb) return true;
  if (sa !== sb) return higher ? sa > sb : sa < sb;
  return ia < ib;
}

export function topKJs(
  metric: 0 | 1 | 2,
  q: Float32Array,
  rows: Float32Array,
  outIdx: Uint32Array,
  outScores: Float32Array,
): void {
  const k = outIdx.length;
  if (k === 0) return;
  const dim = q.length;
  const n = rows.length / dim;
  const higher = metric !== 1;
  const qn = metric === 2 ? Math.sqrt(dotAt(q, q, 0, dim)) : 0;
  const hs = new Float64Array(k); // heap scores: the worst kept entry at the root
  const hi = new Uint32Array(k);
  let size = 0;
  for (let r = 0; r < n; r++) {
    const base = r * dim;
    const raw = metric === 0 ? dotAt(q, rows, base, dim) : metric === 1 ? l2At(q, rows, base, dim) : cosineAt(q, rows, base, dim, qn);
    const s = Math.fround(raw);
    if (size < k) {
      hs[size] = s;
      hi[size] = r;
      siftUp(higher, hs, hi, size++);
    } else if (better(higher, s, r, hs[0]!, hi[0]!)) {
      hs[0] = s;
      hi[0] = r;
      siftDown(higher, hs, hi, size);
    }
  }
  const order = Array.from({ length: size }, (_, j) => j);
  order.sort((x, y) => (better(higher, hs[x]!, hi[x]!, hs[y]!, hi[y]!) ? -1 : 1));
  for (let j = 0; j < size; j++) {
    outIdx[j] = hi[order[j]!]!;
    outScores[j] = hs[order[j]!]!;
  }
}

function swap(hs: Float64Array, hi: Uint32Array, a: number, b: number): void {
  const s = hs[a]!;
  hs[a] = hs[b]!;
  hs[b] = s;
  const i = hi[a]!;
  hi[a] = hi[b]!;
  hi[b] = i;
}

/** Restore "parent is worse than its children" after appending at position i. */
function siftUp(higher: boolean, hs: Float64Array, hi: Uint32Array, i: number): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!better(higher, hs[p]!, hi[p]!, hs[i]!, hi[i]!)) return;
    swap(hs, hi, p, i);
    i = p;
  }
}

function siftDown(higher: boolean, hs: Float64Array, hi: Uint32Array, size: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) return;
    const r = l + 1;
    const worse = r < size && better(higher, hs[l]!, hi[l]!, hs[r]!, hi[r]!) ? r : l;
    if (!better(higher, hs[i]!, hi[i]!, hs[worse]!, hi[worse]!)) return;
    swap(hs, hi, i, worse);
    i = worse;
  }
}
