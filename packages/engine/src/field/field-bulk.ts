/**
 * Bulk operations of a Field (docs/field_format.md "batchGet", "slice/fill"): batchGet sorts requests
 * by position, reads each chunk's group together (one WILLNEED per coalesced page run when
 * advising is on) and returns values in request order; slice copies a box run by run; fill
 * writes a box in ≤ 1 MiB pieces and never creates a chunk just to store zeros.
 */
import { MnemoError } from '@mnemo/native';
import type { MappedChunk } from './chunk-cache.js';
import { encodeBytes, newFieldArray, type FieldArray, type StoredArray } from './dtype.js';
import { decodeF16, fromF16 } from './f16.js';
import type { FieldCore } from './field-core.js';
import { CHUNK_HEADER_BYTES } from './layout.js';
import { checkBox, forEachRun } from './runs.js';

const PAGE = 4096;
/** Pages between two requests still advised as one run. */
const COALESCE_PAGES = 16;
const FILL_PIECE = 2 ** 20;

export function checkResultSize(core: FieldCore, n: number): void {
  if (n > core.limits.maxResultElements) {
    throw new MnemoError('LIMIT_EXCEEDED', `result of ${n} elements exceeds maxResultElements (${core.limits.maxResultElements})`);
  }
}

/** Request positions ordered by linear index (identity when already sorted). */
function sortedOrder(lins: Float64Array): Uint32Array {
  const order = new Uint32Array(lins.length);
  let sorted = true;
  for (let i = 0; i < order.length; i++) {
    order[i] = i;
    if (i > 0 && (lins[i] as number) < (lins[i - 1] as number)) sorted = false;
  }
  return sorted ? order : order.sort((a, b) => (lins[a] as number) - (lins[b] as number));
}

/** One madvise(WILLNEED) per run of requested pages with gaps ≤ COALESCE_PAGES. */
function adviseGroup(core: FieldCore, mc: MappedChunk, offs: readonly number[]): void {
  let first = -1;
  let last = -1;
  const flush = (): void => {
    if (first < 0) return;
    const end = Math.min(core.cb, (last + 1) * PAGE);
    mc.mapping.advise('willneed', CHUNK_HEADER_BYTES + first * PAGE, end - first * PAGE);
    core.prefetchIo.advised++;
  };
  for (const off of offs) {
    const p = Math.floor(off / PAGE);
    if (first >= 0 && p - last <= COALESCE_PAGES) last = Math.max(last, p);
    else {
      flush();
      first = p;
      last = p;
    }
  }
  flush();
}

/** Values at linear indices `lins` (validated), in request order. */
export function batchRead(core: FieldCore, lins: Float64Array, advise: boolean): FieldArray {
  const n = lins.length;
  const out = newFieldArray(core.dtype, n);
  const order = sortedOrder(lins);
  const { es, cb, f16 } = core;
  const rowLength = core.layout.rowLength;
  let k = 0;
  while (k < n) {
    const c = Math.floor(((lins[order[k] as number] as number) * es) / cb);
    let e = k;
    const offs: number[] = [];
    for (; e < n; e++) {
      const byte = (lins[order[e] as number] as number) * es;
      if (Math.floor(byte / cb) !== c) break;
      offs.push(byte - c * cb);
    }
    let mc: MappedChunk | null | undefined;
    for (let j = k; j < e; j++) {
      const i = order[j] as number;
      const lin = lins[i] as number;
      const row = Math.floor(lin / rowLength);
      const hot = core.hot?.get(row);
      let s: number;
      if (hot !== undefined) {
        s = hot[lin - row * rowLength] as number;
        core.hotTier.bytes += es;
      } else {
        if (mc === undefined) {
          mc = core.chunkFor(c);
          if (mc !== null && advise && mc.mapping.native && e - k > 1) adviseGroup(core, mc, offs);
        }
        if (mc === null) {
          core.mapped.zeroReads++;
          continue;
        }
        s = mc.data[(offs[j - k] as number) / es] as number;
        core.mapped.hits++;
        core.mapped.bytes += es;
        if (core.hot?.touch(row) === true) core.promote(row);
      }
      out[i] = f16 ? fromF16(s) : s;
    }
    k = e;
  }
  return out;
}

/** Copy `len` elements from linear index `lin` into out[at…], across chunks. */
export function readRun(core: FieldCore, lin: number, len: number, out: FieldArray, at: number): void {
  const { es, cb } = core;
  let byte = lin * es;
  const end = byte + len * es;
  while (byte < end) {
    const c = Math.floor(byte / cb);
    const off = byte - c * cb;
    const n = Math.min(end - byte, cb - off) / es;
    if (core.predictor !== null) core.observe(byte, n * es);
    const mc = core.chunkFor(c);
    if (mc === null) core.mapped.zeroReads += n;
    else {
      const src = mc.data.subarray(off / es, off / es + n) as StoredArray;
      if (core.f16) decodeF16(src as Uint16Array, (out as Float32Array).subarray(at, at + n));
      else (out as Float32Array).set(src as Float32Array, at);
      core.mapped.hits += n;
      core.mapped.bytes += n * es;
    }
    at += n;
    byte += n * es;
  }
}

export function sliceBox(core: FieldCore, start: readonly number[], end: readonly number[]): FieldArray {
  const box = checkBox(core.layout, start, end);
  checkResultSize(core, box.count);
  const out = newFieldArray(core.dtype, box.count);
  let at = 0;
  forEachRun(core.layout, box, (lin, len) => {
    readRun(core, lin, len, out, at);
    at += len;
  });
  return out;
}

export function fillBox(core: FieldCore, value: number, start?: readonly number[], end?: readonly number[]): void {
  const writer = core.checkWritable();
  const box = checkBox(core.layout, start, end);
  const { es, cb } = core;
  const pattern = encodeBytes(core.dtype, value, Math.max(1, Math.min(box.count, FILL_PIECE / es)));
  const zero = pattern.every((b) => b === 0);
  forEachRun(core.layout, box, (lin, len) => {
    // chunk by chunk: zeros skip a whole absent chunk after one check (not one per 1 MiB piece)
    const end = (lin + len) * es;
    for (let at = lin * es; at < end; ) {
      const stop = Math.min(end, (Math.floor(at / cb) + 1) * cb);
      if (!zero || writer.hasFile(Math.floor(at / cb))) {
        for (let p = at; p < stop; p += pattern.length) core.writeRange(p, pattern.subarray(0, Math.min(stop - p, pattern.length)));
      }
      at = stop;
    }
  });
}
