/**
 * Read side of a strings section pair (offsets u32/u64 + UTF-8 bytes) over the mapping:
 * structure validation (whole column, or one entry at a time for lazily verified columns),
 * zero-copy access, binary search in byte order for sorted id lists. docs/segment_format.md §2.4
 * "strings", §4 steps 6–7.
 */
import { isUtf8 } from 'node:buffer';
import { checkStringColumn } from '@mnemo/native';
import type { SectionGuard } from './block-guard.js';
import { corruption } from './corruption.js';
import { FENCE_AFTER, FENCE_MIN_ROWS, FENCE_STEP, buildFence, fenceSlot } from './fence.js';
import { HASH_MAX_ROWS, HASH_MIN_ROWS, PROCESS_SEED, buildSlots, hashAfter, hashBytes, hashString } from './id-hash.js';
import { FLAG_U64_OFFSETS } from './layout.js';
import type { SectionRef } from './parse-file.js';

const TWO32 = 2 ** 32;
const encoder = new TextEncoder();

/** Compares a[as, ae) with b[bs, be) in byte order: negative, 0 or positive. */
export function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) {
    const d = (a[as + k] as number) - (b[bs + k] as number);
    if (d !== 0) return d;
  }
  return (ae - as) - (be - bs);
}

/**
 * True when b[a, m) < b[m, e) in byte order (two adjacent strings). Hot kernel of the id-order
 * check at open: compares 4 bytes at a time through big-endian DataView reads (= byte order); the
 * last, partial chunk is compared as the 4 bytes ending at the common length (the bytes it shares
 * with the previous chunk are equal, so the first difference still decides).
 */
function adjacentAscending(b: Uint8Array, dv: DataView, a: number, m: number, e: number): boolean {
  const la = m - a;
  const lb = e - m;
  const n = la < lb ? la : lb;
  if (n >= 4) {
    let k = 0;
    for (; k + 4 <= n; k += 4) {
      const x = dv.getUint32(a + k);
      const y = dv.getUint32(m + k);
      if (x !== y) return x < y;
    }
    if (k < n) {
      const x = dv.getUint32(a + n - 4);
      const y = dv.getUint32(m + n - 4);
      if (x !== y) return x < y;
    }
    return la < lb;
  }
  for (let k = 0; k < n; k++) {
    const d = (b[a + k] as number) - (b[m + k] as number);
    if (d !== 0) return d < 0;
  }
  return la < lb;
}

/** True when b[a, e) is valid UTF-8 (an ASCII scan first: no allocation in the common case). */
function utf8At(b: Buffer, a: number, e: number): boolean {
  for (let k = a; k < e; k++) if ((b[k] as number) >= 0x80) return isUtf8(b.subarray(a, e));
  return true;
}

export class StringColumn {
  /** The raw offsets words: n + 1 u32, or 2(n + 1) u32 (lo, hi) when the section is u64. */
  private readonly words: Uint32Array;
  private readonly wide: boolean;
  /** The bytes section as a Buffer view over the mapping. */
  readonly bytes: Buffer;
  readonly length: number;
  /** True once every block is verified and the whole column's structure checked. */
  private checked = false;

  /**
   * `text`: the bytes must be UTF-8 strings (false for msgpack meta). `offG`/`bytesG` verify the
   * two sections' blocks; nothing is read here — call validate() (whole column) before using
   * start/end/compare/find, or read entries through checkEntry()/get().
   */
  constructor(
    private readonly path: string,
    buf: ArrayBuffer,
    private readonly off: SectionRef,
    private readonly bytesRef: SectionRef,
    n: number,
    private readonly offG: SectionGuard,
    private readonly bytesG: SectionGuard,
    private readonly text = true,
  ) {
    this.length = n;
    this.bytes = Buffer.from(buf, bytesRef.offset, bytesRef.length);
    this.wide = (off.flags & FLAG_U64_OFFSETS) !== 0;
    this.words = new Uint32Array(buf, off.offset, (this.wide ? 2 : 1) * (n + 1));
  }

