/**
 * The MessagePack encoding of a row's `meta` in a segment (docs/segment_format.md §2.4 "meta"),
 * shared by the object path (build-sections.ts) and the memtable's column blocks, so both write
 * the same bytes for the same value.
 */
import { MnemoError } from '@mnemo/native';
import { Packr } from 'msgpackr';

// moreTypes: typed arrays, Sets, Errors and RegExps keep their types (ext 0x74/0x73/0x65/0x78).
// Without it msgpackr 1.12 writes a non-byte typed array as `bin` of its elements truncated to
// bytes, padded with whatever its scratch buffer held: silent corruption and a leak of old bytes.
const packr = new Packr({ useRecords: false, moreTypes: true });

/** `meta` of row `id` packed; the bytes are valid until the next call (copy them at once). */
export function packMeta(meta: unknown, id: string): Uint8Array {
  try {
    return packr.pack(meta);
  } catch (e) {
    throw new MnemoError('INVALID_ARGUMENT', `segment content: row ${JSON.stringify(id)}: meta cannot be encoded as msgpack: ${(e as Error).message}`, { id });
  }
}
