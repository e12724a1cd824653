/**
 * Segment format version 2 block checksums (docs/segment_format.md §2.5, §4 step 6), LevelDB
 * style: round trips at sizes that straddle block boundaries, a flipped byte in each lazily
 * verified section (open succeeds, the first read touching that block is CORRUPTION naming the
 * section and block, other blocks still read), a damaged block table (open fails), bulk accessors
 * and verifyAll(), merge inputs, and version 1 files (still open, verified whole at open).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MnemoError } from '@mnemo/native';
import { mergeSegments, writeSegment } from '../src/storage/segment/index.js';
import type { SegmentContent, SegmentReader } from '../src/storage/segment/index.js';
import { openMappedSegment } from '../src/storage/segment/open-segment.js';
import { S, SECTION_NAMES } from '../src/storage/segment/layout.js';
import {
  directoryOf, emptyContent, expectCorruption, heapMapping, makeRow, mixedContent, reseal, rng, sectionOf, tempDir, toVersion1,
} from './segment-fixtures.js';
import type { DirEntry } from './segment-fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let n = 0;
beforeAll(() => { tmp = tempDir(); });
afterAll(() => tmp.cleanup());

/** Writes `c` with 2^shift-byte blocks and returns the file image. */
async function image(c: SegmentContent, shift?: number): Promise<Uint8Array> {
  const info = await writeSegment(join(tmp.dir, 'spaces', 'notes', `seg-${String(++n).padStart(6, '0')}`), c, shift === undefined ? {} : { blockShift: shift });
  return new Uint8Array(readFileSync(info.path));
}

const open = (b: Uint8Array): SegmentReader => openMappedSegment(join(tmp.dir, 'img.seg'), heapMapping(b));
const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** Every value a reader holds, in a comparable form. */
function dump(r: SegmentReader): unknown {
  const rows = Array.from({ length: r.rowCount }, (_, i) => ({ ...r.record(i), embedding: bits(r.record(i).embedding) }));
  return { rows, du: r.decayUpdates(), tombs: r.tombstones(), assoc: [...r.associations()], at: r.assocTombstones() };
}

function flipped(src: Uint8Array, at: number): Uint8Array {
  const b = src.slice();
  b[at] = (b[at] as number) ^ 0x20;
  return b;
}

