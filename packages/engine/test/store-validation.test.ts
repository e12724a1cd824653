/**
 * Write validation against what the lower layers can store (docs/storage.md, "Write path"): a
 * batch the store acknowledges must be flushable and must read back the same after a flush and a
 * reopen. Values the segment or WAL format cannot represent (lone UTF-16 surrogates, decay counts
 * beyond u32, meta that is not MessagePack) are INVALID_ARGUMENT before anything is logged, and
 * `meta` is stored as its own copy in its stored form (a later change by the caller is not seen).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDecayModel, initialDecayState } from '../src/cognitive/decay.js';
import type { WriteOp } from '../src/model.js';
import { openStore, type Store } from '../src/storage/index.js';
import { associate, cleanupDirs, errorCode as code, remember, tempDir } from './helpers/store-fixtures.js';

afterAll(cleanupDirs);

const S = 'v';


async function fresh(dir = tempDir()): Promise<Store> {
  const s = await openStore(dir, { compaction: { auto: false } });
  if (s.findSpace(S) === undefined) await s.createSpace({ name: S, dim: 2 });
  return s;
}

describe('write validation: only what can be stored is acknowledged', () => {
  it('rejects lone UTF-16 surrogates in ids, content and association kinds; nothing is applied and flush still works', async () => {
    const s = await fresh();
    try {
      const ok = remember(S, 'a', 'fine', [1, 0]);
      await s.write([ok, remember(S, 'b', 'fine', [0, 1])]);
      const lsn = s.stats().lastLsn;
      const bad: WriteOp[][] = [
        [ok, remember(S, 'x\uD800', 'id with a lone high surrogate', [1, 0])],
        [ok, remember(S, '\uDC00y', 'id with a lone low surrogate', [1, 0])],
        [ok, remember(S, 'c', 'content \uD83D cut in half', [1, 0])],
        [ok, associate(S, 'a', 'b', 'kind\uDFFF')],
        [ok, { op: 'dissociate', space: S, from: 'a', to: 'b', kind: '\uD800' }],
        [ok, { op: 'dissociate', space: S, from: 'a\uD800', to: 'b' }],
        [ok, { op: 'forget', space: S, id: 'b\uDBFF' }],
      ];
      for (const ops of bad) expect(await code(s.write(ops)), JSON.stringify(ops[1])).toBe('INVALID_ARGUMENT');
      expect(s.stats().lastLsn).toBe(lsn);
      // a well-formed astral character (a surrogate pair) is fine
      await s.write([remember(S, 'smile \u{1F600}', 'ok \u{1F600}', [1, 1])]);
      await s.flush();
      expect(s.get(S, 'smile \u{1F600}')?.content).toBe('ok \u{1F600}');
    } finally {
      await s.close();
    }
  });

  it('two ids differing only in a lone surrogate can never collapse into one memory', async () => {
    const dir = tempDir();
    const s = await fresh(dir);
    expect(await code(s.write([remember(S, 'k\uD800', 'first', [1, 0]), remember(S, 'k\uD801', 'second', [0, 1])]))).toBe('INVALID_ARGUMENT');
    await s.close();
    const r = await fresh(dir);
    try {
      expect([...r.snapshot().scan(S)]).toEqual([]);
    } finally {
      await r.close();
    }
  });

  it('rejects a decay state whose count the segment format cannot hold (u32)', async () => {
    const s = await fresh();
    try {
      const decay = { ...initialDecayState(1_000, defaultDecayModel()), count: 2 ** 32 };
      const op = remember(S, 'd', 'x', [1, 0]);
      if (op.op === 'remember') op.record.decay = decay;
      expect(await code(s.write([op]))).toBe('INVALID_ARGUMENT');
      expect(s.get(S, 'd')).toBeUndefined();
      await s.flush();
    } finally {
      await s.close();
    }
  });

  it('meta that cannot be stored is INVALID_ARGUMENT (typed), and the batch applies nothing', async () => {
    const s = await fresh();
    try {
      const circular: Record<string, unknown> = { a: 1 };
      circular.self = circular;
      for (const meta of [circular, Symbol('s'), { deep: Symbol('t') }]) {
        expect(await code(s.write([remember(S, 'ok', 'x', [1, 0]), remember(S, 'm', 'x', [1, 0], { meta })]))).toBe('INVALID_ARGUMENT');
      }
      expect(s.get(S, 'ok')).toBeUndefined();
      expect(s.stats().lastLsn).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('meta is the store’s own copy: changing the caller’s object later changes no snapshot', async () => {
    const s = await fresh();
    try {
      const meta = { tags: ['x'], n: 1 };
      await s.write([remember(S, 'm', 'x', [1, 0], { meta })]);
      const snap = s.snapshot();
      meta.n = 2;
      meta.tags.push('y');
      expect(snap.get(S, 'm')?.meta).toEqual({ tags: ['x'], n: 1 });
      expect(s.get(S, 'm')?.meta).toEqual({ tags: ['x'], n: 1 });
      snap.release();
    } finally {
      await s.close();
    }
  });

  it('meta reads back the same from the memtable, after a WAL replay and from a segment', async () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
    }
    const metas: Record<string, unknown> = {
      plain: { a: 1, nested: { b: [1, 'x', null, true] } },
      map: new Map<unknown, unknown>([['k', 1], [2, 'two']]),
      instance: new Point(1, 2),
      withFunction: { keep: 1, f: () => 1 },
      date: new Date(86_400_000),
      proto: JSON.parse('{"__proto__":{"x":1},"y":2}') as unknown,
      bytes: { b: new Uint8Array([1, 2, 3]) },
    };
    const dir = tempDir();
    let s = await fresh(dir);
    await s.write(Object.entries(metas).map(([id, meta]) => remember(S, id, 'x', [1, 0], { meta })));
    const live = Object.keys(metas).map((id) => s.get(S, id)?.meta);
    await s.close();
    // close flushed: reopen reads the segment; a second store replays the WAL only
    s = await fresh(dir);
    const fromSegment = Object.keys(metas).map((id) => s.get(S, id)?.meta);
    await s.close();
    const dir2 = tempDir();
    s = await openStore(dir2, { compaction: { auto: false }, durability: 'full' });
    await s.createSpace({ name: S, dim: 2 });
    await s.write(Object.entries(metas).map(([id, meta]) => remember(S, id, 'x', [1, 0], { meta })));
    const ro = await openStore(dir2, { readOnly: true });
    const fromWal = Object.keys(metas).map((id) => ro.get(S, id)?.meta);
    await ro.close();
    await s.close();
    expect(live).toEqual(fromWal);
    expect(live).toEqual(fromSegment);
    expect(live[1]).not.toBeInstanceOf(Map);
    // a `__proto__` key (valid JSON) is an own key everywhere, not renamed or turned into a prototype
    for (const read of [live, fromSegment, fromWal]) {
      const proto = read[5] as Record<string, unknown>;
      expect(Object.keys(proto).sort()).toEqual(['__proto__', 'y']);
      expect(Object.getOwnPropertyDescriptor(proto, '__proto__')?.value).toEqual({ x: 1 });
      expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    }
  });

  it('space decay parameters are checked against the ranges of the decay model (docs/decay.md)', async () => {
    const s = await fresh();
    try {
      const bad = [
        { model: 'actr', d: 6, tau: 0, s: 1 },
        { model: 'actr', d: 0.5, tau: 0, s: 1, c: -1 },
        { model: 'actr', d: 0.5, tau: 0, s: 1, alpha: 1e300 },
        { model: 'power', d: 1e300 },
      ] as const;
      for (const [i, decay] of bad.entries()) expect(await code(s.createSpace({ name: `bad${i}`, dim: 2, decay })), JSON.stringify(decay)).toBe('INVALID_ARGUMENT');
      expect(s.listSpaces().map((x) => x.name)).toEqual(['default', S]);
      // d = 0 (no decay) is inside the ACT-R range
      expect((await s.createSpace({ name: 'flat', dim: 2, decay: { model: 'actr', d: 0, tau: 0, s: 1 } })).decay).toEqual({ model: 'actr', d: 0, tau: 0, s: 1 });
    } finally {
      await s.close();
    }
  });

  it('a batch with one bad op anywhere applies and logs nothing (seeded property)', async () => {
    const s = await fresh();
    try {
      await s.write([remember(S, 'a', 'a', [1, 0]), remember(S, 'b', 'b', [0, 1]), associate(S, 'a', 'b')]);
      await s.flush();
      const state = (): unknown => {
        const snap = s.snapshot();
        try {
          return { lsn: s.stats().lastLsn, rows: [...snap.scan(S)], edges: [...snap.associations(S)] };
        } finally {
          snap.release();
        }
      };
      const before = state();
      const good: fc.Arbitrary<WriteOp> = fc.oneof(
        fc.constantFrom('a', 'b', 'c').map((id) => remember(S, id, `new ${id}`, [0.5, 0.5])),
        fc.constant(associate(S, 'b', 'a', 'next')),
        fc.constant<WriteOp>({ op: 'present', space: S, id: 'a', at: 1_650_000_000_000, times: 2 }),
        fc.constant<WriteOp>({ op: 'dissociate', space: S, from: 'a', to: 'b' }),
        fc.constant<WriteOp>({ op: 'forget', space: S, id: 'b' }),
      );
      const bad: fc.Arbitrary<[WriteOp, string]> = fc.constantFrom<[WriteOp, string]>(
        [remember(S, 'z', 'x', [1, 2, 3]), 'DIMENSION_MISMATCH'],
        [remember('nowhere', 'z', 'x', [1, 0]), 'UNKNOWN_SPACE'],
        [remember(S, 'z\uD800', 'x', [1, 0]), 'INVALID_ARGUMENT'],
        [remember(S, 'z', 'x', [1, 0], { meta: { s: Symbol('x') } }), 'INVALID_ARGUMENT'],
        [remember(S, 'z', 'x', [1, 0], { confidence: { lo: 0.5, hi: 0.2 } }), 'INVALID_ARGUMENT'],
        [associate(S, 'a', 'ghost'), 'UNKNOWN_MEMORY'],
        [{ op: 'present', space: S, id: 'a', at: Number.NaN }, 'INVALID_ARGUMENT'],
        [{ op: 'present', space: S, id: 'a', at: 1, times: 0 }, 'INVALID_ARGUMENT'],
        [{ op: 'forget', space: S, id: '' }, 'INVALID_ARGUMENT'],
      );
      await fc.assert(
        fc.asyncProperty(fc.array(good, { maxLength: 6 }), bad, fc.nat(), async (ops, [op, want], at) => {
          const batch = [...ops];
          batch.splice(at % (ops.length + 1), 0, op);
          // an op after a forget of 'b' may fail on 'b' first: only the first failure's code is certain
          const got = await code(s.write(batch));
          expect(got === want || got === 'UNKNOWN_MEMORY').toBe(true);
          expect(state()).toEqual(before);
        }),
        { numRuns: 80, seed: 777 },
      );
    } finally {
      await s.close();
    }
  });

  it('a presentation that would push the count past u32 is LIMIT_EXCEEDED (it made every later flush fail)', async () => {
    const s = await fresh();
    try {
      const decay = { ...initialDecayState(1_000, defaultDecayModel()), count: 2 ** 32 - 3 };
      const op = remember(S, 'p', 'x', [1, 0]);
      if (op.op === 'remember') op.record.decay = decay;
      await s.write([op]);
      await s.write([{ op: 'present', space: S, id: 'p', at: 2_000, times: 2 }]);
      expect(s.get(S, 'p')?.decay.count).toBe(2 ** 32 - 1);
      await s.flush();
      expect(await code(s.write([{ op: 'present', space: S, id: 'p', at: 3_000 }]))).toBe('LIMIT_EXCEEDED');
      // also when the count comes from earlier ops of the same batch
      const again = remember(S, 'q', 'x', [1, 0]);
      if (again.op === 'remember') again.record.decay = decay;
      expect(await code(s.write([again, { op: 'present', space: S, id: 'q', at: 2_000, times: 2 }, { op: 'present', space: S, id: 'q', at: 2_500 }]))).toBe('LIMIT_EXCEEDED');
      expect(s.get(S, 'q')).toBeUndefined();
      await s.flush();
      expect(s.get(S, 'p')?.decay.count).toBe(2 ** 32 - 1);
    } finally {
      await s.close();
    }
  });

  it('two concurrent presentations validated against the same count cannot together pass u32: the later one is skipped at apply', async () => {
    const s = await fresh();
    try {
      const op = remember(S, 'c', 'x', [1, 0]);
      if (op.op === 'remember') op.record.decay = { ...initialDecayState(1_000, defaultDecayModel()), count: 2 ** 32 - 2 };
      await s.write([op]);
      // both validated now (count 2³² − 2 + 1 each is fine), applied one after the other
      const both = [s.write([{ op: 'present', space: S, id: 'c', at: 2_000 }]), s.write([{ op: 'present', space: S, id: 'c', at: 3_000 }])];
      await Promise.all(both);
      expect(s.get(S, 'c')?.decay.count).toBe(2 ** 32 - 1);
      expect(await code(s.flush())).toBe('ok');
    } finally {
      await s.close();
    }
  });
});
