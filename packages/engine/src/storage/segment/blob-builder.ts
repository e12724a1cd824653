/**
 * Strings section pairs (offsets + concatenated bytes; offsets u32 unless the bytes reach 2³²,
 * then u64, flagged): text columns are encoded while they are written (streamStrings), msgpack
 * meta is packed up front into large chunks (BlobBuilder). Neither joins a column into one JS
 * string (a column-sized string lands in V8's heap and costs a full GC over the caller's rows).
 * Implements the "strings" encoding of docs/segment_format.md §2.4.
 */

const CHUNK = 16 * 1024 * 1024;

export interface BuiltStrings {
  /** Offsets as bytes (u32[n+1] or u64[n+1]). */
  offsets: Uint8Array;
  u64: boolean;
  /** Produces the bytes section in order (chunks are valid until the next one is asked for). */
  parts: () => Iterable<Uint8Array>;
  byteLength: number;
}

export class BlobBuilder {
  /** u32 offsets until the bytes reach 2³² (then a Float64Array copy holds them exactly). */
  private offsets: Uint32Array | Float64Array;
  private count = 0;
  private chunk: Buffer;
  private used = 0;
  private total = 0;
  private readonly done: Uint8Array[] = [];

  constructor(n: number) {
    this.offsets = new Uint32Array(n + 1);
    this.chunk = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(64, n * 16)));
  }

  private room(len: number): void {
    if (this.used + len <= this.chunk.length) return;
    if (this.used > 0) this.done.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK, len));
    this.used = 0;
  }

  private advance(len: number): void {
    this.used += len;
    this.total += len;
    if (this.total >= 2 ** 32 && this.offsets instanceof Uint32Array) this.offsets = Float64Array.from(this.offsets);
    this.offsets[++this.count] = this.total;
  }

  /** Hot path (one call per string of a column): a UTF-16 unit is at most 3 UTF-8 bytes, so
   * byteLength is only computed when the chunk might not hold the string. */
  addString(s: string): void {
    if (this.chunk.length - this.used < 3 * s.length) this.room(Buffer.byteLength(s, 'utf8'));
    this.advance(s.length === 0 ? 0 : this.chunk.write(s, this.used));
  }

  addEmpty(): void {
    this.advance(0);
  }

  addBytes(b: Uint8Array): void {
    this.room(b.length);
    this.chunk.set(b, this.used);
    this.advance(b.length);
  }

  finish(): BuiltStrings {
    if (this.used > 0) this.done.push(this.chunk.subarray(0, this.used));
    const done = this.done;
    return { ...offsetBytes(this.offsets), parts: () => done, byteLength: this.total };
  }
}

/** The offsets section bytes: u32 as they are, or u64 (lo, hi word pairs) past 2³² bytes. */
export function offsetBytes(o: Uint32Array | Float64Array): { offsets: Uint8Array; u64: boolean } {
  if (o instanceof Uint32Array) return { offsets: new Uint8Array(o.buffer), u64: false };
  const w = new Uint32Array(o.length * 2);
  for (let i = 0; i < o.length; i++) {
    const v = o[i] as number;
    w[2 * i] = v % 2 ** 32;
    w[2 * i + 1] = Math.floor(v / 2 ** 32);
  }
  return { offsets: new Uint8Array(w.buffer), u64: true };
}

/**
 * The strings `get(0) … get(n − 1)` as a strings section pair whose bytes are encoded only when
 * the section is written, into `scratch` (shared with the other columns, see build-sections.ts):
 * one byteLength pass now for the offsets, no column-sized buffer ever. A string longer than the
 * scratch is encoded on its own. The writer checks the bytes produced against byteLength.
 */
export function streamStrings(n: number, get: (i: number) => string, scratch: ArrayBuffer): BuiltStrings {
  let o: Uint32Array | Float64Array = new Uint32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += Buffer.byteLength(get(i), 'utf8');
    if (total >= 2 ** 32 && o instanceof Uint32Array) o = Float64Array.from(o);
    o[i + 1] = total;
  }
  return { ...offsetBytes(o), parts: () => encodeStrings(n, get, Buffer.from(scratch), o), byteLength: total };
}

/**
 * Hot loop: string i has the byte length the offsets say; an ASCII string (as many bytes as UTF-16
 * units) is written as latin1, whose bytes are the same and which is several times cheaper than
 * the UTF-8 encoder.
 */
function* encodeStrings(n: number, get: (i: number) => string, buf: Buffer, o: Uint32Array | Float64Array): Iterable<Uint8Array> {
  let used = 0;
  for (let i = 0; i < n; i++) {
    const s = get(i);
    const len = (o[i + 1] as number) - (o[i] as number);
    if (used + len > buf.length) {
      if (used > 0) yield buf.subarray(0, used);
      used = 0;
      if (len > buf.length) {
        yield Buffer.from(s, 'utf8');
        continue;
      }
    }
    if (len > 0) used += buf.write(s, used, len === s.length ? 'latin1' : 'utf8');
  }
  if (used > 0) yield buf.subarray(0, used);
}

export function buildStrings(items: readonly string[], scratch: ArrayBuffer): BuiltStrings {
  return streamStrings(items.length, (i) => items[i] as string, scratch);
}
