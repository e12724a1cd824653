/**
 * Element types of a Field: sizes, on-disk codes, typed-array views and the conversion of JS
 * numbers to stored values (docs/field_format.md "Element encodings").
 */
import { MnemoError } from '@mnemo/native';
import { toF16 } from './f16.js';

export type Dtype = 'f32' | 'f16' | 'i8' | 'u8';

/** What values of a field are returned as: f32 and f16 → Float32Array, i8 → Int8Array, u8 → Uint8Array. */
export type FieldArray = Float32Array | Int8Array | Uint8Array;

/** A typed view of stored elements (f16 is its raw bits). */
export type StoredArray = Float32Array | Uint16Array | Int8Array | Uint8Array;

export interface DtypeInfo {
  readonly name: Dtype;
  readonly code: number;
  readonly size: number;
}

export const DTYPES: Readonly<Record<Dtype, DtypeInfo>> = {
  f32: { name: 'f32', code: 1, size: 4 },
  f16: { name: 'f16', code: 2, size: 2 },
  i8: { name: 'i8', code: 3, size: 1 },
  u8: { name: 'u8', code: 4, size: 1 },
};

export function dtypeInfo(name: unknown): DtypeInfo {
  if (typeof name === 'string' && Object.hasOwn(DTYPES, name)) return DTYPES[name as Dtype];
  throw new MnemoError('INVALID_ARGUMENT', `unknown field dtype ${String(name)} (use f32, f16, i8 or u8)`);
}

export function dtypeByCode(code: number): DtypeInfo | undefined {
  return Object.values(DTYPES).find((d) => d.code === code);
}

/** A stored-element view over `length` elements of `buffer` starting at `byteOffset`. */
export function storedView(dtype: Dtype, buffer: ArrayBuffer, byteOffset: number, length: number): StoredArray {
  switch (dtype) {
    case 'f32':
      return new Float32Array(buffer, byteOffset, length);
    case 'f16':
      return new Uint16Array(buffer, byteOffset, length);
    case 'i8':
      return new Int8Array(buffer, byteOffset, length);
    case 'u8':
      return new Uint8Array(buffer, byteOffset, length);
  }
}

/** A new zeroed value array of `length` elements. */
export function newFieldArray(dtype: Dtype, length: number): FieldArray {
  if (dtype === 'i8') return new Int8Array(length);
  if (dtype === 'u8') return new Uint8Array(length);
  return new Float32Array(length);
}

/** Round to nearest (ties away from zero) and clamp to [lo, hi]; NaN → 0. */
function clampInt(x: number, lo: number, hi: number): number {
  if (Number.isNaN(x)) return 0;
  const r = x < 0 ? -Math.round(-x) : Math.round(x);
  return r < lo ? lo : r > hi ? hi : r;
}

/** The stored representation of a number (f16: its bits; i8/u8: the clamped integer). */
export function encodeValue(dtype: Dtype, x: number): number {
  switch (dtype) {
    case 'f32':
      return x;
    case 'f16':
      return toF16(x);
    case 'i8':
      return clampInt(x, -128, 127);
    case 'u8':
      return clampInt(x, 0, 255);
  }
}

/** `count` copies of the encoding of `x`, as bytes (for fill and set). */
export function encodeBytes(dtype: Dtype, x: number, count: number): Uint8Array {
  const info = DTYPES[dtype];
  const bytes = new Uint8Array(count * info.size);
  const view = storedView(dtype, bytes.buffer, 0, count);
  view.fill(encodeValue(dtype, x));
  return bytes;
}
