/**
 * Model-based test (testing.md "model-based"): fast-check command sequences — remember,
 * associate, dissociate, present, forget, flush, compact, reopen, snapshot, release, get, scan,
 * drop + re-create of a space, read-only opens and backups — over two spaces, run against the
 * store and against the in-memory StoreModel; after every command the store must answer exactly
 * like the model (records with decay state, scan order, edges both ways, the rows the live-row
 * bitmaps mark), every snapshot taken earlier must still answer like the model did when it was
 * taken, and scans started earlier and advanced one step per command must yield that view too.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDecayModel } from '../src/cognitive/decay.js';
import { isMnemoError } from '../src/index.js';
import type { MemoryRecord, WriteOp } from '../src/model.js';
import { openStore, type Snapshot, type Store } from '../src/storage/index.js';
import { StoreModel, plain } from './helpers/store-model.js';

const RUNS = process.env.MNEMO_LONG === '1' ? 400 : 60;
const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'é', '\u{1F600}'];
const SPACES = ['m', 'n'] as const;
const DIM = 3;
const dirs: string[] = [];

type Space = (typeof SPACES)[number];
type Cmd =
  | { c: 'remember'; sp: Space; id: string; v: number }
  | { c: 'associate'; sp: Space; from: string; to: string; kind: string; w: number }
  | { c: 'dissociate'; sp: Space; from: string; to: string; kind?: string }
  | { c: 'present'; sp: Space; id: string; dt: number; times: number }
  | { c: 'forget'; sp: Space; id: string }
  | { c: 'batch'; sp: Space; ids: string[] }
  | { c: 'flush' }
  | { c: 'compact'; sp: Space }
  | { c: 'reopen' }
  | { c: 'snapshot' }
  | { c: 'release'; k: number }
  | { c: 'recreate' }
  | { c: 'readonly' }
  | { c: 'backup' }
  | { c: 'race'; sp: Space; ops: RaceOp[] };

/** One write of a race: all are validated against the state before the race, applied in LSN order. */
type RaceOp = { k: 'remember' | 'forget' | 'present'; id: string };
const raceOp: fc.Arbitrary<RaceOp> = fc.record({ k: fc.constantFrom('remember' as const, 'remember' as const, 'forget' as const, 'present' as const), id: fc.constantFrom('a', 'b', 'c') });

const sp = fc.constantFrom(...SPACES);
const id = fc.constantFrom(...IDS);
const kind = fc.constantFrom('assoc', 'next');
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ c: fc.constant('remember' as const), sp, id, v: fc.integer({ min: -50, max: 50 }) }) },
  { weight: 4, arbitrary: fc.record({ c: fc.constant('associate' as const), sp, from: id, to: id, kind, w: fc.integer({ min: 1, max: 9 }) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('dissociate' as const), sp, from: id, to: id, kind: fc.option(kind, { nil: undefined }) }, { requiredKeys: ['c', 'sp', 'from', 'to'] }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('present' as const), sp, id, dt: fc.integer({ min: 1, max: 100_000 }), times: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('forget' as const), sp, id }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('batch' as const), sp, ids: fc.uniqueArray(id, { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.constant({ c: 'flush' as const }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('compact' as const), sp }) },
  { weight: 1, arbitrary: fc.constant({ c: 'reopen' as const }) },
  { weight: 2, arbitrary: fc.constant({ c: 'snapshot' as const }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('release' as const), k: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.constant({ c: 'recreate' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'readonly' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'backup' as const }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('race' as const), sp, ops: fc.array(raceOp, { minLength: 1, maxLength: 5 }) }) },
);

/** A scan started on a snapshot and advanced one step per command. */
interface OpenScan {
  it: Iterator<MemoryRecord>;
  seen: unknown[];
  done: boolean;
}

