/**
 * Segment format round trips (docs/segment_format.md): one named test per format edge case —
 * empty, one row, unicode, dims, every column exact, decay windows, CSR associations, decay
 * updates, tombstones, 64-byte alignment, header fields, writer validation and durability steps.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MnemoError, nativeInfo } from '@mnemo/native';
import { openSegment, writeSegment } from '../src/storage/segment/index.js';
import { nodeEnv } from '../src/storage/env/index.js';
import type { Env, EnvFile } from '../src/storage/env/index.js';
import type { SegmentContent, SegmentReader, SegmentRow } from '../src/storage/segment/index.js';
import { compareIds } from '../src/storage/segment/index.js';
import { decayState, emptyContent, makeAssoc, makeRow, mixedContent, rng, tempDir } from './segment-fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

async function roundTrip(c: SegmentContent): Promise<SegmentReader> {
  const info = await writeSegment(join(tmp.dir, 'spaces', c.space, 'seg-000001'), c);
  return openSegment(info.path, { bytes: info.bytes, checksum: info.checksum });
}

const bits = (f: Float32Array): number[] => Array.from(new Uint32Array(f.buffer, f.byteOffset, f.length));

/** Asserts that row `i` of `r` equals `want` exactly (f32 bit-exact, f64 exact, decay and meta deep). */
function expectRow(r: SegmentReader, i: number, want: SegmentRow): void {
  expect(r.id(i)).toBe(want.id);
  expect(r.content(i)).toBe(want.content);
  expect(bits(r.embedding(i))).toEqual(bits(want.embedding));
  expect(r.kind(i)).toBe(want.kind);
  expect(Object.is(r.created(i), want.created)).toBe(true);
  expect(Object.is(r.recorded(i), want.recorded)).toBe(true);
  expect(r.confidence(i)).toEqual(want.confidence);
  expect(r.decay(i)).toEqual(want.decay);
  expect(r.meta(i)).toEqual(want.meta ?? null);
  const rec = r.record(i);
  expect(rec.space).toBe(r.space);
  expect(bits(rec.embedding)).toEqual(bits(want.embedding));
}

function sortedRows(c: SegmentContent): SegmentRow[] {
  return c.rows.slice().sort((a, b) => compareIds(a.id, b.id));
}

