/**
 * View.associationsFrom reads each layer's out-list once (docs/storage.md, "LSM read rules"); it
 * must give exactly what the per-edge rule `association(from, to, kind)` gives for every candidate
 * edge, over seeded histories of remembers, associations, dissociations, forgets, flushes and
 * compactions (edges and tombstones spread over memtables and several segments). Through the
 * store API a forget also writes an edge tombstone for every edge of the memory, so the rule's
 * endpoint-tombstone checks (kept to mirror association()) never decide alone here; the edge
 * tombstones and memtable deletes do (the test fails when either is ignored).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Association, WriteOp } from '../src/model.js';
import { seededRandom } from '../src/storage/env/rng.js';
import { openStore } from '../src/storage/index.js';
import type { MnemoStore } from '../src/storage/store/store.js';
import type { View } from '../src/storage/store/view.js';
import { cleanupDirs, remember, tempDir } from './helpers/store-fixtures.js';

afterAll(cleanupDirs);

const S = 'g';
const IDS = ['a', 'b', 'c', 'd', 'e'];
const KINDS = ['k1', 'k2'];

/** The edges of `from` by the per-edge rule, ordered by (to, kind). */
function perEdge(view: View, from: string): Association[] {
  const out: Association[] = [];
  for (const to of IDS) {
    for (const kind of KINDS) {
      const a = view.association(S, from, to, kind);
      if (a !== undefined) out.push(a);
    }
  }
  return out;
}

function randomOp(r: () => number, live: Set<string>): WriteOp | 'flush' | 'compact' | null {
  const pick = (xs: readonly string[]): string => xs[Math.floor(r() * xs.length)]!;
  const x = r();
  if (x < 0.2) return remember(S, pick(IDS), 'c', [r(), 1]);
  const alive = [...live];
  if (x < 0.55 && alive.length > 0) {
    return { op: 'associate', space: S, assoc: { from: pick(alive), to: pick(alive), kind: pick(KINDS), weight: r(), confidence: { lo: 0.5, hi: 1 }, created: 1 } };
  }
  if (x < 0.65 && alive.length > 0) return { op: 'dissociate', space: S, from: pick(alive), to: pick(alive), ...(r() < 0.5 ? { kind: pick(KINDS) } : {}) };
  if (x < 0.72 && alive.length > 0) return { op: 'forget', space: S, id: pick(alive) };
  if (x < 0.9) return 'flush';
  if (x < 0.95) return 'compact';
  return null;
}

describe('associationsFrom', () => {
  it('agrees with the per-edge rule over seeded histories', async () => {
    const r = seededRandom(77);
    let checked = 0;
    for (let round = 0; round < 8; round++) {
      const s = (await openStore(tempDir(), { compaction: { auto: false } })) as MnemoStore;
      await s.createSpace({ name: S, dim: 2 });
      const live = new Set<string>();
      try {
        for (let step = 0; step < 60; step++) {
          const op = randomOp(r, live);
          if (op === 'flush') await s.flush();
          else if (op === 'compact') await s.compact(S);
          else if (op !== null) {
            await s.write([op]);
            if (op.op === 'remember') live.add(op.record.id);
            if (op.op === 'forget') live.delete(op.id);
          }
          const view = s.latest();
          for (const from of IDS) {
            const got = view.associationsFrom(S, from);
            expect(got, `round ${round} step ${step} from ${from}`).toEqual(perEdge(view, from));
            checked += got.length;
          }
        }
      } finally {
        await s.close();
      }
    }
    // The histories must actually produce edges to compare.
    expect(checked).toBeGreaterThan(200);
  });
});
