/**
 * IEEE 754 binary16 conversion for f16 fields (docs/field_format.md "Element encodings").
 * Encoding rounds the JS double directly (no double rounding through f32): round-to-nearest-even,
 * overflow to ±Infinity, subnormals exact, NaN → quiet NaN 0x7e00, −0 kept. Decoding uses a table.
 */

/** 2^e for e in [-25, 16], exact. */
const POW2 = new Float64Array(42);
for (let e = -25; e <= 16; e++) POW2[e + 25] = 2 ** e;

function pow2(e: number): number {
  return POW2[e + 25] as number;
}

/** Round a non-negative double to an integer, ties to even. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Encode a number as the bits of the nearest binary16 value. */
export function toF16(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00; // 65520 is halfway between 65504 and 2^16: ties to even → ∞
  if (a < 6.103515625e-5) {
    // subnormal range (< 2^-14): units of 2^-24; a result of 1024 is the smallest normal, same bits
    return sign | roundHalfEven(a * 16777216);
  }
  let e = Math.floor(Math.log2(a));
  if (pow2(e) > a) e--;
  else if (pow2(e + 1) <= a) e++;
  let q = roundHalfEven((a / pow2(e) - 1) * 1024);
  if (q === 1024) {
    q = 0;
    e++;
  }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | q;
}

/** Decode table: binary16 bits → value (as f32, which holds every f16 value exactly). */
const DECODE = new Float32Array(65536);
for (let h = 0; h < 65536; h++) {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) DECODE[h] = s * m * 2 ** -24;
  else if (e === 31) DECODE[h] = m === 0 ? s * Infinity : NaN;
  else DECODE[h] = s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Decode binary16 bits to a number. */
export function fromF16(h: number): number {
  return DECODE[h & 0xffff] as number;
}

/** Decode a run of binary16 values into `out` (same length). */
export function decodeF16(src: Uint16Array, out: Float32Array): Float32Array {
  for (let i = 0; i < src.length; i++) out[i] = DECODE[src[i] as number] as number;
  return out;
}