describe('segment round trip', () => {
  it('backend in use matches MNEMO_NATIVE', () => {
    // Fails (by design, never skipped) when the addon is not built: the native path must be tested.
    expect(nativeInfo().backend, nativeInfo().reason).toBe(process.env.MNEMO_NATIVE === '0' ? 'js' : 'native');
  });

  it('empty segment', async () => {
    const r = await roundTrip(emptyContent());
    expect([r.rowCount, r.decayUpdateCount, r.tombstoneCount, r.associationCount]).toEqual([0, 0, 0, 0]);
    expect(r.embeddings().length).toBe(0);
    expect(r.findRow('x')).toBe(-1);
    expect(r.tombstones()).toEqual([]);
    expect([...r.associations()]).toEqual([]);
    expect(r.associationsFrom('x')).toEqual([]);
    expect(r.decayUpdate('x')).toBeUndefined();
    r.close();
  });

  it('header fields', async () => {
    const r = await roundTrip(emptyContent({ space: 'sp€ce', segmentId: 2 ** 40 + 3, minLsn: 5, maxLsn: 2 ** 52, created: 1234.5, dim: 17 }));
    expect([r.space, r.segmentId, r.minLsn, r.maxLsn, r.createdAt, r.dim]).toEqual(['sp€ce', 2 ** 40 + 3, 5, 2 ** 52, 1234.5, 17]);
    expect(r.bytes % 64).toBe(0);
    r.close();
  });

  it('one row', async () => {
    const row = makeRow(rng(1), 4, 'only');
    const r = await roundTrip(emptyContent({ rows: [row] }));
    expect(r.rowCount).toBe(1);
    expectRow(r, 0, row);
    expect(r.findRow('only')).toBe(0);
    expect(r.findRow('onl')).toBe(-1);
    expect(r.findRow('onlyy')).toBe(-1);
    r.close();
  });

  it('unicode ids and content, empty content, sorted in UTF-8 byte order', async () => {
    const r0 = rng(2);
    const ids = ['b', 'a', '', 'é', 'z\u{1F600}', 'z\uFFFD', '日本', 'a\u0000b', 'A', 'ａ'];
    const rows = ids.map((id, i) => makeRow(r0, 3, id, { content: i % 2 ? '' : `内容 ${id} \u{1F9E0}` }));
    const r = await roundTrip(emptyContent({ dim: 3, rows }));
    const want = ids.slice().sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(r.ids()).toEqual(want);
    for (const row of rows) expectRow(r, r.findRow(row.id), row);
    r.close();
  });

  it('meta of every type the writer can pack reads back exactly (typed arrays were element-truncated; the bounds check accepts all)', async () => {
    const metas: unknown[] = [
      0, -1, 127, -32, 128, 255, 65_536, -129, -40_000, 2 ** 31, -(2 ** 31) - 1, 2 ** 40, 1.5, -0.25, Number.MAX_VALUE, true, false, '',
      'é', 'x'.repeat(31), 'x'.repeat(32), 'ü'.repeat(200), 'y'.repeat(70_000), [], [[[]]], Array.from({ length: 16 }, (_, i) => i),
      Array.from({ length: 70_000 }, (_, i) => i % 3), {}, Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
      new Map<string, unknown>([['a', 1], ['b', [2]]]), new Set([1, 'two']), new Date(1_700_000_000_123), new Date(-5e12), new Uint8Array(300),
      new Uint8Array(70_000), new Float32Array([1.5, -2]), new Int16Array([3, -4]), { u: undefined, n: null }, 2n ** 60n,
      new Error('boom'), /a+b/gi, { deep: { er: { list: [{ x: 1 }, 'y', null] } } },
    ];
    const rows = metas.map((meta, i) => makeRow(rng(i), 4, `m${String(i).padStart(3, '0')}`, { meta }));
    const r = await roundTrip(emptyContent({ rows }));
    for (let i = 0; i < metas.length; i++) {
      const got = r.meta(i);
      const want = metas[i];
      if (want instanceof Map) expect(got).toEqual(Object.fromEntries(want));
      else if (want instanceof Error) expect([(got as Error).name, (got as Error).message]).toEqual(['Error', 'boom']);
      else expect(got).toEqual(want); // typed arrays keep their type and exact bits, Sets stay Sets
      if (ArrayBuffer.isView(want)) expect(Object.getPrototypeOf(got)).toBe(Object.getPrototypeOf(want));
    }
    r.close();
  });

  it('text columns spanning many 1 MiB write chunks, a string larger than a chunk, multi-byte characters at chunk edges', async () => {
    // ~20 MiB of content: 3-byte and 4-byte characters land across every chunk boundary; one
    // 9 MiB string is larger than the writer's scratch buffer; empty strings in between.
    const r = rng(77);
    const rows = Array.from({ length: 2000 }, (_, i) => {
      const unit = ['a', 'é', '€', '𝄞'][i % 4] as string;
      const content = i === 1000 ? '€'.repeat(3 * 2 ** 20) : i % 7 === 0 ? '' : unit.repeat(1000 + Math.floor(r() * 9000));
      return makeRow(r, 4, `r${String(i).padStart(4, '0')}${i % 5 === 0 ? 'ü' : ''}`, { content });
    });
    const c = emptyContent({ rows });
    const rd = await roundTrip(c);
    const byId = new Map(rows.map((row) => [row.id, row]));
    let bad = 0;
    for (let i = 0; i < rd.rowCount; i++) if (rd.content(i) !== byId.get(rd.id(i))?.content) bad++;
    expect(bad).toBe(0);
    expect(rd.content(rd.findRow('r1000ü'))).toHaveLength(3 * 2 ** 20);
    rd.close();
  });

  it('large meta', async () => {
    const big = { blob: 'x'.repeat(300_000), arr: Array.from({ length: 5000 }, (_, i) => i * 1.5), bin: new Uint8Array([1, 2, 3]) };
    const r = await roundTrip(emptyContent({ rows: [makeRow(rng(3), 4, 'm', { meta: big }), makeRow(rng(4), 4, 'n', { meta: undefined })] }));
    const got = r.meta(0) as typeof big;
    expect(got.blob === big.blob).toBe(true);
    expect(got.arr).toEqual(big.arr);
    expect(Array.from(got.bin)).toEqual([1, 2, 3]);
    expect(got.bin).toBeInstanceOf(Uint8Array);
    expect(r.meta(1)).toBeNull();
    r.close();
  });

  for (const dim of [1, 3, 17, 128, 4096]) {
    it(`dim ${dim}: every column round-trips exactly`, async () => {
      const r0 = rng(dim);
      const n = dim === 4096 ? 20 : 200;
      const rows = Array.from({ length: n }, (_, i) => makeRow(r0, dim, `id-${(i * 7919) % n}`));
      const c = emptyContent({ dim, rows });
      const r = await roundTrip(c);
      expect(r.rowCount).toBe(n);
      sortedRows(c).forEach((row, i) => expectRow(r, i, row));
      expect(bits(r.embeddings())).toEqual(sortedRows(c).flatMap((x) => bits(x.embedding)));
      expect(Array.from(r.createdColumn())).toEqual(sortedRows(c).map((x) => x.created));
      expect(Array.from(r.kindColumn())).toEqual(sortedRows(c).map((x) => (x.kind === 'semantic' ? 1 : 0)));
      r.close();
    });
  }

  it('special float values in embeddings are bit-exact (NaN payload, -0, Infinity, subnormal)', async () => {
    const e = new Float32Array(6);
    new Uint32Array(e.buffer).set([0x7fc00001, 0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0x3f800000]);
    const r = await roundTrip(emptyContent({ dim: 6, rows: [makeRow(rng(5), 6, 'f', { embedding: e })] }));
    expect(bits(r.embedding(0))).toEqual(bits(e));
    r.close();
  });

  it('decay state with empty, short and full recent windows', async () => {
    const r0 = rng(6);
    const rows = [0, 1, 3, 8].map((w) => makeRow(r0, 2, `w${w}`, { decay: decayState(r0, w) }));
    const r = await roundTrip(emptyContent({ dim: 2, rows }));
    for (const row of rows) expect(r.decay(r.findRow(row.id))).toEqual(row.decay);
    expect(r.decayColumns().recentLen[r.findRow('w8')]).toBe(8);
    r.close();
  });

  it('confidence and times are stored as f64 (0.9 stays 0.9)', async () => {
    const r = await roundTrip(emptyContent({ rows: [makeRow(rng(7), 4, 'c', { confidence: { lo: 0.9, hi: 0.95 }, created: 0.1 + 0.2 })] }));
    expect(r.confidence(0)).toEqual({ lo: 0.9, hi: 0.95 });
    expect(r.created(0)).toBe(0.1 + 0.2);
    r.close();
  });

  it('associations: CSR lookup by from, full iteration in (from, to, kind) order', async () => {
    const r0 = rng(8);
    const assocs = [
      makeAssoc(r0, 'b', 'c', 'next'), makeAssoc(r0, 'a', 'z', 'assoc'), makeAssoc(r0, 'b', 'a', 'assoc'),
      makeAssoc(r0, 'b', 'c', 'assoc'), makeAssoc(r0, 'é', 'a', 'derived_from'), makeAssoc(r0, 'a', 'b', 'next'),
    ];
    const r = await roundTrip(emptyContent({ associations: assocs }));
    const key = (a: { from: string; to: string; kind: string }): string => `${a.from}|${a.to}|${a.kind}`;
    expect([...r.associations()].map(key)).toEqual(['a|b|next', 'a|z|assoc', 'b|a|assoc', 'b|c|assoc', 'b|c|next', 'é|a|derived_from']);
    expect(r.associationsFrom('b').map(key)).toEqual(['b|a|assoc', 'b|c|assoc', 'b|c|next']);
    expect(r.associationsFrom('c')).toEqual([]);
    expect(r.assocSources()).toEqual(['a', 'b', 'é']);
    for (const a of assocs) expect(r.associationsFrom(a.from).find((x) => key(x) === key(a))).toEqual(a);
    r.close();
  });

  it('decay updates, tombstones and association tombstones', async () => {
    const c = mixedContent(9, 50, 8);
    const r = await roundTrip(c);
    for (const u of c.decayUpdates) expect(r.decayUpdate(u.id)).toEqual(u.decay);
    expect(r.decayUpdate('m00001')).toBeUndefined();
    expect(r.decayUpdateIds()).toEqual(c.decayUpdates.map((u) => u.id).sort(compareIds));
    expect(r.tombstones()).toEqual(c.tombstones.slice().sort(compareIds));
    for (const t of c.tombstones) expect(r.isTombstoned(t)).toBe(true);
    expect(r.isTombstoned('m00001')).toBe(false);
    expect(r.assocTombstones()).toEqual([{ from: 'a', to: 'b', kind: null }, { from: 'a', to: 'b', kind: 'next' }, { from: 'x', to: 'y', kind: 'gone-kind' }]);
    expect(r.hasAssocTombstone('a', 'b', 'anything')).toBe(true);
    expect(r.hasAssocTombstone('x', 'y', 'gone-kind')).toBe(true);
    expect(r.hasAssocTombstone('x', 'y', 'next')).toBe(false);
    expect(r.hasAssocTombstone('x', 'z', 'gone-kind')).toBe(false);
    r.close();
  });

  it('a row and a tombstone may share an id (forget, then remember again)', async () => {
    const r = await roundTrip(emptyContent({ rows: [makeRow(rng(10), 4, 'x')], tombstones: ['x'] }));
    expect(r.findRow('x')).toBe(0);
    expect(r.isTombstoned('x')).toBe(true);
    r.close();
  });

  it('alignment: every column view is 64-byte aligned relative to the mapping', async () => {
    const r = await roundTrip(mixedContent(11, 33, 5));
    for (const v of [r.embeddings(), r.createdColumn(), r.recordedColumn(), r.kindColumn(), r.confidenceLoColumn(), r.confidenceHiColumn()]) {
      expect(v.byteOffset % 64).toBe(0);
    }
    expect(r.embedding(1).byteOffset % 4).toBe(0);
    r.close();
  });

  it('writer: temp file is gone, file is 0600, returned info matches the file', async () => {
    const c = mixedContent(12, 10, 4);
    const final = join(tmp.dir, 'spaces', 'notes', 'seg-000009');
    const info = await writeSegment(final, c);
    expect(info.path).toBe(join(final, 'data.seg'));
    expect(info.rows).toBe(10);
    expect(statSync(info.path).size).toBe(info.bytes);
    expect(statSync(info.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(tmp.dir, 'spaces', 'notes'))).toEqual(['seg-000009']);
    const r = openSegment(info.path);
    expect(r.checksum).toBe(info.checksum);
    r.close();
  });

  it('writer rejects invalid content with typed errors', async () => {
    const r0 = rng(13);
    const dir = join(tmp.dir, 'spaces', 'notes', 'seg-000002');
    const code = async (c: SegmentContent): Promise<string> => {
      try { await writeSegment(dir, c); return 'ok'; } catch (e) { return (e as MnemoError).code; }
    };
    expect(await code(emptyContent({ rows: [makeRow(r0, 4, 'a'), makeRow(r0, 4, 'a')] }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ tombstones: ['t', 't'] }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ rows: [makeRow(r0, 3, 'a')] }))).toBe('DIMENSION_MISMATCH');
    expect(await code(emptyContent({ rows: [makeRow(r0, 4, 'a')], decayUpdates: [{ id: 'a', decay: decayState(r0, 1) }] }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ tombstones: ['a'], decayUpdates: [{ id: 'a', decay: decayState(r0, 1) }] }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ associations: [makeAssoc(r0, 'a', 'b', 'k'), makeAssoc(r0, 'a', 'b', 'k')] }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ rows: [makeRow(r0, 4, 'a', { decay: decayState(r0, 9) })] }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ rows: [makeRow(r0, 4, 'a', { created: Number.NaN })] }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ minLsn: 5, maxLsn: 4 }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ dim: 4097 }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ space: '' }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ rows: [makeRow(r0, 4, 'a\uD800')] }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ rows: [makeRow(r0, 4, 'a', { content: 'x\uDC00' })] }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ rows: [makeRow(r0, 4, 'a', { confidence: { lo: Number.POSITIVE_INFINITY, hi: 1 } })] }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ rows: [makeRow(r0, 4, 'a', { decay: { ...decayState(r0, 2), count: -1 } })] }))).toBe('INVALID_ARGUMENT');
    expect(await code(emptyContent({ associations: [{ ...makeAssoc(r0, 'a', 'b', 'k'), weight: Number.NaN }] }))).toBe('INVALID_ARGUMENT');
  });

  /** An Env delegating to nodeEnv, with some methods replaced. */
  function envWith(over: Partial<Env>): Env {
    return Object.assign(Object.create(nodeEnv) as Env, over);
  }

  /** Wraps the EnvFile of `open` so `append`/`sync` can be intercepted. */
  function wrapFile(f: EnvFile, hooks: { append?: (b: Uint8Array) => Promise<void>; sync?: () => Promise<void> }): EnvFile {
    return Object.assign(Object.create(f) as EnvFile, {
      append: hooks.append ?? ((b: Uint8Array) => f.append(b)),
      sync: hooks.sync ?? (() => f.sync()),
      close: () => f.close(),
    });
  }

  it('writer: an I/O failure mid-file is IO_ERROR and leaves no temp file', async () => {
    const removed: string[] = [];
    let appends = 0;
    const env = envWith({
      open: async (p, mode) => {
        const f = await nodeEnv.open(p, mode);
        return wrapFile(f, { append: async (b) => { if (++appends > 2) throw new MnemoError('IO_ERROR', 'injected ENOSPC'); await f.append(b); } });
      },
      unlink: async (p) => { removed.push(p); await nodeEnv.unlink(p); },
    });
    const dir = join(tmp.dir, 'spaces', 'notes', 'seg-000003');
    await expect(writeSegment(dir, mixedContent(15, 30_000, 64), { env })).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(appends).toBe(3);
    expect(removed.length).toBe(1);
    expect(readdirSync(join(tmp.dir, 'spaces', 'notes')).filter((f) => f.startsWith('.tmp'))).toEqual([]);
    expect(existsSync(dir)).toBe(false); // the segment directory is made only just before the rename
  });

  it('writer: an fsync failure is fatal (IO_ERROR, nothing renamed into place)', async () => {
    const env = envWith({
      open: async (p, mode) => wrapFile(await nodeEnv.open(p, mode), { sync: async () => { throw new MnemoError('IO_ERROR', 'injected EIO on fsync'); } }),
    });
    const dir = join(tmp.dir, 'spaces', 'notes', 'seg-000005');
    await expect(writeSegment(dir, mixedContent(17, 5, 4), { env })).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(join(tmp.dir, 'spaces', 'notes')).filter((f) => f.startsWith('.tmp'))).toEqual([]);
  });

  it('writer: fsync of the file and both directories happens before success', async () => {
    const log: string[] = [];
    const env = envWith({
      open: async (p, mode) => {
        const f = await nodeEnv.open(p, mode);
        return wrapFile(f, { sync: async () => { log.push('sync file'); await f.sync(); } });
      },
      rename: async (a, b) => { log.push('rename'); await nodeEnv.rename(a, b); },
      fsyncDir: async (p) => { log.push(`sync dir ${p.endsWith('seg-000004') ? 'segment' : 'space'}`); await nodeEnv.fsyncDir(p); },
    });
    mkdirSync(join(tmp.dir, 'spaces', 'notes'), { recursive: true });
    await writeSegment(join(tmp.dir, 'spaces', 'notes', 'seg-000004'), mixedContent(16, 5, 4), { env });
    expect(log).toEqual(['sync file', 'rename', 'sync dir segment', 'sync dir space']);
  });

  it('writer: directories it creates (a new space, spaces/) get their parents synced', async () => {
    const synced: string[] = [];
    const env = envWith({ fsyncDir: async (p) => { synced.push(relative(tmp.dir, p) || '.'); await nodeEnv.fsyncDir(p); } });
    await writeSegment(join(tmp.dir, 'spaces', 'fresh', 'seg-000001'), mixedContent(18, 5, 4), { env });
    expect(synced).toEqual([join('spaces', 'fresh', 'seg-000001'), join('spaces', 'fresh'), 'spaces', '.']);
  });

  it('writer does not modify the caller\'s arrays', async () => {
    const r0 = rng(14);
    const rows = [makeRow(r0, 4, 'b'), makeRow(r0, 4, 'a')];
    await roundTrip(emptyContent({ rows })).then((r) => r.close());
    expect(rows.map((x) => x.id)).toEqual(['b', 'a']);
  });
});
