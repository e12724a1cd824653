/**
 * Reads hand out copies (docs/storage.md, "Snapshots"): changing a record or an association a
 * read returned — from the memtable or from a segment — changes nothing stored, before or after a
 * flush. And the write path's existence / presentation-count checks (`View.has`, `decayOf`,
 * `presentations`, which skip materialising segment records) agree with `get` in every layer
 * arrangement.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { MemoryRecord, WriteOp } from '../src/model.js';
import { seededRandom } from '../src/storage/env/rng.js';
import { openStore, type Store } from '../src/storage/index.js';
import type { MnemoStore } from '../src/storage/store/store.js';
import { associate, cleanupDirs, remember, tempDir } from './helpers/store-fixtures.js';

afterAll(cleanupDirs);

const S = 'c';
const META = { tags: ['a', 'b'], nested: { n: 1 }, bin: new Uint8Array([1, 2, 3]) };

async function fresh(): Promise<Store> {
  const s = await openStore(tempDir(), { compaction: { auto: false } });
  await s.createSpace({ name: S, dim: 3 });
  return s;
}

/** Changes every mutable part of a record. */
function vandalise(r: MemoryRecord): void {
  r.content = 'changed';
  r.embedding[0] = 99;
  r.confidence.lo = 0;
  r.decay.count = 999;
  r.decay.recentTimes.push(1);
  r.decay.recentDecays[0] = 7;
  const m = r.meta as { tags: string[]; nested: { n: number }; bin: Uint8Array };
  m.tags.push('x');
  m.nested.n = 2;
  m.bin[0] = 200;
}

describe('reads return copies', () => {
  it('a changed record or association leaves the memtable and the flushed segment unchanged', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'a', 'alpha', [1, 2, 3], { meta: META }), remember(S, 'b', 'beta', [0, 1, 0]), associate(S, 'a', 'b', 'assoc', 0.5)]);
      const original = structuredClone(s.get(S, 'a'));
      expect(original?.meta).toEqual(META);
      vandalise(s.get(S, 'a')!);
      const snap = s.snapshot();
      for (const r of snap.scan(S)) if (r.id === 'a') vandalise(r);
      const assoc = snap.associationsFrom(S, 'a')[0]!;
      assoc.weight = 9;
      assoc.confidence.hi = 0.1;
      [...snap.associations(S)][0]!.kind = 'other';
      snap.associationsTo(S, 'b')[0]!.to = 'zzz';
      snap.release();
      expect(s.get(S, 'a')).toEqual(original);
      await s.flush();
      expect(s.get(S, 'a')).toEqual(original);
      const after = s.snapshot();
      expect(after.associationsFrom(S, 'a').map((x) => [x.to, x.kind, x.weight, x.confidence.hi])).toEqual([['b', 'assoc', 0.5, 1]]);
      vandalise(after.get(S, 'a')!);
      expect(after.get(S, 'a')).toEqual(original);
      after.release();
    } finally {
      await s.close();
    }
  });

  it('a decay update held in the memtable over a flushed row is copied too', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'a', 'alpha', [1, 0, 0])]);
      await s.flush();
      await s.write([{ op: 'present', space: S, id: 'a', at: 1_700_000_000_000, times: 2 }]);
      const before = structuredClone(s.get(S, 'a')!.decay);
      expect(before.count).toBe(3);
      const r = s.get(S, 'a')!;
      r.decay.recentTimes[0] = -1;
      r.decay.count = 1;
      expect(s.get(S, 'a')!.decay).toEqual(before);
    } finally {
      await s.close();
    }
  });

  it('embeddings read one after another (sharing pool slabs) are each the caller own', async () => {
    const s = await fresh();
    try {
      const n = 300;
      const vec = (i: number): number[] => [i, -i, i / 7];
      await s.write(Array.from({ length: n / 2 }, (_, i) => remember(S, `f${i}`, 'x', vec(i))));
      await s.flush();
      await s.write(Array.from({ length: n / 2 }, (_, i) => remember(S, `m${i}`, 'x', vec(1000 + i))));
      const snap = s.snapshot();
      // segment rows and memtable rows, by scan and by get, all alive at once
      const reads = [...snap.scan(S), ...[...snap.scan(S)].map((r) => snap.get(S, r.id)!)];
      expect(reads).toHaveLength(2 * n);
      reads.forEach((r, i) => r.embedding.fill(-i));
      reads.forEach((r, i) => expect(Array.from(r.embedding)).toEqual([-i, -i, -i]));
      for (const r of snap.scan(S)) {
        const i = Number(r.id.slice(1)) + (r.id.startsWith('m') ? 1000 : 0);
        expect(Array.from(r.embedding)).toEqual(Array.from(Float32Array.from(vec(i))));
      }
      snap.release();
    } finally {
      await s.close();
    }
  });
});

describe('View.has / decayOf / presentations agree with get', () => {
  it('over seeded histories of writes, presentations, forgets and flushes', async () => {
    const rnd = seededRandom(2024);
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let round = 0; round < 6; round++) {
      const s = (await fresh()) as MnemoStore;
      try {
        const live = new Set<string>();
        for (let step = 0; step < 40; step++) {
          const id = ids[Math.floor(rnd() * ids.length)]!;
          const x = rnd();
          let op: WriteOp | null = null;
          if (x < 0.35) op = remember(S, id, `${id}${step}`, [rnd(), rnd(), 1]);
          else if (x < 0.6 && live.has(id)) op = { op: 'present', space: S, id, at: 1_700_000_000_000 + step * 1000, times: 1 + Math.floor(rnd() * 3) };
          else if (x < 0.75 && live.has(id)) op = { op: 'forget', space: S, id };
          else if (x < 0.9) await s.flush();
          if (op !== null) {
            await s.write([op]);
            if (op.op === 'forget') live.delete(id);
            else live.add(id);
          }
          const view = s.latest();
          for (const q of ids) {
            const got = view.get(S, q);
            expect(view.has(S, q)).toBe(got !== undefined);
            expect(view.decayOf(S, q)).toEqual(got?.decay);
            expect(view.presentations(S, q)).toBe(got?.decay.count);
            expect(got !== undefined).toBe(live.has(q));
          }
        }
      } finally {
        await s.close();
      }
    }
  });
});
