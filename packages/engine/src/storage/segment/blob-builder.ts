/**
 * Builds a strings section pair (offsets + concatenated bytes) in large chunks, without one
 * small allocation per string. Offsets are u32 unless the bytes reach 2³² (then u64, flagged).
 * Implements the "strings" encoding of docs/segment_format.md §2.4.
 */

const CHUNK = 16 * 1024 * 1024;

export interface BuiltStrings {
  /** Offsets as bytes (u32[n+1] or u64[n+1]). */
  offsets: Uint8Array;
  u64: boolean;
  /** The bytes section, as a list of chunks in order. */
  chunks: Uint8Array[];
  byteLength: number;
}

export class BlobBuilder {
  private readonly offsets: Float64Array;
  private count = 0;
  private chunk: Buffer;
  private used = 0;
  private total = 0;
  private readonly done: Uint8Array[] = [];

  constructor(n: number) {
    this.offsets = new Float64Array(n + 1);
    this.chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(64, n * 16)));
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
    this.offsets[++this.count] = this.total;
  }

  addString(s: string): void {
    const len = Buffer.byteLength(s, 'utf8');
    this.room(len);
    if (len > 0) this.chunk.write(s, this.used, len, 'utf8');
    this.advance(len);
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
    const n1 = this.count + 1;
    const u64 = this.total >= 2 ** 32;
    let offsets: Uint8Array;
    if (!u64) {
      const o = new Uint32Array(n1);
      for (let i = 0; i < n1; i++) o[i] = this.offsets[i] as number;
      offsets = new Uint8Array(o.buffer);
    } else {
      const o = new Uint32Array(n1 * 2);
      for (let i = 0; i < n1; i++) {
        const v = this.offsets[i] as number;
        o[2 * i] = v % 2 ** 32;
        o[2 * i + 1] = Math.floor(v / 2 ** 32);
      }
      offsets = new Uint8Array(o.buffer);
    }
    return { offsets, u64, chunks: this.done, byteLength: this.total };
  }
}

const MAX_JOIN = 2 ** 28;

/** Fast path: all-ASCII strings are encoded with one join + one latin1 copy; offsets from lengths. */
function buildAscii(items: readonly string[]): BuiltStrings | null {
  let total = 0;
  for (const s of items) total += s.length;
  if (total > MAX_JOIN) return null;
  const joined = items.join('');
  if (Buffer.byteLength(joined, 'utf8') !== total) return null;
  const bytes = Buffer.from(joined, 'latin1');
  const o = new Uint32Array(items.length + 1);
  let pos = 0;
  for (let i = 0; i < items.length; i++) { pos += (items[i] as string).length; o[i + 1] = pos; }
  return { offsets: new Uint8Array(o.buffer), u64: false, chunks: [bytes], byteLength: total };
}

export function buildStrings(items: readonly string[]): BuiltStrings {
  const fast = buildAscii(items);
  if (fast !== null) return fast;
  const b = new BlobBuilder(items.length);
  for (const s of items) b.addString(s);
  return b.finish();
}
