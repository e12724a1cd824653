/**
 * Applying one logged batch to the active memtable (docs/storage.md, "Write path"). Runs after
 * the WAL acknowledged the batch, and again at recovery for every replayed batch, so it must be a
 * deterministic function of (state, batch): it reads the current state through a View at seq ∞.
 * `present` folds the events into the memory's decay state now (a `decay` value when the row
 * lives in a segment); `forget` also deletes every live edge from and to the memory; ops that
 * refer to a memory that is gone by now (a concurrent forget) are skipped, and so is a
 * presentation a concurrent one left no room for (the count is stored as u32).
 */
import { recordPresentation } from '../../cognitive/decay.js';
import type { MemoryRecord, SpaceConfig, WriteOp } from '../../model.js';
import type { Memtable } from '../memtable/index.js';
import { MAX_DECAY_COUNT } from './validate-ops.js';
import type { View } from './view.js';

export interface ApplyContext {
  memtable: Memtable;
  /** Current state (all memtables and segments), seq = ∞. */
  view: View;
  /** Space config by name, or undefined when the space no longer exists (op skipped). */
  space(name: string): SpaceConfig | undefined;
}

export function applyBatch(ops: readonly WriteOp[], lsn: number, ctx: ApplyContext): void {
  ctx.memtable.beginBatch(lsn);
  for (const op of ops) applyOp(op, lsn, ctx);
}

function applyOp(op: WriteOp, lsn: number, ctx: ApplyContext): void {
  const { memtable: mt, view } = ctx;
  switch (op.op) {
    case 'remember': {
      if (ctx.space(op.record.space) === undefined) return;
      const r = op.record;
      mt.putRecord(typeof r.recorded === 'number' ? (r as MemoryRecord) : { ...r, recorded: 0 }, lsn);
      return;
    }
    case 'associate': {
      const a = op.assoc;
      if (ctx.space(op.space) === undefined) return;
      if (!view.has(op.space, a.from) || !view.has(op.space, a.to)) return;
      mt.putAssoc(op.space, { ...a, recorded: a.recorded ?? 0 }, lsn);
      return;
    }
    case 'dissociate': {
      for (const a of view.associationsFrom(op.space, op.from)) {
        if (a.to === op.to && (op.kind === undefined || a.kind === op.kind)) mt.deleteAssoc(op.space, a.from, a.to, a.kind, lsn);
      }
      return;
    }
    case 'present': {
      const space = ctx.space(op.space);
      const current = view.decayOf(op.space, op.id);
      if (space === undefined || current === undefined) return;
      // Validation checked the count, but a concurrent batch may have added presentations since:
      // past u32 the memory could never be flushed.
      if (current.count + (op.times ?? 1) > MAX_DECAY_COUNT) return;
      const decay = recordPresentation(current, op.at, space.decay, op.times ?? 1);
      const held = view.memtableRow(op.space, op.id);
      if (held !== undefined) mt.putRecord(held.put.transient(decay), lsn);
      else mt.putDecay(op.space, op.id, decay, lsn);
      return;
    }
    case 'forget': {
      if (!view.has(op.space, op.id)) return;
      for (const a of view.associationsFrom(op.space, op.id)) mt.deleteAssoc(op.space, a.from, a.to, a.kind, lsn);
      for (const a of view.associationsTo(op.space, op.id)) mt.deleteAssoc(op.space, a.from, a.to, a.kind, lsn);
      mt.deleteMemory(op.space, op.id, lsn);
      return;
    }
  }
}
