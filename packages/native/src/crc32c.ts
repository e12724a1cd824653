/**
 * crc32c(data, seed?): CRC32C (Castagnoli) of a byte array, unsigned 32-bit, chainable:
 * crc32c(b, crc32c(a)) === crc32c(a ‖ b). Used for every record and file checksum in Mnemo.
 * docs/native_api.md "crc32c".
 */
import { active } from './backend.js';

export const crc32c: (data: Uint8Array, seed?: number) => number = active.crc32c;
