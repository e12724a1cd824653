/**
 * Read side of a strings section pair (offsets u32/u64 + UTF-8 bytes) over the mapping:
 * structure validation at open, zero-copy access, binary search in byte order for sorted id
 * lists. docs/segment_format.md §2.4 "strings" and §4 step 7.
 */
import { isUtf8 } from 'node:buffer';
import { corruption } from './corruption.js';
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

export class StringColumn {
  /** n + 1 offsets (a zero-copy view for u32, a validated copy for u64). */
  private readonly offsets: Uint32Array | Float64Array;
  /** The bytes section as a Buffer view over the mapping. */
  readonly bytes: Buffer;
  readonly length: number;

  /** `text`: the bytes must be UTF-8 strings (false for msgpack meta). */
  constructor(path: string, buf: ArrayBuffer, off: SectionRef, bytes: SectionRef, n: number, text = true) {
    this.length = n;
    this.bytes = Buffer.from(buf, bytes.offset, bytes.length);
    if ((off.flags & FLAG_U64_OFFSETS) === 0) {
      this.offsets = new Uint32Array(buf, off.offset, n + 1);
    } else {
      const raw = new Uint32Array(buf, off.offset, 2 * (n + 1));
      const o = new Float64Array(n + 1);
      for (let i = 0; i <= n; i++) {
        const hi = raw[2 * i + 1] as number;
        if (hi >= 2 ** 21) throw corruption(path, off.id, `offset ${i} is out of range`);
        o[i] = (raw[2 * i] as number) + hi * TWO32;
      }
      this.offsets = o;
    }
    this.validate(path, off.id, bytes.id, text);
  }

  private validate(path: string, offId: number, bytesId: number, text: boolean): void {
    const o = this.offsets;
    const n = this.length;
    if (o[0] !== 0) throw corruption(path, offId, 'first offset is not 0');
    for (let i = 0; i < n; i++) {
      if ((o[i + 1] as number) < (o[i] as number)) throw corruption(path, offId, `offset ${i + 1} decreases`);
    }
    if (o[n] !== this.bytes.length) throw corruption(path, offId, `last offset ${o[n]} is not the bytes length ${this.bytes.length}`);
    if (!text) return;
    // Valid UTF-8 as a whole, and no string starts on a continuation byte ⇒ every string is valid UTF-8.
    if (!isUtf8(this.bytes)) throw corruption(path, bytesId, 'not valid UTF-8');
    for (let i = 0; i < n; i++) {
      const a = o[i] as number;
      if (a < this.bytes.length && ((this.bytes[a] as number) & 0xc0) === 0x80) throw corruption(path, bytesId, `string ${i} starts inside a character`);
    }
  }

  start(i: number): number {
    return this.offsets[i] as number;
  }

  end(i: number): number {
    return this.offsets[i + 1] as number;
  }

  get(i: number): string {
    return this.bytes.toString('utf8', this.offsets[i] as number, this.offsets[i + 1] as number);
  }

  /** Byte-order comparison of string i against `key` (UTF-8 bytes): a JS loop, ids are short. */
  compare(i: number, key: Uint8Array): number {
    return compareBytes(this.bytes, this.offsets[i] as number, this.offsets[i + 1] as number, key, 0, key.length);
  }

  /** Byte-order comparison of string i against an all-ASCII JS string (its bytes are its char codes). */
  private compareAscii(i: number, key: string): number {
    const a = this.offsets[i] as number;
    const len = (this.offsets[i + 1] as number) - a;
    const n = Math.min(len, key.length);
    for (let k = 0; k < n; k++) {
      const d = (this.bytes[a + k] as number) - key.charCodeAt(k);
      if (d !== 0) return d;
    }
    return len - key.length;
  }

  /** Index of the string `id` in a sorted column, or -1 (no encoding for ASCII ids). */
  findString(id: string): number {
    for (let k = 0; k < id.length; k++) if (id.charCodeAt(k) >= 0x80) return this.find(encoder.encode(id));
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareAscii(mid, id);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of `key` (UTF-8 bytes) in a sorted column, or -1. */
  find(key: Uint8Array): number {
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

  /** Throws unless the column is strictly ascending in byte order (ids and dictionaries). */
  checkSorted(path: string, bytesId: number): void {
    const o = this.offsets;
    for (let i = 1; i < this.length; i++) {
      const c = compareBytes(this.bytes, o[i - 1] as number, o[i] as number, this.bytes, o[i] as number, o[i + 1] as number);
      if (c >= 0) throw corruption(path, bytesId, `entry ${i} is not in ascending order`);
    }
  }

  /** Byte-order comparison of strings i and j of two columns. */
  static compareAt(a: StringColumn, i: number, b: StringColumn, j: number): number {
    return compareBytes(a.bytes, a.start(i), a.end(i), b.bytes, b.start(j), b.end(j));
  }

  toArray(): string[] {
    const out = new Array<string>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.get(i);
    return out;
  }
}
