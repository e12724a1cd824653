/**
 * A direct decoder for the MessagePack that plain JSON-like metadata packs to (docs/segment_format.md
 * §2.4 "Meta"): nil, booleans, integers up to 32 bits, float64, ASCII strings, arrays, and maps
 * with ASCII string keys, straight into plain objects. Anything else — a non-ASCII string, bin,
 * float32, 64-bit integers, extensions, a non-string key, nesting deeper than MAX_DEPTH, bytes
 * after the value, or bytes that end early — gives NOT_PLAIN, and the caller decodes the value
 * the general way (bounds walk, msgpackr, maps to objects), which also reports what is wrong.
 *
 * For every input it accepts it returns what that general path returns (the parity test decodes
 * both ways). Why it exists: msgpackr costs ~0.8 µs for `{n: 3}`, most of it per-call set-up;
 * every record read decodes one meta. Every count is checked against the bytes left before
 * anything is allocated, and every read is bounds-checked, so no input can make it allocate more
 * than its length or read outside it.
 */

/** Returned when the bytes are not (only) plain MessagePack this decoder handles. */
export const NOT_PLAIN: unique symbol = Symbol('not plain msgpack');

/** Deeper values go to the general decoder (this one recurses). */
const MAX_DEPTH = 32;

let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
let end = 0;
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
/** The platform is little-endian (MessagePack is big-endian): then a float64's bytes are reversed. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The value of `bytes` (exactly one MessagePack value), or NOT_PLAIN. */
export function unpackPlain(bytes: Uint8Array): unknown {
  buf = bytes;
  pos = 0;
  end = bytes.length;
  const v = value(0);
  const done = pos === end;
  buf = EMPTY;
  return done ? v : NOT_PLAIN;
}

const EMPTY = new Uint8Array(0);

/** An unsigned big-endian integer of `w` bytes at pos (pos advanced), or -1 when it does not fit. */
function uint(w: number): number {
  if (w > end - pos) return -1;
  let v = 0;
  for (let k = 0; k < w; k++) v = v * 256 + (buf[pos + k] as number);
  pos += w;
  return v;
}

function value(depth: number): unknown {
  if (pos >= end) return NOT_PLAIN;
  const t = buf[pos++] as number;
  if (t < 0x80) return t;
  if (t >= 0xe0) return t - 0x100;
  if (t <= 0x8f) return map(t & 0x0f, depth);
  if (t <= 0x9f) return array(t & 0x0f, depth);
  if (t <= 0xbf) return ascii(t & 0x1f);
  switch (t) {
    case 0xc0: return null;
    case 0xc2: return false;
    case 0xc3: return true;
    case 0xcb: return float64();
    case 0xcc: return checked(uint(1));
    case 0xcd: return checked(uint(2));
    case 0xce: return checked(uint(4));
    case 0xd0: { const v = uint(1); return v < 0 ? NOT_PLAIN : v >= 0x80 ? v - 0x100 : v; }
    case 0xd1: { const v = uint(2); return v < 0 ? NOT_PLAIN : v >= 0x8000 ? v - 0x10000 : v; }
    case 0xd2: { const v = uint(4); return v < 0 ? NOT_PLAIN : v >= 0x80000000 ? v - 0x100000000 : v; }
    case 0xd9: return ascii(uint(1));
    case 0xda: return ascii(uint(2));
    case 0xdb: return ascii(uint(4));
    case 0xdc: return array(uint(2), depth);
    case 0xdd: return array(uint(4), depth);
    case 0xde: return map(uint(2), depth);
    case 0xdf: return map(uint(4), depth);
    default: return NOT_PLAIN;
  }
}

function checked(v: number): unknown {
  return v < 0 ? NOT_PLAIN : v;
}

function float64(): unknown {
  if (end - pos < 8) return NOT_PLAIN;
  if (LITTLE_ENDIAN) for (let k = 0; k < 8; k++) f64Bytes[k] = buf[pos + 7 - k] as number;
  else for (let k = 0; k < 8; k++) f64Bytes[k] = buf[pos + k] as number;
  pos += 8;
  return f64[0];
}

/** Strings up to this length are built code by code; longer ones are checked, then decoded natively. */
const SHORT_STRING = 24;
const utf8 = new TextDecoder();

/** A string of `len` bytes when they are all ASCII (non-ASCII text: the general decoder's UTF-8 rules apply). */
function ascii(len: number): unknown {
  if (len < 0 || len > end - pos) return NOT_PLAIN;
  const a = pos;
  const b = pos + len;
  let s = '';
  if (len <= SHORT_STRING) {
    for (let i = a; i < b; i++) {
      const c = buf[i] as number;
      if (c >= 0x80) return NOT_PLAIN;
      s += String.fromCharCode(c);
    }
  } else {
    for (let i = a; i < b; i++) if ((buf[i] as number) >= 0x80) return NOT_PLAIN;
    s = utf8.decode(buf.subarray(a, b));
  }
  pos = b;
  return s;
}

/**
 * Keys of up to 8 bytes come from a direct-mapped cache keyed by their bytes, so a key met again
 * (metadata of one app repeats its keys) is the same, already internalised string: storing it as
 * a property then needs no hashing of a new string.
 */
const KEY_SLOTS = 1024;
const keyLo = new Int32Array(KEY_SLOTS);
const keyHi = new Int32Array(KEY_SLOTS);
const keyLen = new Int8Array(KEY_SLOTS).fill(-1);
const keyStr: string[] = new Array<string>(KEY_SLOTS).fill('');

function shortKey(len: number): unknown {
  if (len > end - pos) return NOT_PLAIN;
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < len; k++) {
    const c = buf[pos + k] as number;
    if (c >= 0x80) return NOT_PLAIN;
    if (k < 4) lo |= c << (8 * k);
    else hi |= c << (8 * (k - 4));
  }
  const slot = (Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi + len, 0x85ebca6b)) >>> 22;
  if (keyLen[slot] === len && keyLo[slot] === lo && keyHi[slot] === hi) {
    pos += len;
    return keyStr[slot];
  }
  const s = ascii(len);
  if (typeof s === 'string') {
    keyLo[slot] = lo;
    keyHi[slot] = hi;
    keyLen[slot] = len;
    keyStr[slot] = s;
  }
  return s;
}

function array(count: number, depth: number): unknown {
  // each element takes at least one byte: a count beyond the bytes left is not plain (or not valid)
  if (count < 0 || count > end - pos || depth >= MAX_DEPTH) return NOT_PLAIN;
  const out = new Array<unknown>(count);
  for (let i = 0; i < count; i++) {
    const v = value(depth + 1);
    if (v === NOT_PLAIN) return NOT_PLAIN;
    out[i] = v;
  }
  return out;
}

function map(count: number, depth: number): unknown {
  if (count < 0 || 2 * count > end - pos || depth >= MAX_DEPTH) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    if (pos >= end) return NOT_PLAIN;
    const t = buf[pos++] as number;
    let key: unknown;
    if (t >= 0xa0 && t <= 0xa8) key = shortKey(t & 0x1f);
    else if (t >= 0xa9 && t <= 0xbf) key = ascii(t & 0x1f);
    else if (t === 0xd9) key = ascii(uint(1));
    else if (t === 0xda) key = ascii(uint(2));
    else if (t === 0xdb) key = ascii(uint(4));
    else return NOT_PLAIN;
    if (key === NOT_PLAIN) return NOT_PLAIN;
    const v = value(depth + 1);
    if (v === NOT_PLAIN) return NOT_PLAIN;
    // every key an own data property, as JSON.parse makes them (`__proto__` included)
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key as string] = v;
  }
  return out;
}
