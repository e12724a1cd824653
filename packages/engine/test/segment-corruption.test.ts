/**
 * Segment corruption (docs/segment_format.md §4, testing.md "corruption"): truncations, byte
 * flips at every offset of a small file and a seeded sample of a larger one, zeroed pages, wrong
 * magic/version, and forged files whose CRCs are valid but whose counts, offsets or structure lie.
 * Every case must be MnemoError CORRUPTION — never a crash, a RangeError or a silent success:
 * at open, or — only when every damaged byte lies in a section that version 2 verifies lazily —
 * at the first read of the damaged data and at verifyAll() (§4 step 6).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from '@mnemo/native';
import { openSegment, writeSegment } from '../src/storage/segment/index.js';
import { openMappedSegment } from '../src/storage/segment/open-segment.js';
import { S } from '../src/storage/segment/layout.js';
import type { SegmentReader } from '../src/storage/segment/index.js';
import {
  directoryOf as directory, emptyContent, expectCorruption, forgeHeader, heapMapping, makeRow, mixedContent, reseal, rng,
  sectionOf as section, tempDir,
} from './segment-fixtures.js';
import type { DirEntry as Entry } from './segment-fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let small: Uint8Array;
let large: Uint8Array;
let victim: string;

beforeAll(async () => {
  tmp = tempDir();
  const s = await writeSegment(join(tmp.dir, 'spaces', 'notes', 'seg-000001'), mixedContent(1, 6, 3));
  const l = await writeSegment(join(tmp.dir, 'spaces', 'notes', 'seg-000002'), mixedContent(2, 2000, 128));
  small = new Uint8Array(readFileSync(s.path));
  large = new Uint8Array(readFileSync(l.path));
  victim = join(tmp.dir, 'victim.seg');
});
afterAll(() => tmp.cleanup());

/** Sections a v2 open verifies (the id columns); every other section is verified on first use. */
const EAGER = new Set<number>([S.rowIdOff, S.rowIdBytes, S.duIdOff, S.duIdBytes, S.tombIdOff, S.tombIdBytes, S.blockTable]);

/** True when every byte where `bad` differs from `good` lies in a lazily verified section (same length). */
function onlyLazyDamage(good: Uint8Array, bad: Uint8Array): boolean {
  if (good.length !== bad.length) return false;
  const lazy = directory(good).filter((e) => !EAGER.has(e.id)).map((e) => [e.offset, Math.ceil((e.offset + e.length) / 64) * 64]);
  const g = Buffer.from(good.buffer, good.byteOffset, good.length);
  const b = Buffer.from(bad.buffer, bad.byteOffset, bad.length);
  for (let c = 0; c < g.length; c += 4096) {
    const end = Math.min(c + 4096, g.length);
    if (g.compare(b, c, end, c, end) === 0) continue;
    for (let i = c; i < end; i++) {
      if (g[i] !== b[i] && !lazy.some(([x, y]) => i >= (x as number) && i < (y as number))) return false;
    }
  }
  return true;
}

/** Reads every value of the segment (every row, decay update, tombstone, association). */
function readAll(r: SegmentReader): void {
  for (let i = 0; i < r.rowCount; i++) r.record(i);
  r.decayUpdates();
  r.tombstones();
  [...r.associations()];
  r.assocTombstones();
}

/**
 * Asserts that the image `bytes` is CORRUPTION: at open — in memory (a heap mapping, as in the
 * JS fallback) for sweeps, through a real file + mapFile when `viaFile` — or, when `pristine` is
 * given and the damage lies only in lazily verified sections, at the full read and at verifyAll().
 */