  /** Verifies both sections and the whole structure; `sorted`: ids strictly ascending too. */
  validate(sorted = false): void {
    if (this.checked) return;
    this.offG.checkAll();
    this.bytesG.checkAll();
    const n = this.length;
    const len = this.bytes.length;
    if (this.start(0) !== 0) throw corruption(this.path, this.off.id, 'first offset is not 0');
    if (this.start(n) !== len) throw corruption(this.path, this.off.id, `last offset ${this.start(n)} is not the bytes length ${len}`);
    if (this.text && !isUtf8(this.bytes)) throw corruption(this.path, this.bytesRef.id, 'not valid UTF-8');
    this.scan(sorted);
    this.checked = true;
  }

  /**
   * One pass over the entries: offsets never decrease, (text) no string starts inside a
   * character, (sorted) every string is above the previous one (@mnemo/native checkStringColumn
   * for u32 offsets; the loop below for u64 ones). The first and last offsets are
   * checked already, so every offset seen is within the bytes.
   */
  private scan(sorted: boolean): void {
    if (!this.wide) {
      // u32 offsets (every column below 4 GiB): one native pass (memcmp), the hot part of open
      const p = checkStringColumn(this.words, this.bytes, { text: this.text, sorted });
      if (p === null) return;
      if (p.fault === 'offset') throw corruption(this.path, this.off.id, `offset ${p.index + 1} decreases`);
      if (p.fault === 'mid-character') throw corruption(this.path, this.bytesRef.id, `string ${p.index} starts inside a character`);
      throw corruption(this.path, this.bytesRef.id, `entry ${p.index} is not in ascending order`);
    }
    const b = this.bytes;
    const len = b.length;
    const dv = new DataView(b.buffer, b.byteOffset, len);
    let prev = 0;
    let start = 0;
    for (let i = 0; i < this.length; i++) {
      const end = this.start(i + 1);
      if (end < start) throw corruption(this.path, this.off.id, `offset ${i + 1} decreases`);
      if (this.text && start < len && ((b[start] as number) & 0xc0) === 0x80) throw corruption(this.path, this.bytesRef.id, `string ${i} starts inside a character`);
      if (sorted && i > 0 && !adjacentAscending(b, dv, prev, start, end)) throw corruption(this.path, this.bytesRef.id, `entry ${i} is not in ascending order`);
      prev = start;
      start = end;
    }
  }

  /**
   * Lazy verification of entry i alone (§4 step 6): the blocks of its two offsets, its range
   * within the bytes (first = 0, last = the bytes length), the blocks of its bytes, and UTF-8.
   */
  checkEntry(i: number): void {
    if (this.checked) return;
    const w = this.wide ? 8 : 4;
    this.offG.check(i * w, (i + 2) * w);
    const a = this.start(i);
    const e = this.start(i + 1);
    const len = this.bytes.length;
    if (e < a || e > len || (i === 0 && a !== 0) || (i === this.length - 1 && e !== len)) {
      throw corruption(this.path, this.off.id, `entry ${i} has offsets ${a}..${e}, outside its ${len} bytes`);
    }
    this.bytesG.check(a, e);
    if (this.text && !utf8At(this.bytes, a, e)) throw corruption(this.path, this.bytesRef.id, `string ${i} is not valid UTF-8`);
  }

  start(i: number): number {
    if (!this.wide) return this.words[i] as number;
    const hi = this.words[2 * i + 1] as number;
    if (hi >= 2 ** 21) throw corruption(this.path, this.off.id, `offset ${i} is out of range`);
    return (this.words[2 * i] as number) + hi * TWO32;
  }

  end(i: number): number {
    return this.start(i + 1);
  }

  /** String i (verified on the way when the column is not validated as a whole). */
  get(i: number): string {
    if (!this.checked) this.checkEntry(i);
    return this.bytes.toString('utf8', this.start(i), this.start(i + 1));
  }

  /** Byte-order comparison of string i against `key` (UTF-8 bytes): a JS loop, ids are short. */
  compare(i: number, key: Uint8Array): number {
    return compareBytes(this.bytes, this.start(i), this.start(i + 1), key, 0, key.length);
  }

