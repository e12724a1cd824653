/**
 * Hyper-rectangle iteration for slice() and fill(): validates [start, end) boxes and visits the
 * box as maximal runs that are contiguous in the field's linear (row-major) order, so a box
 * spanning whole trailing axes is one run instead of one per row (docs/field_format.md "slice/fill").
 */
import { MnemoError } from '@mnemo/native';
import type { Layout } from './layout.js';

export interface Box {
  readonly start: readonly number[];
  readonly end: readonly number[];
  /** Elements in the box. */
  readonly count: number;
}

/** Validate `start`/`end` (end exclusive; defaults: the whole field). */
export function checkBox(layout: Layout, start?: readonly number[], end?: readonly number[]): Box {
  const s = start ?? layout.shape.map(() => 0);
  const e = end ?? layout.shape;
  if (s.length !== layout.rank || e.length !== layout.rank) {
    throw new MnemoError('INVALID_ARGUMENT', `start and end need ${layout.rank} indices each`);
  }
  let count = 1;
  for (let k = 0; k < layout.rank; k++) {
    const a = s[k] as number;
    const b = e[k] as number;
    const d = layout.shape[k] as number;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b > d || a > b) {
      throw new MnemoError('INVALID_ARGUMENT', `range [${a}, ${b}) invalid for axis ${k} of size ${d}`);
    }
    count *= b - a;
  }
  return { start: s, end: e, count };
}

/** Call fn(linearStart, length) for each contiguous run of the box, in linear order. */
export function forEachRun(layout: Layout, box: Box, fn: (lin: number, len: number) => void): void {
  if (box.count === 0) return;
  const { rank, shape, strides } = layout;
  // k = the outermost axis such that every axis after it is covered fully: one run per index of axes < k
  let k = rank - 1;
  while (k > 0 && box.start[k] === 0 && box.end[k] === shape[k]) k--;
  const runLen = ((box.end[k] as number) - (box.start[k] as number)) * (strides[k] as number);
  const idx = box.start.slice(0, k);
  for (;;) {
    let lin = (box.start[k] as number) * (strides[k] as number);
    for (let a = 0; a < k; a++) lin += (idx[a] as number) * (strides[a] as number);
    fn(lin, runLen);
    let a = k - 1;
    for (; a >= 0; a--) {
      idx[a] = (idx[a] as number) + 1;
      if ((idx[a] as number) < (box.end[a] as number)) break;
      idx[a] = box.start[a] as number;
    }
    if (a < 0) return;
  }
}