class Harness {
  now = 1_000_000;
  store!: Store;
  readonly model = new StoreModel();
  readonly snaps: { snap: Snapshot; model: StoreModel; scans: Map<Space, OpenScan> }[] = [];
  constructor(
    readonly dir: string,
    readonly scratch: () => string,
  ) {}

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
        return this.write([{ op: 'remember', record: { id: c.id, space: c.sp, content: `v${c.v}`, embedding: this.vec(c.v), kind: 'episodic', created: t - 500, confidence: { lo: 1, hi: 1 }, decay: undefined as never, meta: null } }],
          () => m.remember(c.sp, c.id, `v${c.v}`, this.vec(c.v), t - 500, t), undefined);
      case 'batch':
        return this.write(c.ids.map((x) => ({ op: 'remember', record: { id: x, space: c.sp, content: `batch ${x}`, embedding: this.vec(1), kind: 'episodic', created: t, confidence: { lo: 1, hi: 1 }, decay: undefined as never, meta: null } })),
          () => c.ids.forEach((x) => m.remember(c.sp, x, `batch ${x}`, this.vec(1), t, t)), undefined);
      case 'associate': {
        const ok = m.exists(c.sp, c.from) && m.exists(c.sp, c.to);
        return this.write([{ op: 'associate', space: c.sp, assoc: { from: c.from, to: c.to, kind: c.kind, weight: c.w, confidence: { lo: 1, hi: 1 }, created: t } }],
          () => m.associate(c.sp, c.from, c.to, c.kind, c.w, t, t), ok ? undefined : 'UNKNOWN_MEMORY');
      }
      case 'dissociate': {
        const op: WriteOp = { op: 'dissociate', space: c.sp, from: c.from, to: c.to };
        if (c.kind !== undefined) op.kind = c.kind;
        return this.write([op], () => m.dissociate(c.sp, c.from, c.to, c.kind), undefined);
      }
      case 'present':
        return this.write([{ op: 'present', space: c.sp, id: c.id, at: t - c.dt, times: c.times }],
          () => m.present(c.sp, c.id, t - c.dt, c.times), m.exists(c.sp, c.id) ? undefined : 'UNKNOWN_MEMORY');
      case 'forget':
        return this.write([{ op: 'forget', space: c.sp, id: c.id }], () => m.forget(c.sp, c.id), undefined);
      case 'flush':
        return this.store.flush();
      case 'compact':
        return this.store.compact(c.sp);
      case 'reopen':
        for (const s of this.snaps.splice(0)) s.snap.release();
        await this.store.close();
        return this.open();
      case 'snapshot': {
        const snap = this.store.snapshot();
        this.snaps.push({ snap, model: m.clone(), scans: new Map(SPACES.map((x) => [x, { it: snap.scan(x), seen: [], done: false }])) });
        return;
      }
      case 'release': {
        const [gone] = this.snaps.splice(c.k % Math.max(1, this.snaps.length), 1);
        gone?.snap.release();
        return;
      }
      case 'recreate':
        // 'n' is dropped and created again at once (same name, fresh content)
        await this.store.dropSpace('n');
        await this.store.createSpace({ name: 'n', dim: DIM, decay: defaultDecayModel() });
        m.spaces.delete('n');
        m.addSpace('n', DIM, defaultDecayModel());
        return;
      case 'readonly': {
        // a reader opened alongside the writer sees every acknowledged batch (durability 'off': written to the OS)
        const ro = await openStore(this.dir, { readOnly: true });
        try {
          this.check(ro, m);
        } finally {
          await ro.close();
        }
        return;
      }
      case 'race': {
        // writes issued together with flushes and compactions: validated against the state before
        // the race, applied in LSN order (a present of a memory forgotten by an earlier write of
        // the race is skipped); a snapshot taken at any point sees exactly the writes with LSN ≤ its seq
        const base = m.clone();
        const writes: Promise<{ lsn: number } | string>[] = [];
        const work: Promise<unknown>[] = [];
        c.ops.forEach((op, i) => {
          const w: WriteOp = op.k === 'remember'
            ? { op: 'remember', record: { id: op.id, space: c.sp, content: `race ${i}`, embedding: this.vec(i), kind: 'episodic', created: t, confidence: { lo: 1, hi: 1 }, decay: undefined as never, meta: null } }
            : op.k === 'forget' ? { op: 'forget', space: c.sp, id: op.id } : { op: 'present', space: c.sp, id: op.id, at: t - i };
          writes.push(this.store.write([w]).catch((e: unknown) => (isMnemoError(e) ? e.code : String(e))));
          work.push(i % 2 === 0 ? this.store.flush() : this.store.compact(c.sp));
        });
        const taken: Snapshot[] = [this.store.snapshot()];
        const all = Promise.all([...writes, ...work]);
        for (let k = 0; k < 6; k++) {
          await new Promise((r) => setImmediate(r));
          taken.push(this.store.snapshot());
        }
        await all;
        const results = await Promise.all(writes);
        const replay = (model: StoreModel, upTo: number): void => {
          c.ops.forEach((op, i) => {
            const r = results[i];
            if (typeof r === 'string' || r === undefined || r.lsn > upTo) return;
            if (op.k === 'remember') model.remember(c.sp, op.id, `race ${i}`, this.vec(i), t, t);
            else if (op.k === 'forget') model.forget(c.sp, op.id);
            else model.present(c.sp, op.id, t - i, 1);
          });
        };
        c.ops.forEach((op, i) => {
          // only a present of a memory absent before the race is refused
          expect(results[i], `race op ${i}`).toEqual(op.k === 'present' && !base.exists(c.sp, op.id) ? 'UNKNOWN_MEMORY' : expect.objectContaining({ lsn: expect.any(Number) }));
        });
        for (const snap of taken) {
          const model = base.clone();
          replay(model, snap.seq);
          this.snaps.push({ snap, model, scans: new Map() });
        }
        replay(m, Infinity);
        return;
      }
      case 'backup': {
        const to = path.join(this.scratch(), 'backup');
        await this.store.backup(to);
        const b = await openStore(to, { compaction: { auto: false } });
        try {
          this.check(b, m);
        } finally {
          await b.close();
          rmSync(path.dirname(to), { recursive: true, force: true });
        }
        return;
      }
    }
  }

  /** Advance every open scan by one record; a finished one must have yielded exactly its snapshot's view. */
  step(): void {
    for (const s of this.snaps) {
      for (const [x, scan] of s.scans) {
        if (scan.done) continue;
        const n = scan.it.next();
        if (n.done === true) {
          scan.done = true;
          expect(scan.seen, `interleaved scan of ${x}`).toEqual(s.model.scan(x).map(plain));
        } else scan.seen.push(plain(n.value));
      }
    }
  }

  check(store: Store, model: StoreModel, snap?: Snapshot): void {
    const s = snap ?? store.snapshot();
    try {
      expect(s.spaces().map((x) => x.name).filter((x) => x !== 'default')).toEqual([...model.spaces.keys()].sort());
      for (const space of model.spaces.keys()) this.checkSpace(store, s, model, space, snap !== undefined);
    } finally {
      if (!snap) s.release();
    }
  }

  private checkSpace(store: Store, s: Snapshot, model: StoreModel, space: string, viaSnapshot: boolean): void {
    const want = model.space(space).memories;
    for (const x of IDS) {
      expect(plain(s.get(space, x)), `${space} get ${x}`).toEqual(plain(want.get(x)));
      if (!viaSnapshot) expect(plain(store.get(space, x)), `${space} store.get ${x}`).toEqual(plain(want.get(x)));
    }
    expect([...s.scan(space)].map(plain)).toEqual(model.scan(space).map(plain));
    for (const x of IDS) {
      expect(s.associationsFrom(space, x), `${space} from ${x}`).toEqual(model.associationsFrom(space, x));
      expect(s.associationsTo(space, x), `${space} to ${x}`).toEqual(model.associationsTo(space, x));
    }
    expect([...s.associations(space)]).toEqual(IDS.flatMap((x) => model.associationsFrom(space, x)).sort((a, b) => cmpIds(a.from, b.from)));
    expect(s.count(space)).toBe(want.size);
    // the live rows of the segments plus the memtable's records are exactly the visible memories
    const live: unknown[] = s.memtableRecords(space).map(plain);
    for (const seg of s.segments(space)) {
      let n = 0;
      for (let r = 0; r < seg.reader.rows; r++) {
        if ((((seg.live[r >> 3] as number) >> (r & 7)) & 1) === 0) continue;
        n++;
        const rec = seg.reader.record(r);
        live.push(plain({ ...rec, decay: (s.get(space, rec.id) as MemoryRecord).decay }));
      }
      expect(seg.liveCount, 'liveCount').toBe(n);
    }
    const byId = (a: unknown, b: unknown): number => cmpIds((a as MemoryRecord).id, (b as MemoryRecord).id);
    expect(live.sort(byId), `${space} live rows over segments + memtable`).toEqual(model.scan(space).map(plain));
  }
}

function cmpIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

describe('model-based: store vs in-memory model', () => {
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it(`${RUNS} random command sequences, 0 violations`, async () => {
    let commands = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 10, maxLength: 50 }), async (cmds) => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'mnemo-model-'));
        dirs.push(dir);
        const h = new Harness(dir, () => {
          const d = mkdtempSync(path.join(os.tmpdir(), 'mnemo-model-bk-'));
          dirs.push(d);
          return d;
        });
        await h.open();
        for (const x of SPACES) {
          await h.store.createSpace({ name: x, dim: DIM, decay: defaultDecayModel() });
          h.model.addSpace(x, DIM, defaultDecayModel());
        }
        try {
          for (const c of cmds) {
            await h.run(c);
            commands++;
            h.step();
            h.check(h.store, h.model);
            for (const s of h.snaps) h.check(h.store, s.model, s.snap);
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
  }, RUNS * 5_000);
});
