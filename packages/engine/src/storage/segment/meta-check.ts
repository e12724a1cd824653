/**
 * Bounds check of one stored meta value before msgpackr decodes it (docs/segment_format.md §2.4
 * "Meta", §4). msgpackr allocates `new Array(count)` from a container header, so a CRC-valid but
 * forged 5-byte array32 header could ask for gigabytes and kill the process. This walk allocates
 * nothing and accepts only what the writer's Packr (`useRecords: false`) emits.
 */

/**
 * Extension types the writer can emit → true when msgpackr reads one more value after the ext
 * data (Error 0x65, Set 0x73, RegExp 0x78). undefined 0x00, BigInt 0x42, typed array 0x74 and
 * timestamp 0xff (−1) are self-contained. Records (0x72), bundled strings (0x62) and structured
 * clone references (0x69, 0x70) are never written.
 */
const EXT_FOLLOWS: ReadonlyMap<number, boolean> = new Map([
  [0x00, false], [0x42, false], [0x65, true], [0x73, true], [0x74, false], [0x78, true], [0xff, false],
]);

/** Bytes of the big-endian length field of each variable-length head (bin, ext, str, array, map). */
const LEN_BYTES: Readonly<Record<number, number>> = {
  0xc4: 1, 0xc5: 2, 0xc6: 4, 0xc7: 1, 0xc8: 2, 0xc9: 4, 0xd9: 1, 0xda: 2, 0xdb: 4, 0xdc: 2, 0xdd: 4, 0xde: 2, 0xdf: 4,
};
/** Payload bytes of fixed-size heads (numbers, fixext data including its type byte). */
const FIXED: Readonly<Record<number, number>> = {
  0xca: 4, 0xcb: 8, 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8,
  0xd4: 2, 0xd5: 3, 0xd6: 5, 0xd7: 9, 0xd8: 17,
};

/**
 * Hot-ish kernel (one call per meta read). Returns null when `b` is exactly one msgpack value whose
 * every declared count and length fits in the bytes left, else what is wrong. `pending` counts the
 * values still to read; each needs at least one byte, so `pending ≤ bytes left` bounds every
 * allocation msgpackr will make by the input length.
 */
export function metaProblem(b: Uint8Array): string | null {
  const n = b.length;
  let pos = 0;
  let pending = 1;
  while (pending > 0) {
    if (pos >= n) return 'truncated value';
    const t = b[pos++] as number;
    pending--;
    let values = 0;
    let skip = 0;
    if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) {
      // positive/negative fixint, nil, false, true
    } else if (t <= 0x8f) values = 2 * (t & 0x0f);
    else if (t <= 0x9f) values = t & 0x0f;
    else if (t <= 0xbf) skip = t & 0x1f;
    else if (FIXED[t] !== undefined) {
      skip = FIXED[t] as number;
      if (t >= 0xd4) {
        if (pos >= n) return 'truncated extension';
        const follows = EXT_FOLLOWS.get(b[pos] as number);
        if (follows === undefined) return `extension type ${b[pos]} is not written by Mnemo`;
        if (follows) values = 1;
      }
    } else if (LEN_BYTES[t] !== undefined) {
      const w = LEN_BYTES[t] as number;
      if (pos + w > n) return 'truncated length';
      let len = 0;
      for (let k = 0; k < w; k++) len = len * 256 + (b[pos + k] as number);
      pos += w;
      if (t >= 0xdc && t <= 0xdd) values = len;
      else if (t >= 0xde) values = 2 * len;
      else if (t >= 0xc7 && t <= 0xc9) {
        if (pos >= n) return 'truncated extension';
        const follows = EXT_FOLLOWS.get(b[pos] as number);
        if (follows === undefined) return `extension type ${b[pos]} is not written by Mnemo`;
        if (follows) values = 1;
        skip = 1 + len;
      } else skip = len;
    } else return `byte 0x${t.toString(16)} at ${pos - 1} is not a msgpack value Mnemo writes`;
    if (skip > n - pos) return `length ${skip} exceeds the ${n - pos} bytes left`;
    pos += skip;
    pending += values;
    if (pending > n - pos) return `declares ${values} values with ${n - pos} bytes left`;
  }
  return pos === n ? null : `${n - pos} trailing bytes after the value`;
}
