/**
 * Model-based test (testing.md "model-based"): fast-check command sequences — remember,
 * associate, dissociate, present, forget, flush, compact, reopen, snapshot, get, scan — run
 * against the store and against the in-memory StoreModel; after every command the store must
 * answer exactly like the model (records with decay state, scan order, edges both ways), and
 * every snapshot taken earlier must still answer like the model did when it was taken.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDecayModel } from '../src/cognitive/decay.js';
import { isMnemoError } from '../src/index.js';
import type { WriteOp } from '../src/model.js';
import { openStore, type Snapshot, type Store } from '../src/storage/index.js';
import { StoreModel, plain } from './helpers/store-model.js';

const RUNS = process.env.MNEMO_LONG === '1' ? 400 : 60;
const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'é', '\u{1F600}'];
const SPACE = 'm';
const DIM = 3;
const dirs: string[] = [];

type Cmd =
  | { c: 'remember'; id: string; v: number }
  | { c: 'associate'; from: string; to: string; kind: string; w: number }
  | { c: 'dissociate'; from: string; to: string; kind?: string }
  | { c: 'present'; id: string; dt: number; times: number }
  | { c: 'forget'; id: string }
  | { c: 'batch'; ids: string[] }
  | { c: 'flush' }
  | { c: 'compact' }
  | { c: 'reopen' }
  | { c: 'snapshot' };

const id = fc.constantFrom(...IDS);
const kind = fc.constantFrom('assoc', 'next');
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ c: fc.constant('remember' as const), id, v: fc.integer({ min: -50, max: 50 }) }) },
  { weight: 4, arbitrary: fc.record({ c: fc.constant('associate' as const), from: id, to: id, kind, w: fc.integer({ min: 1, max: 9 }) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('dissociate' as const), from: id, to: id, kind: fc.option(kind, { nil: undefined }) }, { requiredKeys: ['c', 'from', 'to'] }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('present' as const), id, dt: fc.integer({ min: 1, max: 100_000 }), times: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('forget' as const), id }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('batch' as const), ids: fc.uniqueArray(id, { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.constant({ c: 'flush' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'compact' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'snapshot' as const }) },
);

class Harness {
  now = 1_000_000;
  store!: Store;
  readonly model = new StoreModel();
  readonly snaps: { snap: Snapshot; model: StoreModel }[] = [];
  constructor(readonly dir: string) {}

  async open(): Promise<void> {
    this.store = await openStore(this.dir, { durability: 'off', clock: () => this.now, memtableBytes: 4096, compaction: { auto: true, minRun: 3 } });
  }

  vec(v: number): Float32Array {
    return Float32Array.from([v, v / 2, 1]);
  }

  /** Apply to the store; the model mirrors it only when the store accepted it (and must agree on errors). */
  async write(ops: WriteOp[], mirror: () => void, expectError: string | undefined): Promise<void> {
    let code: string | undefined;
    try {
      await this.store.write(ops);
    } catch (e) {
      if (!isMnemoError(e)) throw e;
      code = e.code;
    }
    expect(code).toBe(expectError);
    if (code === undefined) mirror();
  }

  async run(c: Cmd): Promise<void> {
    this.now += 1000;
    const m = this.model;
    const t = this.now;
    switch (c.c) {
      case 'remember':
        return this.write([{ op: 'remember', record: { id: c.id, space: SPACE, content: `v${c.v}`, embedding: this.vec(c.v), kind: 'episodic', created: t - 500, confidence: { lo: 1, hi: 1 }, decay: undefined as never, meta: null } }],
          () => m.remember(SPACE, c.id, `v${c.v}`, this.vec(c.v), t - 500, t), undefined);
      case 'batch':
        return this.write(c.ids.map((x) => ({ op: 'remember', record: { id: x, space: SPACE, content: `batch ${x}`, embedding: this.vec(1), kind: 'episodic', created: t, confidence: { lo: 1, hi: 1 }, decay: undefined as never, meta: null } })),
          () => c.ids.forEach((x) => m.remember(SPACE, x, `batch ${x}`, this.vec(1), t, t)), undefined);
      case 'associate': {
        const ok = m.exists(SPACE, c.from) && m.exists(SPACE, c.to);
        return this.write([{ op: 'associate', space: SPACE, assoc: { from: c.from, to: c.to, kind: c.kind, weight: c.w, confidence: { lo: 1, hi: 1 }, created: t } }],
          () => m.associate(SPACE, c.from, c.to, c.kind, c.w, t, t), ok ? undefined : 'UNKNOWN_MEMORY');
      }
      case 'dissociate': {
        const op: WriteOp = { op: 'dissociate', space: SPACE, from: c.from, to: c.to };
        if (c.kind !== undefined) op.kind = c.kind;
        return this.write([op], () => m.dissociate(SPACE, c.from, c.to, c.kind), undefined);
      }
      case 'present':
        return this.write([{ op: 'present', space: SPACE, id: c.id, at: t - c.dt, times: c.times }],
          () => m.present(SPACE, c.id, t - c.dt, c.times), m.exists(SPACE, c.id) ? undefined : 'UNKNOWN_MEMORY');
      case 'forget':
        return this.write([{ op: 'forget', space: SPACE, id: c.id }], () => m.forget(SPACE, c.id), undefined);
      case 'flush':
        return this.store.flush();
      case 'compact':
        return this.store.compact(SPACE);
      case 'reopen':
        for (const s of this.snaps.splice(0)) s.snap.release();
        await this.store.close();
        return this.open();
      case 'snapshot':
        this.snaps.push({ snap: this.store.snapshot(), model: m.clone() });
        return;
    }
  }

  check(view: { get: Store['get'] } | Snapshot, model: StoreModel, snap?: Snapshot): void {
    const get = (x: string) => (snap ? snap.get(SPACE, x) : this.store.get(SPACE, x));
    for (const x of IDS) expect(plain(get(x)), `get ${x}`).toEqual(plain(model.space(SPACE).memories.get(x)));
    const s = snap ?? this.store.snapshot();
    try {
      expect([...s.scan(SPACE)].map(plain)).toEqual(model.scan(SPACE).map(plain));
      for (const x of IDS) {
        expect(s.associationsFrom(SPACE, x), `from ${x}`).toEqual(model.associationsFrom(SPACE, x));
        expect(s.associationsTo(SPACE, x), `to ${x}`).toEqual(model.associationsTo(SPACE, x));
      }
      expect(s.count(SPACE)).toBe(model.space(SPACE).memories.size);
      let live = s.memtableRecords(SPACE).length;
      for (const seg of s.segments(SPACE)) live += seg.liveCount;
      expect(live, 'live rows over segments + memtable').toBe(model.space(SPACE).memories.size);
    } finally {
      if (!snap) s.release();
    }
    void view;
  }
}

describe('model-based: store vs in-memory model', () => {
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it(`${RUNS} random command sequences, 0 violations`, async () => {
    let commands = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 10, maxLength: 60 }), async (cmds) => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'mnemo-model-'));
        dirs.push(dir);
        const h = new Harness(dir);
        await h.open();
        await h.store.createSpace({ name: SPACE, dim: DIM, decay: defaultDecayModel() });
        h.model.addSpace(SPACE, DIM, defaultDecayModel());
        try {
          for (const c of cmds) {
            await h.run(c);
            commands++;
            h.check(h.store, h.model);
            for (const s of h.snaps) h.check(s.snap, s.model, s.snap);
          }
        } finally {
          for (const s of h.snaps) s.snap.release();
          await h.store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS, seed: 424242 },
    );
    console.log(`model-based: ${RUNS} sequences, ${commands} commands, 0 violations`);
  });
});
