/**
 * Argument checks shared by every public function of @mnemo/native. The C++ addon trusts its
 * input, so everything it could misread (types, lengths, ranges) is checked here first.
 * Implements the validation rules of docs/native_api.md.
 */
import { MnemoError } from './errors.js';
import type { Metric } from './types.js';

export function invalid(message: string, details: Record<string, unknown> = {}): MnemoError {
  return new MnemoError('INVALID_ARGUMENT', message, details);
}

// `instanceof` alone also accepts Object.create(Float32Array.prototype), which is no typed array:
// its `length` getter throws a TypeError and the addon would see no data. isView checks the object.
export function assertF32(v: unknown, name: string): asserts v is Float32Array {
  if (!(v instanceof Float32Array && ArrayBuffer.isView(v))) throw invalid(`${name} must be a Float32Array`);
}

export function assertBytes(v: unknown, name: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array && ArrayBuffer.isView(v))) throw invalid(`${name} must be a Uint8Array`);
}

export function assertSameLength(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length) {
    throw invalid(`vectors differ in length (${a.length} vs ${b.length})`, { a: a.length, b: b.length });
  }
}

export function assertMetric(m: unknown): asserts m is Metric {
  if (m !== 'dot' && m !== 'l2' && m !== 'cosine') throw invalid(`unknown metric ${String(m)} (use 'dot', 'l2' or 'cosine')`);
}

/** A non-negative safe integer (byte offsets, lengths, k). */
export function assertCount(v: unknown, name: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw invalid(`${name} must be a non-negative integer, got ${String(v)}`);
  }
}

export function assertSeed(v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw invalid(`crc32c seed must be an unsigned 32-bit integer, got ${String(v)}`);
  }
}

export function assertPath(v: unknown, name = 'path'): asserts v is string {
  if (typeof v !== 'string' || v.length === 0 || v.includes('\0')) throw invalid(`${name} must be a non-empty string`);
}

/** Rows for a batched kernel: dim > 0 and rows.length a multiple of dim. Returns the row count. */
export function rowCount(query: Float32Array, rows: Float32Array): number {
  const dim = query.length;
  if (dim === 0) throw invalid('query must not be empty');
  if (rows.length % dim !== 0) {
    throw invalid(`rows.length ${rows.length} is not a multiple of the query dimension ${dim}`, {
      rows: rows.length,
      dim,
    });
  }
  return rows.length / dim;
}

/** True when two typed arrays share bytes (the output must not alias an input). */
export function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}
