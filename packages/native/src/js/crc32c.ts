/**
 * Pure-TypeScript CRC32C (Castagnoli, reflected polynomial 0x82F63B78), slicing-by-8 tables.
 * Same contract as the addon: crc32c(b, crc32c(a)) === crc32c(a ‖ b); result unsigned 32-bit.
 * Reference for parity tests and the fallback when MNEMO_NATIVE=0. See docs/native_api.md.
 */

const POLY = 0x82f63b78;

/** T[k * 256 + b]: CRC of byte b followed by k zero bytes. */
function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let i = 0; i < 8; i++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[b] = c >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    for (let b = 0; b < 256; b++) {
      const prev = t[(k - 1) * 256 + b]!;
      t[k * 256 + b] = (t[prev & 0xff]! ^ (prev >>> 8)) >>> 0;
    }
  }
  return t;
}

const T = buildTables();

/** Hot kernel: 8 bytes per step through 8 tables, then byte at a time for the tail. */
export function crc32cJs(data: Uint8Array, seed: number): number {
  let crc = ~seed;
  const n = data.length;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const lo = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    const hi = data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
    crc =
      T[1792 + (lo & 0xff)]! ^
      T[1536 + ((lo >>> 8) & 0xff)]! ^
      T[1280 + ((lo >>> 16) & 0xff)]! ^
      T[1024 + (lo >>> 24)]! ^
      T[768 + (hi & 0xff)]! ^
      T[512 + ((hi >>> 8) & 0xff)]! ^
      T[256 + ((hi >>> 16) & 0xff)]! ^
      T[hi >>> 24]!;
  }
  for (; i < n; i++) crc = T[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