describe('segment v2 block checksums', () => {
  it('round trip at sizes that straddle block boundaries: rows crossing blocks, empty sections, exactly one block', async () => {
    const r0 = rng(5);
    const cases: [string, SegmentContent, number][] = [
      ['empty segment', emptyContent(), 6],
      ['one row, 64-byte blocks', emptyContent({ dim: 3, rows: [makeRow(r0, 3, 'a')] }), 6],
      // 8 rows: every f64 column is exactly one 64-byte block, the kind column 8 bytes of one block.
      ['f64 columns exactly one block', emptyContent({ dim: 2, rows: Array.from({ length: 8 }, (_, i) => makeRow(r0, 2, `r${i}`)) }), 6],
      // dim 3 → 12-byte embedding rows: rows cross 64-byte block boundaries.
      ['12-byte rows across 64-byte blocks', emptyContent({ dim: 3, rows: Array.from({ length: 57 }, (_, i) => makeRow(r0, 3, `x${i}`)) }), 6],
      ['only tombstones and association tombstones', emptyContent({ tombstones: ['t1', 't2'], assocTombstones: [{ from: 'a', to: 'b', kind: null }] }), 6],
      ['mixed content, 256-byte blocks', mixedContent(3, 300, 5), 8],
      ['mixed content, default 64 KiB blocks', mixedContent(4, 300, 64), 16],
    ];
    for (const [name, c, shift] of cases) {
      const img = await image(c, shift);
      const a = open(img);
      const b = open(img);
      try {
        expect(a.version, name).toBe(2);
        // a: rows read one by one in reverse (lazy verification); b: everything verified first.
        const rows = Array.from({ length: a.rowCount }, (_, i) => a.rowCount - 1 - i).map((i) => ({ ...a.record(i), embedding: bits(a.record(i).embedding) })).reverse();
        b.verifyAll();
        expect({ rows, du: a.decayUpdates(), tombs: a.tombstones(), assoc: [...a.associations()], at: a.assocTombstones() }, name).toEqual(dump(b));
        expect(bits(b.embeddings()), name).toEqual(rows.flatMap((x) => x.embedding));
      } finally {
        a.close();
        b.close();
      }
    }
  });

  it('the block table has one CRC per block of every other section, in directory order', async () => {
    const img = await image(mixedContent(6, 200, 7), 7);
    const entries = directoryOf(img);
    const table = sectionOf(img, S.blockTable);
    expect(entries[entries.length - 1]?.id).toBe(S.blockTable);
    const blocks = entries.filter((e) => e.id !== S.blockTable).reduce((t, e) => t + Math.ceil(Math.ceil(e.length / 64) * 64 / 128), 0);
    expect(table.length).toBe(4 * blocks);
    expect(new DataView(img.buffer).getUint32(104, true)).toBe(7);
  });

  describe('a flipped byte in a lazily verified section', () => {
    let pristine: Uint8Array;
    let good: SegmentReader;
    beforeAll(async () => {
      pristine = await image(mixedContent(8, 1200, 6), 8);
      good = open(pristine);
      good.verifyAll();
    });
    afterAll(() => good.close());

    /** Reads of each lazily verified section, per entry: [entry count, read entry i, pristine value]. */
    const readers: [number[], (r: SegmentReader) => number, (r: SegmentReader, i: number) => unknown][] = [
      [[S.contentOff, S.contentBytes], (r) => r.rowCount, (r, i) => r.content(i)],
      [[S.embedding], (r) => r.rowCount, (r, i) => bits(r.embedding(i))],
      [[S.created], (r) => r.rowCount, (r, i) => r.created(i)],
      [[S.recorded], (r) => r.rowCount, (r, i) => r.recorded(i)],
      [[S.kind], (r) => r.rowCount, (r, i) => r.kind(i)],
      [[S.confLo, S.confHi], (r) => r.rowCount, (r, i) => r.confidence(i)],
      [[S.metaOff, S.metaBytes], (r) => r.rowCount, (r, i) => r.meta(i)],
      [[16, 17, 18, 19, 20, 21, 22], (r) => r.rowCount, (r, i) => r.decay(i)],
      [[48, 49, 50, 51, 52, 53, 54], (r) => r.decayUpdateCount, (r, i) => r.decayUpdate(r.decayUpdateIds()[i] as string)],
    ];

    for (const [ids, count, read] of readers) {
      for (const id of ids) {
        it(`section '${SECTION_NAMES.get(id)}' (${id}): open succeeds, reads touching the block fail, other blocks read`, () => {
          const e = sectionOf(pristine, id);
          expect(e.length).toBeGreaterThan(256); // several 256-byte blocks
          const at = e.offset + Math.floor(e.length * 0.6);
          const block = Math.floor((at - e.offset) / 256);
          const r = open(flipped(pristine, at));
          try {
            let bad = 0;
            let ok = 0;
            for (let i = 0; i < count(r); i++) {
              let err: unknown;
              let value: unknown;
              try { value = read(r, i); } catch (x) { err = x; }
              if (err === undefined) {
                expect(value).toEqual(read(good, i));
                ok++;
                continue;
              }
              const m = expectCorruption(() => { throw err; }, new RegExp(`section '${SECTION_NAMES.get(id)}' \\(id ${id}\\): block ${block} \\(file bytes`));
              expect(m.details).toMatchObject({ section: SECTION_NAMES.get(id), block });
              expectCorruption(() => read(r, i)); // never marked verified: fails again
              bad++;
            }
            expect(bad).toBeGreaterThan(0);
            expect(ok).toBeGreaterThan(0);
            expectCorruption(() => r.verifyAll(), new RegExp(`block ${block} `));
          } finally {
            r.close();
          }
        });
      }
    }

    it('association sections: open succeeds; the first association access is CORRUPTION; rows still read', () => {
      for (const id of [S.toBytes, S.weight, S.aRecorded, S.groupStart, S.kindBytes, S.atToBytes]) {
        const e = sectionOf(pristine, id);
        const r = open(flipped(pristine, e.offset + Math.floor(e.length / 2)));
        try {
          expect(r.content(0)).toBe(good.content(0));
          expectCorruption(() => r.associationsFrom('m00003'), new RegExp(`section '${SECTION_NAMES.get(id)}'`));
          expectCorruption(() => [...r.associations()]);
          expectCorruption(() => r.assocTombstones());
        } finally {
          r.close();
        }
      }
    });

    it('bulk accessors verify their whole section before returning it', () => {
      const cases: [number, (r: SegmentReader) => unknown][] = [
        [S.embedding, (r) => r.embeddings()], [S.created, (r) => r.createdColumn()], [S.recorded, (r) => r.recordedColumn()],
        [S.kind, (r) => r.kindColumn()], [S.confLo, (r) => r.confidenceLoColumn()], [S.confHi, (r) => r.confidenceHiColumn()],
        [S.rowDecay + 4, (r) => r.decayColumns()],
      ];
      for (const [id, call] of cases) {
        const e = sectionOf(pristine, id);
        const r = open(flipped(pristine, e.offset + e.length - 1));
        try {
          expectCorruption(() => call(r), new RegExp(`section '${SECTION_NAMES.get(id)}'`));
        } finally {
          r.close();
        }
      }
    });

    it('a bad byte in the zero padding of a section is caught by the read of the last row', () => {
      const c = sectionOf(pristine, S.contentBytes);
      expect(c.length % 64).not.toBe(0);
      const r = open(flipped(pristine, c.offset + c.length));
      try {
        expect(r.content(0)).toBe(good.content(0));
        expectCorruption(() => r.content(r.rowCount - 1), /content bytes/);
      } finally {
        r.close();
      }
    });

    it('merge verifies every input whole before merging', () => {
      const e = sectionOf(pristine, S.embedding);
      const r = open(flipped(pristine, e.offset + 5));
      try {
        expectCorruption(() => mergeSegments([r], { bottom: false, segmentId: 9, space: 'notes', dim: 6 }), /section 'embedding' \(id 5\): block 0/);
      } finally {
        r.close();
      }
    });
  });

  it('a damaged block table, or a directory CRC that does not match its run, fails the open', async () => {
    const img = await image(mixedContent(10, 100, 4), 6);
    const t = sectionOf(img, S.blockTable);
    for (const at of [t.offset, t.offset + Math.floor(t.length / 2), t.offset + t.length - 1]) {
      expectCorruption(() => open(flipped(img, at)), /block table/);
    }
    // The table re-sealed (its own CRC, directory and trailer valid) but one block CRC changed:
    // the section's directory CRC (the CRC of its run) no longer matches.
    const b = flipped(img, t.offset + 8);
    const v = new DataView(b.buffer);
    const dirEnd = b.length - 64;
    const entries = directoryOf(b);
    const te = entries.find((x) => x.id === S.blockTable) as DirEntry;
    const { crc32c } = await import('@mnemo/native');
    v.setUint32(te.at + 24, crc32c(b.subarray(t.offset, Math.ceil((t.offset + t.length) / 64) * 64)), true);
    const dirOffset = Number(v.getBigUint64(dirEnd, true));
    v.setUint32(dirEnd + 20, crc32c(b.subarray(dirOffset, dirEnd)), true);
    v.setUint32(dirEnd + 60, crc32c(b.subarray(dirEnd, dirEnd + 60)), true);
    expectCorruption(() => open(b), /checksum of its block checksums differs from the directory/);
  });

  it('the id-order check at open: sorted ids of every length pass; any swapped adjacent pair of equal length fails', async () => {
    const r = rng(21);
    const ids = new Set<string>();
    // Shared prefixes and lengths 1..13, so the 4-byte chunks, the overlapping last chunk and the
    // byte loop of the order check all decide some pairs; 'zz' vs 'zzz' style prefix pairs too.
    while (ids.size < 600) {
      const len = 1 + Math.floor(r() * 13);
      let s = r() < 0.5 ? 'pre' : '';
      while (s.length < len) s += 'abcz'[Math.floor(r() * 4)];
      ids.add(s.slice(0, len));
    }
    const img = await image(emptyContent({ dim: 1, rows: [...ids].map((id) => makeRow(r, 1, id)) }), 8);
    const ok = open(img);
    const sorted = ok.ids();
    ok.close();
    const e = sectionOf(img, S.rowIdBytes);
    let off = 0;
    let swaps = 0;
    for (let i = 0; i + 1 < sorted.length; i++) {
      const a = sorted[i] as string;
      const b = sorted[i + 1] as string;
      if (a.length === b.length) {
        const bad = img.slice();
        bad.set(Buffer.from(b), e.offset + off);
        bad.set(Buffer.from(a), e.offset + off + a.length);
        expectCorruption(() => open(reseal(bad)), new RegExp(`row id bytes.*entry ${i + 1} is not in ascending order`));
        swaps++;
      }
      off += a.length;
    }
    expect(swaps).toBeGreaterThan(40);
  });

  it('writeSegment refuses a block shift outside 6..24', async () => {
    for (const shift of [5, 25, 1.5]) {
      await expect(image(emptyContent(), shift)).rejects.toSatisfy((e: unknown) => e instanceof MnemoError && e.code === 'INVALID_ARGUMENT');
    }
  });

  describe('version 1 files', () => {
    it('open, read back the same values, and are verified whole at open', async () => {
      const v2 = await image(mixedContent(12, 150, 5), 8);
      const v1 = toVersion1(v2);
      const a = open(v1);
      const b = open(v2);
      try {
        expect(a.version).toBe(1);
        expect(dump(a)).toEqual(dump(b));
        expect(bits(a.embeddings())).toEqual(bits(b.embeddings()));
      } finally {
        a.close();
        b.close();
      }
      // Any damaged byte of a lazily verified section (as v2 calls them) fails a v1 open, as before.
      for (const id of [S.embedding, S.contentBytes, S.created, S.rowDecay + 4, S.weight]) {
        const e = sectionOf(v1, id);
        expectCorruption(() => open(flipped(v1, e.offset + Math.floor(e.length / 3))), new RegExp(`section '${SECTION_NAMES.get(id)}'.*checksum mismatch`));
      }
      // v1 has no block table: a directory naming one is corruption.
      expect(directoryOf(v1).some((e) => e.id === S.blockTable)).toBe(false);
      // Compaction rewrites a v1 input as v2 with the same reading.
      const src = open(v1);
      try {
        const merged = mergeSegments([src], { bottom: false, segmentId: 44, space: 'notes', dim: 5 });
        const out = open(await image(merged));
        try {
          expect(out.version).toBe(2);
          expect(dump(out)).toEqual(dump(src));
        } finally {
          out.close();
        }
      } finally {
        src.close();
      }
    });
  });
});
