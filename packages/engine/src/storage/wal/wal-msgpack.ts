/**
 * The MessagePack side of WAL payloads (docs/wal_format.md "Payload"): one Packr/Unpackr pair
 * shared by the v1 payload (the whole batch) and the columnar v2 payload (each row's `meta`), a
 * bounds walk before decoding, and the decoding that rebuilds plain objects.
 */
import { Packr, Unpackr } from 'msgpackr';
import type { MnemoError } from '@mnemo/native';
import { metaProblem } from '../segment/meta-check.js';
import { NOT_PLAIN, unpackPlain } from './plain-unpack.js';

/**
 * moreTypes: typed arrays (other than Buffer), Sets, Errors and RegExps get msgpackr's own
 * self-contained extensions. Without it msgpackr 1.12 writes e.g. a Float32Array inside `meta` as a
 * `bin` of its elements truncated to bytes plus stale scratch bytes.
 */
export const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: true });
/**
 * Decoding reads maps as Map and rebuilds the objects itself: msgpackr's own object decoding
 * renames a key `__proto__` to `__proto_`, so user metadata with that (valid JSON) key would come
 * back different from what was acknowledged. copyBuffers: a `bin` value must not alias the bytes
 * it came from (a reused read buffer of the WAL, or a segment's mapping that is unmapped later).
 */
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: false, copyBuffers: true });

/** Pack `v` into a fresh copy (msgpackr's result shares a scratch buffer with the next pack). */
export function packCopy(v: unknown): Uint8Array {
  return new Uint8Array(packr.pack(v));
}

/**
 * Decode one MessagePack value whose checksum was valid. Plain JSON-like values take the direct
 * decoder (plain-unpack.ts, same result); any other value the bounds walk first (msgpackr allocates
 * from container headers), then msgpackr, then Maps → plain objects. `what` names it in errors.
 */
export function unpackChecked(bytes: Uint8Array, what: string, bad: (why: string) => MnemoError): unknown {
  const direct = unpackPlain(bytes);
  return direct !== NOT_PLAIN ? direct : unpackGeneral(bytes, what, bad);
}

/** unpackChecked without the direct decoder: any value the writer emits (exported for the parity test). */
export function unpackGeneral(bytes: Uint8Array, what: string, bad: (why: string) => MnemoError): unknown {
  const problem = metaProblem(bytes);
  if (problem !== null) throw bad(`${what} is not valid MessagePack (${problem})`);
  try {
    return plain(unpackr.unpack(bytes));
  } catch (e) {
    throw bad(`${what} does not decode (${(e as Error).message})`);
  }
}

/** Maps → plain objects (every key an own data property, as JSON.parse makes them), recursively. */
function plain(v: unknown): unknown {
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) {
      const key = String(k);
      if (key === '__proto__') Object.defineProperty(out, key, { value: plain(x), enumerable: true, writable: true, configurable: true });
      else out[key] = plain(x);
    }
    return out;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = plain(v[i]);
  }
  return v;
}