function expectBad(bytes: Uint8Array, label: string, where?: RegExp, viaFile = false, pristine?: Uint8Array): void {
  try {
    let r: SegmentReader;
    try {
      if (viaFile) writeFileSync(victim, bytes);
      r = viaFile ? openSegment(victim) : openMappedSegment(victim, heapMapping(bytes));
    } catch {
      expectCorruption(() => viaFile ? openSegment(victim) : openMappedSegment(victim, heapMapping(bytes)), where);
      return;
    }
    try {
      if (pristine === undefined || !onlyLazyDamage(pristine, bytes)) throw new Error('opened, but the damage is not in a lazily verified section');
      expectCorruption(() => readAll(r), where);
      expectCorruption(() => r.verifyAll(), where);
    } finally {
      r.close();
    }
  } catch (e) {
    throw new Error(`${label}: ${(e as Error).message}`);
  }
}

function flipped(src: Uint8Array, at: number, mask: number): Uint8Array {
  const b = src.slice();
  b[at] = (b[at] as number) ^ mask;
  return b;
}

describe('segment corruption', () => {
  it('the pristine images open and read', () => {
    for (const img of [small, large]) {
      writeFileSync(victim, img);
      const r = openSegment(victim);
      expect(r.rowCount).toBeGreaterThan(0);
      r.close();
    }
  });

  it('truncated at every length of the small segment', () => {
    for (let len = 0; len < small.length; len++) expectBad(small.subarray(0, len), `truncate to ${len}`);
  });

  it('truncated at seeded lengths of the large segment (and at every 64-byte boundary of its tail)', () => {
    const r = rng(11);
    for (let i = 0; i < 200; i++) { const len = Math.floor(r() * large.length); expectBad(large.subarray(0, len), `truncate to ${len}`); }
    for (let len = large.length - 64 * 40; len < large.length; len += 64) expectBad(large.subarray(0, len), `truncate to ${len}`);
  });

  it('through real files and mapFile: seeded truncations and flips of the small segment', () => {
    const r = rng(13);
    for (let i = 0; i < 40; i++) expectBad(small.subarray(0, Math.floor(r() * small.length)), `file truncate ${i}`, undefined, true);
    for (let i = 0; i < 40; i++) { const at = Math.floor(r() * small.length); expectBad(flipped(small, at, 0x10), `file flip at ${at}`, undefined, true, small); }
  });

  it('extended by trailing bytes', () => {
    for (const extra of [1, 63, 64, 4096]) {
      const b = new Uint8Array(small.length + extra);
      b.set(small);
      expectBad(b, `extend by ${extra}`);
    }
  });

  it('one byte flipped at every offset of the small segment (header, every section, padding, directory, trailer)', () => {
    for (let at = 0; at < small.length; at++) expectBad(flipped(small, at, 1 << (at % 8)), `flip at ${at}`, undefined, false, small);
  });

  it('one byte flipped at seeded offsets of the large segment, at least one per section', () => {
    const r = rng(12);
    const offsets = Array.from({ length: 300 }, () => Math.floor(r() * large.length));
    for (const e of directory(large)) if (e.length > 0) offsets.push(e.offset + Math.floor(r() * e.length));
    for (const at of offsets) expectBad(flipped(large, at, 1 + Math.floor(r() * 255)), `flip at ${at}`, undefined, false, large);
  });

  it('a zeroed 4 KiB page anywhere in the large segment', () => {
    let tried = 0;
    for (let p = 0; p < large.length; p += 4096) {
      const b = large.slice();
      const end = Math.min(p + 4096, b.length);
      if (b.subarray(p, end).every((x) => x === 0)) continue;
      b.fill(0, p, end);
      expectBad(b, `zero page at ${p}`, undefined, false, large);
      tried++;
    }
    expect(tried).toBeGreaterThan(100);
  });

  it('expected size or checksum from the catalog differ', async () => {
    writeFileSync(victim, small);
    const r = openSegment(victim);
    const checksum = r.checksum;
    r.close();
    expectCorruption(() => openSegment(victim, { bytes: small.length + 64 }), /expected/);
    expectCorruption(() => openSegment(victim, { checksum: (checksum + 1) >>> 0 }), /expected/);
    openSegment(victim, { bytes: small.length, checksum }).close();
  });

  it('wrong header magic, wrong version (with valid checksums)', () => {
    const magic = small.slice();
    writeFileSync(victim, magic);
    forgeHeader(victim, (v) => v.setUint8(0, 0x58));
    expectCorruption(() => openSegment(victim), /header: bad magic/);
    writeFileSync(victim, small);
    forgeHeader(victim, (v) => v.setUint32(8, 3, true));
    expectCorruption(() => openSegment(victim), /unsupported format version 3/);
    writeFileSync(victim, small);
    forgeHeader(victim, (v) => v.setUint32(8, 1, true));
    expectCorruption(() => openSegment(victim), /differs from the trailer/);
  });

  it('a file that is not a segment at all', () => {
    expectBad(new Uint8Array(8192).fill(0x41), 'all A');
    expectBad(new Uint8Array(8192), 'all zero');
  });

  const forgedHeaders: [string, number, number, RegExp][] = [
    ['row count 2^31', 36, 2 ** 31, /expected/],
    ['row count 2^32-1', 36, 2 ** 32 - 1, /expected/],
    ['dim 4096 with a tiny file', 24, 4096, /expected/],
    ['dim 0', 24, 0, /dim 0/],
    ['dim 2^32-1', 24, 2 ** 32 - 1, /dim/],
    ['decay update count 2^31', 40, 2 ** 31, /expected/],
    ['tombstone count 2^31', 44, 2 ** 31, /expected/],
    ['association count 2^31', 48, 2 ** 31, /./],
    ['group count 2^31', 52, 2 ** 31, /group count/],
    ['association tombstone count 2^31', 56, 2 ** 31, /expected/],
    ['kind dictionary size 2^31', 60, 2 ** 31, /expected/],
    ['recent window 0', 28, 0, /recent window/],
    ['recent window 2^31', 28, 2 ** 31, /recent window/],
    ['meta encoding 7', 32, 7, /meta encoding/],
    ['space name length 2^31', 20, 2 ** 31, /space name length/],
    ['header length 2^31', 16, 2 ** 31, /header length/],
    ['flags set', 12, 1, /flags/],
    ['block shift 5 (below 64-byte blocks)', 104, 5, /block shift 5/],
    ['block shift 25', 104, 25, /block shift 25/],
    ['block shift 2^31', 104, 2 ** 31, /block shift/],
    ['reserved byte after the block shift', 108, 1, /reserved/],
  ];
  for (const [name, at, value, where] of forgedHeaders) {
    it(`forged header: ${name}`, () => {
      writeFileSync(victim, small);
      if (at === 16) {
        // The header CRC lives at H−4; with a forged H the reader must reject H before using it.
        const b = small.slice();
        new DataView(b.buffer).setUint32(16, value, true);
        writeFileSync(victim, b);
      } else {
        forgeHeader(victim, (v) => v.setUint32(at, value, true));
      }
      expectCorruption(() => openSegment(victim), where);
    });
  }

  it('forged header: min LSN above max LSN, LSN beyond 2^53, file length lies, created not finite', () => {
    for (const patch of [
      (v: DataView) => v.setBigUint64(64, 10n ** 15n, true),
      (v: DataView) => v.setBigUint64(72, 2n ** 60n, true),
      (v: DataView) => v.setBigUint64(96, 1n, true),
      (v: DataView) => v.setBigUint64(80, 2n ** 63n, true),
      (v: DataView) => v.setFloat64(88, NaN, true), // created: the writer only accepts finite times
      (v: DataView) => v.setFloat64(88, -Infinity, true),
    ]) {
      writeFileSync(victim, small);
      forgeHeader(victim, patch);
      expectCorruption(() => openSegment(victim), /header/);
    }
  });

  it('forged directory: offsets, lengths, ids, flags (re-sealed CRCs)', () => {
    const cases: [string, (v: DataView, e: Entry[]) => void][] = [
      ['section offset beyond the file', (v, e) => v.setBigUint64((e[3] as Entry).at + 8, 2n ** 40n, true)],
      ['section length huge', (v, e) => v.setBigUint64((e[3] as Entry).at + 16, 2n ** 40n, true)],
      ['section length off by one', (v, e) => v.setBigUint64((e[5] as Entry).at + 16, BigInt((e[5] as Entry).length + 1), true)],
      ['unknown section id', (v, e) => v.setUint32((e[0] as Entry).at, 999, true)],
      ['duplicate section id', (v, e) => v.setUint32((e[1] as Entry).at, (e[0] as Entry).id, true)],
      ['u64 flag on a fixed-width section', (v, e) => v.setUint32((e[5] as Entry).at + 4, 1, true)],
      ['unknown flag', (v, e) => v.setUint32((e[0] as Entry).at + 4, 2, true)],
      ['reserved field set', (v, e) => v.setUint32((e[0] as Entry).at + 28, 1, true)],
      ['section count lies', (v) => v.setUint32(v.byteLength - 64 + 16, 3, true)],
      ['directory offset lies', (v) => v.setBigUint64(v.byteLength - 64, 64n, true)],
      ['directory offset beyond the file', (v) => v.setBigUint64(v.byteLength - 64, 2n ** 50n, true)],
    ];
    for (const [name, patch] of cases) {
      const b = small.slice();
      patch(new DataView(b.buffer), directory(small));
      expectBad(reseal(b), name);
    }
  });

  it('forged sections with valid CRCs: structure checks catch lying offsets, order, kinds and windows (at open for id columns, else at the read)', () => {
    // 'open': the id columns a v2 open validates; 'read': lazily verified sections, checked when read and by verifyAll().
    const cases: [string, number, 'open' | 'read', (v: DataView, len: number) => void][] = [
      ['row id offsets decrease', S.rowIdOff, 'open', (v) => v.setUint32(4, 0xffffff, true)],
      ['row id last offset past the bytes', S.rowIdOff, 'open', (v, len) => v.setUint32(len - 4, 0xffffffff, true)],
      ['row id first offset not 0', S.rowIdOff, 'open', (v) => v.setUint32(0, 1, true)],
      ['row ids out of order', S.rowIdBytes, 'open', (v) => { const a = v.getUint8(0); v.setUint8(0, 0x7e); v.setUint8(1, a); }],
      ['row id bytes not UTF-8', S.rowIdBytes, 'open', (v) => v.setUint8(0, 0xff)],
      ['tombstones out of order', S.tombIdBytes, 'open', (v) => v.setUint8(0, 0x7f)],
      ['decay update ids out of order', S.duIdBytes, 'open', (v) => v.setUint8(0, 0x7f)],
      ['content not UTF-8', S.contentBytes, 'read', (v) => v.setUint8(0, 0xc3)],
      ['content offsets decrease', S.contentOff, 'read', (v) => v.setUint32(8, 0xfffffff, true)],
      ['kind byte 7', S.kind, 'read', (v) => v.setUint8(0, 7)],
      ['recent window 200', S.rowDecay + 3, 'read', (v) => v.setUint8(0, 200)],
      ['decay update window 200', 48 + 3, 'read', (v) => v.setUint8(0, 200)],
      ['group start does not end at A', S.groupStart, 'read', (v, len) => v.setUint32(len - 4, 0x7fffffff, true)],
      ['empty group', S.groupStart, 'read', (v) => v.setUint32(4, 0, true)],
      ['association kind beyond dictionary', S.assocKind, 'read', (v) => v.setUint32(0, 1000, true)],
      ['association tombstone kind beyond dictionary', S.atKind, 'read', (v) => v.setUint32(4, 77, true)],
      ['meta offsets decrease', S.metaOff, 'read', (v) => v.setUint32(8, 0xfffffff, true)],
    ];
    for (const [name, id, when, patch] of cases) {
      const b = small.slice();
      const e = section(b, id);
      patch(new DataView(b.buffer, e.offset, e.length), e.length);
      reseal(b);
      if (when === 'open') {
        expectBad(b, name);
        continue;
      }
      const r = openMappedSegment(victim, heapMapping(b));
      try {
        expectCorruption(() => readAll(r), undefined);
        expectCorruption(() => r.verifyAll(), undefined);
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}`);
      } finally {
        r.close();
      }
    }
  });

  it('forged meta bytes that are not msgpack fail on read with CORRUPTION', () => {
    const b = small.slice();
    const e = section(b, S.metaBytes);
    b.fill(0xc1, e.offset, e.offset + e.length); // 0xc1 is "never used" in msgpack
    writeFileSync(victim, reseal(b));
    const r = openSegment(victim);
    let bad = 0;
    for (let i = 0; i < r.rowCount; i++) {
      try { r.meta(i); } catch (err) { expect((err as { code: string }).code).toBe('CORRUPTION'); bad++; }
    }
    expect(bad).toBeGreaterThan(0);
    r.close();
  });

  /** A meta value that packs to exactly `len` bytes: fixint, or a Buffer as bin8 / bin16. */
  const metaOfLength = (len: number): unknown => (len === 1 ? 5 : Buffer.alloc(len <= 257 ? len - 2 : len - 3));

  /** A segment whose only row's meta bytes are exactly `payload` (CRC-valid: every checksum resealed). */
  async function forgedMeta(name: string, payload: number[]): Promise<string> {
    const info = await writeSegment(join(tmp.dir, 'spaces', 'notes', name), emptyContent({ rows: [makeRow(rng(9), 4, 'm', { meta: metaOfLength(payload.length) })] }));
    const b = new Uint8Array(readFileSync(info.path));
    const e = section(b, S.metaBytes);
    expect(e.length).toBe(payload.length);
    b.set(payload, e.offset);
    const path = join(tmp.dir, `${name}.seg`);
    writeFileSync(path, reseal(b));
    return path;
  }

  it('forged meta: containers declaring more values than bytes are CORRUPTION without allocating (child, 96 MB heap)', async () => {
    // 60 nested array32 headers of 2^24 − 1 elements: msgpackr would pre-allocate 128 MB per level.
    const nest = Array.from({ length: 60 }, () => [0xdd, 0x00, 0xff, 0xff, 0xff]).flat();
    const path = await forgedMeta('seg-meta-bomb', nest);
    const engine = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
    const code = `const { openSegment } = await import(${JSON.stringify(engine)});
      const r = openSegment(${JSON.stringify(path)});
      try { r.meta(0); console.log('decoded'); } catch (e) { console.log(e.code, e.message); }`;
    const res = spawnSync(process.execPath, ['--max-old-space-size=96', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
    expect(res.status, res.stderr.slice(-2000)).toBe(0);
    expect(res.stdout).toMatch(/^CORRUPTION .*section 'meta bytes'.*row 0: meta is not valid MessagePack \(declares \d+ values with \d+ bytes left\)/);
  });

  it('forged meta: a never-used byte, trailing bytes, foreign extensions, truncation and over-long lengths are CORRUPTION', async () => {
    const cases: [string, number[]][] = [
      ['0xc1 (never used)', [0xc1]],
      ['trailing bytes after a value', [0x01, 0x02]],
      ['record definition extension 0x72', [0xd4, 0x72, 0x00]],
      ['bundled strings extension 0x62', [0xc7, 0x04, 0x62, 0, 0, 0, 9]],
      ['structured-clone pointer 0x70', [0xd6, 0x70, 0, 0, 0, 1]],
      ['str32 longer than the bytes', [0xdb, 0x7f, 0xff, 0xff, 0xff, 0x41]],
      ['map16 with more entries than bytes', [0xde, 0x7f, 0xff]],
      ['Set extension with its array missing', [0xd4, 0x73, 0x00]],
    ];
    let k = 0;
    for (const [name, payload] of cases) {
      const path = await forgedMeta(`seg-meta-${k++}`, payload);
      const r = openSegment(path);
      try {
        expectCorruption(() => r.meta(0), /section 'meta bytes'/);
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}`);
      } finally {
        r.close();
      }
    }
  });
});

