/**
 * Batch payload codec (docs/wal_format.md "Payload"). A batch of `remember` ops only (the common
 * ingest case) is written in the columnar v2 form (wal-columnar.ts); every other batch as v1:
 * msgpackr with `useRecords: false` over `[1, ops]`, a `remember` op's Float32Array embedding as a
 * `bin` of raw little-endian f32 bytes. The first byte tells them apart (0xC1 never starts
 * MessagePack). Decoding checks every count against the bytes first; anything wrong is CORRUPTION.
 */
import { MnemoError } from '@mnemo/native';
import type { WriteOp } from '../../model.js';
import { COLUMNAR_TAG, columnarRecords, decodeColumnar, encodeColumnar } from './wal-columnar.js';
import { MAX_BATCH_BYTES } from './wal-format.js';
import { packr, unpackChecked } from './wal-msgpack.js';

export const PAYLOAD_VERSION = 1;
const OPS = new Set(['remember', 'associate', 'dissociate', 'present', 'forget']);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The raw little-endian bytes, as a Buffer: msgpackr packs a Buffer as `bin` (a Uint8Array, with moreTypes, as an extension). */
function f32ToBytes(a: Float32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const out = Buffer.alloc(a.length * 4);
  a.forEach((x, i) => out.writeFloatLE(x, i * 4));
  return out;
}

function bytesToF32(b: Uint8Array): Float32Array {
  const out = new Float32Array(b.length / 4);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(b);
  else {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = v.getFloat32(i * 4, true);
  }
  return out;
}

function toWire(op: WriteOp): unknown {
  if (op === null || typeof op !== 'object' || !OPS.has(op.op)) {
    throw new MnemoError('INVALID_ARGUMENT', `not a write operation: ${JSON.stringify(op)?.slice(0, 80)}`);
  }
  if (op.op !== 'remember') return op;
  if (!(op.record?.embedding instanceof Float32Array)) {
    throw new MnemoError('INVALID_ARGUMENT', `remember of '${String(op.record?.id)}' needs a Float32Array embedding`);
  }
  return { ...op, record: { ...op.record, embedding: f32ToBytes(op.record.embedding) } };
}

function checkSize(bytes: number): void {
  if (bytes > MAX_BATCH_BYTES) {
    throw new MnemoError('LIMIT_EXCEEDED', `batch of ${bytes} bytes exceeds the ${MAX_BATCH_BYTES}-byte limit; split it`);
  }
}

/**
 * Encode a batch. A columnar payload goes into `alloc(size)` (the WAL passes a reused buffer);
 * a v1 payload is always a copy of its own.
 */
export function encodeBatch(ops: readonly WriteOp[], alloc?: (bytes: number) => Uint8Array): Uint8Array {
  if (!Array.isArray(ops)) throw new MnemoError('INVALID_ARGUMENT', 'a batch must be an array of write operations');
  const rows = columnarRecords(ops);
  if (rows !== null) {
    const payload = encodeColumnar(rows, MAX_BATCH_BYTES, alloc);
    if (typeof payload === 'number') checkSize(payload);
    else return payload;
  }
  const packed = packr.pack([PAYLOAD_VERSION, ops.map(toWire)]);
  checkSize(packed.length);
  return new Uint8Array(packed);
}

/** Decode a batch payload whose checksum was valid; `where` names the file and offset for errors. */
export function decodeBatch(payload: Uint8Array, where: { file: string; offset: number }): WriteOp[] {
  const bad = (why: string): MnemoError =>
    new MnemoError('CORRUPTION', `write-ahead log ${where.file} at offset ${where.offset}: ${why}`, { ...where });
  if (payload[0] === COLUMNAR_TAG) return decodeColumnar(payload, bad);
  const value = unpackChecked(payload, 'batch payload', bad);
  if (!Array.isArray(value) || value.length !== 2 || !Array.isArray(value[1])) throw bad('batch payload is not [version, ops]');
  if (value[0] !== PAYLOAD_VERSION) throw bad(`unsupported batch payload version ${String(value[0])}`);
  return (value[1] as unknown[]).map((op) => fromWire(op, bad));
}

function fromWire(op: unknown, bad: (why: string) => MnemoError): WriteOp {
  const o = op as { op?: unknown; record?: { embedding?: unknown } };
  if (o === null || typeof o !== 'object' || typeof o.op !== 'string' || !OPS.has(o.op)) throw bad('unknown write operation');
  if (o.op !== 'remember') return o as WriteOp;
  const emb = o.record?.embedding;
  if (!(emb instanceof Uint8Array) || emb.length % 4 !== 0) throw bad('remember op without a valid embedding');
  return { ...(o as WriteOp & { op: 'remember' }), record: { ...(o as WriteOp & { op: 'remember' }).record, embedding: bytesToF32(emb) } };
}
