/**
 * Search filters of the HNSW index: an allowed-rows bitmap (bit i of byte i>>3, LSB first) or a
 * predicate, plus an optional tombstone bitmap of excluded rows. Estimates the allowed fraction
 * that decides between graph traversal and an exact scan of the allowed rows.
 */
import { MnemoError } from '@mnemo/native';

export type RowFilter = Uint8Array | ((row: number) => boolean);

/** Whether bit `row` of bitmap `bm` (bit i of byte i >> 3) is set. */
export const bit = (bm: Uint8Array, row: number): boolean => ((bm[row >>> 3]! >>> (row & 7)) & 1) === 1;

export function checkBitmap(bm: Uint8Array, count: number, what: string): void {
  if (!(bm instanceof Uint8Array)) throw new MnemoError('INVALID_ARGUMENT', `${what} must be a Uint8Array bitmap or a function`);
  if (bm.length < Math.ceil(count / 8)) {
    throw new MnemoError('INVALID_ARGUMENT', `${what} bitmap has ${bm.length} bytes; ${count} rows need ${Math.ceil(count / 8)}`);
  }
}

/** Predicate form of (filter, exclude); undefined when every row is allowed. */
export function allowedPredicate(filter: RowFilter | undefined, exclude: Uint8Array | undefined): ((row: number) => boolean) | undefined {
  const f = filter === undefined ? undefined : typeof filter === 'function' ? filter : (row: number) => bit(filter, row);
  if (exclude === undefined) return f;
  if (f === undefined) return (row) => !bit(exclude, row);
  return (row) => !bit(exclude, row) && f(row);
}

/** A bitmap of the rows `pred` allows (evaluates it once per row). */
export function materialize(pred: (row: number) => boolean, count: number): Uint8Array {
  const bm = new Uint8Array(Math.ceil(count / 8));
  for (let r = 0; r < count; r++) if (pred(r)) bm[r >>> 3]! |= 1 << (r & 7);
  return bm;
}

function popcount8(x: number): number {
  x = x - ((x >>> 1) & 0x55);
  x = (x & 0x33) + ((x >>> 2) & 0x33);
  return (x + (x >>> 4)) & 0x0f;
}

/** Exact count of rows < count set in `filter` and clear in `exclude` (either may be absent). */
export function countAllowed(filter: Uint8Array | undefined, exclude: Uint8Array | undefined, count: number): number {
  let n = 0;
  const full = count >>> 3;
  for (let i = 0; i < full; i++) n += popcount8((filter ? filter[i]! : 0xff) & ~(exclude ? exclude[i]! : 0) & 0xff);
  for (let r = full * 8; r < count; r++) if ((!filter || bit(filter, r)) && (!exclude || !bit(exclude, r))) n++;
  return n;
}

/** Estimated allowed fraction of a predicate from up to 512 evenly spaced rows. */
export function sampleFraction(pred: (row: number) => boolean, count: number): number {
  const n = Math.min(count, 512);
  if (n === 0) return 1;
  let hit = 0;
  for (let i = 0; i < n; i++) if (pred(Math.floor((i * count) / n))) hit++;
  return hit / n;
}