  /** Lookups so far (until the id hash is built). */
  private lookups = 0;
  /** The fence (fence.ts), from the FENCE_AFTER-th lookup until the id hash replaces it. */
  private fence: string[] | undefined;
  /** The id hash's slots (id-hash.ts), from the hashAfter(length)-th lookup on. */
  private slots: Int32Array | undefined;
  /** False once the hash's table could not be allocated (the fence then stays). */
  private hashable = true;

  /**
   * Counts a lookup of a large column: builds the fence at the FENCE_AFTER-th, the id hash (and
   * drops the fence) at the hashAfter(length)-th. Returns the hash once it exists.
   */
  private noteLookup(): Int32Array | undefined {
    if (this.length < FENCE_MIN_ROWS) return undefined;
    const n = ++this.lookups;
    if (n >= FENCE_AFTER && this.fence === undefined) this.fence = buildFence(this.length, (i) => this.get(i));
    if (!this.hashable || this.length < HASH_MIN_ROWS || this.length > HASH_MAX_ROWS || n < hashAfter(this.length)) return undefined;
    try {
      this.slots = buildSlots(this.length, (i) => hashBytes(this.bytes, this.start(i), this.start(i + 1), PROCESS_SEED));
    } catch (e) {
      // the table is an optimisation: without memory for it, lookups keep using the fence
      if (!(e instanceof RangeError)) throw e;
      this.hashable = false;
      return undefined;
    }
    this.fence = undefined;
    return this.slots;
  }

  /** Byte-order comparison of string i against an all-ASCII JS string (its bytes are its char codes). */
  private compareAscii(i: number, key: string): number {
    const a = this.start(i);
    const len = this.start(i + 1) - a;
    const n = Math.min(len, key.length);
    for (let k = 0; k < n; k++) {
      const d = (this.bytes[a + k] as number) - key.charCodeAt(k);
      if (d !== 0) return d;
    }
    return len - key.length;
  }

  /**
   * Index of the string `id` in a sorted, validated column, or -1 (no encoding for ASCII ids). A
   * large column's lookups go through its id hash once it is built (id-hash.ts); before that, a
   * binary search that starts in the fence once there is one (fence.ts), so only its last few
   * probes touch the mapped bytes.
   */
  findString(id: string): number {
    for (let k = 0; k < id.length; k++) if (id.charCodeAt(k) >= 0x80) return this.find(encoder.encode(id));
    const slots = this.slots ?? this.noteLookup();
    if (slots !== undefined) {
      const mask = slots.length - 1;
      for (let k = hashString(id, PROCESS_SEED) & mask; ; k = (k + 1) & mask) {
        const row = slots[k] as number;
        if (row < 0) return -1;
        if (this.compareAscii(row, id) === 0) return row;
      }
    }
    let lo = 0;
    let hi = this.length - 1;
    const fence = this.fence;
    if (fence !== undefined) {
      const f = fenceSlot(fence, id);
      if (f < 0) return -1;
      lo = f * FENCE_STEP;
      hi = Math.min(hi, lo + FENCE_STEP - 1);
    }
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareAscii(mid, id);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of `key` (UTF-8 bytes) in a sorted, validated column, or -1. */
  find(key: Uint8Array): number {
    const slots = this.slots ?? this.noteLookup();
    if (slots !== undefined) {
      const mask = slots.length - 1;
      for (let k = hashBytes(key, 0, key.length, PROCESS_SEED) & mask; ; k = (k + 1) & mask) {
        const row = slots[k] as number;
        if (row < 0) return -1;
        if (this.compare(row, key) === 0) return row;
      }
    }
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(mid, key);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Byte-order comparison of strings i and j of two validated columns. */
  static compareAt(a: StringColumn, i: number, b: StringColumn, j: number): number {
    return compareBytes(a.bytes, a.start(i), a.end(i), b.bytes, b.start(j), b.end(j));
  }

  toArray(): string[] {
    const out = new Array<string>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.get(i);
    return out;
  }
}
