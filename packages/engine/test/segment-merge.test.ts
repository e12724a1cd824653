/**
 * Compaction merge rules (docs/segment_format.md §1): named cases (newest wins, tombstones,
 * decay folding, bottom vs not, association shadowing) and fast-check properties: replacing any
 * run of a random segment stack by its merge leaves the stack's reading unchanged, judged by a
 * plain in-memory model — for mergeContents and, through real files, for mergeSegments.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Association, DecayState } from '../src/model.js';
import { mergeContents, mergeSegments, normalizeContent, openSegment, writeSegment } from '../src/storage/segment/index.js';
import type { SegmentContent, SegmentReader, SegmentRow } from '../src/storage/segment/index.js';
import { decayState, emptyContent, makeAssoc, makeRow, rng, tempDir } from './segment-fixtures.js';

const IDS = ['a', 'b', 'c', 'é', '\u{1F600}x', 'ｚ'];
const KINDS = ['k1', 'k2'];
const ASSOC_KEYS = IDS.flatMap((f) => IDS.flatMap((t) => KINDS.map((k) => [f, t, k] as const)));
const AT_KEYS = IDS.flatMap((f) => IDS.flatMap((t) => [...KINDS, null].map((k) => [f, t, k] as const)));

// ---- the model: the reading of a stack of segments (newest first) -------------------------------

interface Reading { memories: Record<string, unknown>; assocs: Record<string, unknown> }

const plainRow = (r: SegmentRow, decay: DecayState): unknown => ({ ...r, space: undefined, embedding: Array.from(r.embedding), decay, meta: r.meta ?? null });

function resolve(stack: readonly SegmentContent[]): Reading {
  const mem = new Map<string, { row: SegmentRow; decay: DecayState }>();
  const assocs = new Map<string, Association>();
  const akey = (a: { from: string; to: string; kind: string }): string => JSON.stringify([a.from, a.to, a.kind]);
  for (let s = stack.length - 1; s >= 0; s--) {
    const seg = stack[s] as SegmentContent;
    for (const t of seg.tombstones) {
      mem.delete(t);
      for (const [k, a] of assocs) if (a.from === t || a.to === t) assocs.delete(k);
    }
    for (const t of seg.assocTombstones) {
      for (const [k, a] of assocs) if (a.from === t.from && a.to === t.to && (t.kind === null || t.kind === a.kind)) assocs.delete(k);
    }
    for (const r of seg.rows) mem.set(r.id, { row: r, decay: r.decay });
    for (const u of seg.decayUpdates) { const m = mem.get(u.id); if (m) m.decay = u.decay; }
    for (const a of seg.associations) assocs.set(akey(a), a);
  }
  const memories: Record<string, unknown> = {};
  for (const id of [...mem.keys()].sort()) { const m = mem.get(id)!; memories[id] = plainRow(m.row, m.decay); }
  const out: Record<string, unknown> = {};
  for (const k of [...assocs.keys()].sort()) out[k] = assocs.get(k);
  return { memories, assocs: out };
}

// ---- generators --------------------------------------------------------------------------------

interface SegSpec { rows: string[]; tombs: string[]; dus: string[]; assocs: (readonly [string, string, string])[]; atombs: (readonly [string, string, string | null])[]; salt: number }

const segSpec: fc.Arbitrary<SegSpec> = fc.record({
  rows: fc.subarray(IDS), tombs: fc.subarray(IDS, { maxLength: 3 }), dus: fc.subarray(IDS, { maxLength: 3 }),
  assocs: fc.subarray(ASSOC_KEYS, { maxLength: 8 }), atombs: fc.subarray(AT_KEYS, { maxLength: 4 }),
  salt: fc.integer({ min: 0, max: 1_000_000 }),
});

function buildSegment(spec: SegSpec, s: number): SegmentContent {
  const r = rng(spec.salt);
  const taken = new Set([...spec.rows, ...spec.tombs]);
  return emptyContent({
    dim: 2, segmentId: 100 - s, minLsn: 1000 - 10 * s, maxLsn: 1005 - 10 * s, created: 5000 - s,
    rows: spec.rows.map((id) => makeRow(r, 2, id, { content: `${id}@${spec.salt}` })),
    tombstones: spec.tombs,
    decayUpdates: spec.dus.filter((id) => !taken.has(id)).map((id) => ({ id, decay: decayState(r, Math.floor(r() * 9)) })),
    associations: spec.assocs.map(([f, t, k]) => makeAssoc(r, f, t, k)),
    assocTombstones: spec.atombs.map(([from, to, kind]) => ({ from, to, kind })),
  });
}

const stackArb = fc.tuple(fc.array(segSpec, { minLength: 1, maxLength: 5 }), fc.nat(), fc.nat()).map(([specs, x, y]) => {
  const stack = specs.map(buildSegment);
  const i = x % stack.length;
  const j = i + 1 + (y % (stack.length - i));
  return { stack, i, j };
});

function checkMerged(stack: SegmentContent[], i: number, j: number, merged: SegmentContent): void {
  const bottom = j === stack.length;
  normalizeContent(merged); // the merge output is valid, writable content
  if (bottom) expect([merged.tombstones.length, merged.assocTombstones.length, merged.decayUpdates.length]).toEqual([0, 0, 0]);
  const replaced = [...stack.slice(0, i), merged, ...stack.slice(j)];
  expect(resolve(replaced)).toEqual(resolve(stack));
}

function opts(bottom: boolean) {
  return { bottom, segmentId: 999, space: 'notes', dim: 2 };
}

// ---- named cases ---------------------------------------------------------------------------------

describe('merge rules', () => {
  const r = rng(1);
  const row = (id: string, tag: string): SegmentRow => makeRow(r, 2, id, { content: tag });
  const seg = (c: Partial<SegmentContent>): SegmentContent => emptyContent({ dim: 2, ...c });

  it('newest row wins per id; output sorted; LSN range spans the inputs', () => {
    const m = mergeContents([seg({ rows: [row('b', 'new')], minLsn: 30, maxLsn: 40 }), seg({ rows: [row('b', 'old'), row('a', 'a')], minLsn: 1, maxLsn: 9 })], opts(false));
    expect(m.rows.map((x) => `${x.id}:${x.content}`)).toEqual(['a:a', 'b:new']);
    expect([m.minLsn, m.maxLsn, m.segmentId]).toEqual([1, 40, 999]);
  });

  it('a newer tombstone drops an older row and is kept unless bottom', () => {
    const inputs = [seg({ tombstones: ['a'] }), seg({ rows: [row('a', 'x')] })];
    expect(mergeContents(inputs, opts(false))).toMatchObject({ rows: [], tombstones: ['a'] });
    expect(mergeContents(inputs, opts(true))).toMatchObject({ rows: [], tombstones: [] });
  });

  it('forget then remember again: the row survives and the tombstone still shadows below', () => {
    const m = mergeContents([seg({ rows: [row('a', 'again')] }), seg({ tombstones: ['a'] })], opts(false));
    expect(m.rows.map((x) => x.content)).toEqual(['again']);
    expect(m.tombstones).toEqual(['a']);
  });

  it('a decay update is folded into its base row, carried without one, dropped at the bottom', () => {
    const d = decayState(r, 4);
    const folded = mergeContents([seg({ decayUpdates: [{ id: 'a', decay: d }] }), seg({ rows: [row('a', 'base')] })], opts(false));
    expect(folded.rows[0]?.decay).toEqual(d);
    expect(folded.decayUpdates).toEqual([]);
    const carried = mergeContents([seg({ decayUpdates: [{ id: 'a', decay: d }] }), seg({})], opts(false));
    expect(carried.decayUpdates).toEqual([{ id: 'a', decay: d }]);
    expect(mergeContents([seg({ decayUpdates: [{ id: 'a', decay: d }] })], opts(true)).decayUpdates).toEqual([]);
  });

  it('newest decay update wins; an older update never overrides a newer row', () => {
    const d1 = decayState(r, 1), d2 = decayState(r, 2);
    const m = mergeContents([seg({ decayUpdates: [{ id: 'a', decay: d2 }] }), seg({ decayUpdates: [{ id: 'a', decay: d1 }] })], opts(false));
    expect(m.decayUpdates).toEqual([{ id: 'a', decay: d2 }]);
    const fresh = row('a', 'fresh');
    const n = mergeContents([seg({ rows: [fresh] }), seg({ decayUpdates: [{ id: 'a', decay: d1 }] })], opts(false));
    expect(n.rows[0]?.decay).toEqual(fresh.decay);
    expect(n.decayUpdates).toEqual([]);
  });

  it('associations: killed by a newer id tombstone or association tombstone, kept when newer than it', () => {
    const a = (f: string, t: string, k: string): Association => makeAssoc(r, f, t, k);
    const m = mergeContents([
      seg({ tombstones: ['x'], assocTombstones: [{ from: 'p', to: 'q', kind: null }], associations: [a('p', 'q', 'k9')] }),
      seg({ associations: [a('x', 'y', 'k1'), a('y', 'x', 'k1'), a('p', 'q', 'k1'), a('p', 'q', 'k2'), a('p', 'r', 'k1')] }),
    ], opts(false));
    expect(m.associations.map((x) => `${x.from}>${x.to}:${x.kind}`)).toEqual(['p>q:k9', 'p>r:k1']);
    expect(m.assocTombstones).toEqual([{ from: 'p', to: 'q', kind: null }]);
    expect(mergeContents([seg({ assocTombstones: [{ from: 'p', to: 'q', kind: 'k1' }] })], opts(true)).assocTombstones).toEqual([]);
  });

  it('inputs of another space or dim are INVALID_ARGUMENT', () => {
    expect(() => mergeContents([seg({ space: 'other' })], opts(false))).toThrow(/space/);
    expect(() => mergeContents([], opts(false))).toThrow(/no inputs/);
  });
});

// ---- properties ----------------------------------------------------------------------------------

describe('merge properties (model-based)', () => {
  it('mergeContents: replacing any run by its merge keeps the reading (400 stacks)', () => {
    fc.assert(fc.property(stackArb, ({ stack, i, j }) => {
      checkMerged(stack, i, j, mergeContents(stack.slice(i, j), opts(j === stack.length)));
    }), { numRuns: 400, seed: 42 });
  });

  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => { tmp = tempDir(); });
  afterAll(() => tmp.cleanup());

  /** The content of a reader, read back entry by entry (what the model sees of a file). */
  function contentOf(rd: SegmentReader): SegmentContent {
    const rows = Array.from({ length: rd.rowCount }, (_, k) => { const { space: _s, ...rest } = rd.record(k); return rest; });
    return {
      space: rd.space, segmentId: rd.segmentId, dim: rd.dim, minLsn: rd.minLsn, maxLsn: rd.maxLsn, created: rd.createdAt,
      rows, decayUpdates: rd.decayUpdates(), tombstones: rd.tombstones(), associations: [...rd.associations()], assocTombstones: rd.assocTombstones(),
    };
  }

  it('mergeSegments over real files equals mergeContents and keeps the reading after a write/read (30 stacks)', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(stackArb, async ({ stack, i, j }) => {
      const run = stack.slice(i, j);
      const readers: SegmentReader[] = [];
      for (const c of run) {
        const info = await writeSegment(join(tmp.dir, `t${n}`, `seg-${++n}`), c);
        readers.push(openSegment(info.path));
      }
      const merged = mergeSegments(readers, opts(j === stack.length));
      const expected = mergeContents(run, opts(j === stack.length));
      expect(resolve([merged])).toEqual(resolve([expected]));
      expect({ ...merged, rows: [], associations: [] }).toEqual({ ...expected, rows: [], associations: [] });
      const info = await writeSegment(join(tmp.dir, `m${n}`, `seg-${++n}`), merged);
      readers.forEach((x) => x.close());
      const back = openSegment(info.path);
      checkMerged(stack, i, j, contentOf(back));
      back.close();
    }), { numRuns: 30, seed: 7 });
  });
});
