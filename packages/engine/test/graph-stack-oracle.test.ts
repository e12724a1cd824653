/**
 * Oracle test of the resolved segment stack (docs/graph.md §3) on segment files written directly,
 * so that stacks the store never writes are covered too: memory tombstones without matching
 * association tombstones, all-kinds association tombstones, an id re-associated after its
 * tombstone. Per node, the base graph must equal (a) a brute-force reading of the rule in
 * segment_format.md §1 and (b) the base graph of the stack compacted by mergeSegments.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Association } from '../src/model.js';
import { baseGraph, type BaseGraph } from '../src/graph/base-graph.js';
import { mergeSegments, openSegment, writeSegment, type SegmentContent, type SegmentReader } from '../src/storage/segment/index.js';
import { makeRow, rng, tempDir } from './segment-fixtures.js';
import { join } from 'node:path';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const KINDS = ['a', 'b', 'c'];

function randomSegment(r: () => number, ids: readonly string[], segmentId: number): SegmentContent {
  const pick = (): string => ids[Math.floor(r() * ids.length)] as string;
  const rowIds = [...new Set(Array.from({ length: Math.floor(r() * 6) }, pick))];
  const tombstones = [...new Set(Array.from({ length: Math.floor(r() * 3) }, pick))];
  const assoc = new Map<string, Association>();
  for (let k = 0; k < 5 + Math.floor(r() * 25); k++) {
    const a: Association = {
      from: pick(), to: pick(), kind: KINDS[Math.floor(r() * 3)] as string, weight: Math.round(r() * 100) / 100,
      confidence: { lo: 1, hi: 1 }, created: segmentId * 1000 + k, recorded: segmentId * 1000 + k,
    };
    assoc.set(`${a.from}|${a.to}|${a.kind}`, a);
  }
  const at = new Map<string, { from: string; to: string; kind: string | null }>();
  for (let k = 0; k < Math.floor(r() * 6); k++) {
    const t = { from: pick(), to: pick(), kind: r() < 0.4 ? null : (KINDS[Math.floor(r() * 3)] as string) };
    at.set(`${t.from}|${t.to}|${t.kind}`, t);
  }
  return {
    space: 's', segmentId, dim: 2, minLsn: segmentId * 10, maxLsn: segmentId * 10 + 9, created: segmentId,
    rows: rowIds.map((id) => makeRow(r, 2, id)), decayUpdates: [], tombstones,
    associations: [...assoc.values()], assocTombstones: [...at.values()],
  };
}

/** segment_format.md §1 read literally: newest segment holding (f, t, k), unless a newer one kills it. */
function bruteEdges(stack: readonly SegmentContent[], from: string): Array<[string, string, number, number]> {
  const keys = new Set<string>();
  for (const c of stack) for (const a of c.associations) if (a.from === from) keys.add(`${a.to}\u0000${a.kind}`);
  const out: Array<[string, string, number, number]> = [];
  for (const key of keys) {
    const [to, kind] = key.split('\u0000') as [string, string];
    for (const c of stack) {
      const hit = c.associations.find((a) => a.from === from && a.to === to && a.kind === kind);
      if (hit !== undefined) {
        out.push([to, kind, hit.weight, hit.created]);
        break;
      }
      const killed = c.tombstones.includes(from) || c.tombstones.includes(to)
        || c.assocTombstones.some((t) => t.from === from && t.to === to && (t.kind === null || t.kind === kind));
      if (killed) break;
    }
  }
  return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
}

function edgesOf(b: BaseGraph, from: string): Array<[string, string, number, number]> {
  const u = b.index.get(from);
  if (u === undefined) return [];
  const out: Array<[string, string, number, number]> = [];
  for (let e = b.off[u] as number; e < (b.off[u + 1] as number); e++) {
    out.push([b.names[b.target[e] as number] as string, b.kindNames[b.kind[e] as number] as string, b.weight[e] as number, b.created[e] as number]);
  }
  return out;
}

describe('resolved segment stack', () => {
  it('equals the literal stack rule and the compacted stack on 25 random stacks', async () => {
    let n = 0;
    let checked = 0;
    let nonEmpty = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const r = rng(seed);
      const ids = Array.from({ length: 6 + Math.floor(r() * 8) }, (_, i) => `i${i}`);
      const depth = 2 + Math.floor(r() * 4);
      const stack = Array.from({ length: depth }, (_, k) => randomSegment(r, ids, depth - k)); // newest first
      const readers: SegmentReader[] = [];
      for (const c of stack) readers.push(openSegment((await writeSegment(join(tmp.dir, `s${seed}`, `seg-${++n}`), c)).path));
      const merged = mergeSegments(readers, { bottom: true, segmentId: 1000 + seed, space: 's', dim: 2 });
      const mergedReader = openSegment((await writeSegment(join(tmp.dir, `m${seed}`, `seg-${++n}`), merged)).path);
      const stacked = baseGraph(readers);
      const compacted = baseGraph([mergedReader]);
      expect(baseGraph(readers)).toBe(stacked);
      for (const id of ids) {
        const want = bruteEdges(stack, id);
        expect(edgesOf(stacked, id), `seed ${seed} node ${id}`).toEqual(want);
        expect(edgesOf(compacted, id)).toEqual(want);
        checked++;
        if (want.length > 0) nonEmpty++;
      }
      for (const rd of readers) rd.close();
      mergedReader.close();
    }
    expect(nonEmpty).toBeGreaterThan(checked / 3);
  });
});
