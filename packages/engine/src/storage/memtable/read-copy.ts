/**
 * What a reader gets for a memtable entry (docs/storage.md, "Snapshots"): its own copy, as a
 * segment read gives a freshly decoded record. The memtable keeps the validated values of the
 * write as columns (row-block.ts) and the next flush writes them; handing out a view of a block's
 * embedding would let a caller's change to a result alter stored data without a log record.
 */
import type { Association, DecayState, MemoryRecord } from '../../model.js';
import type { PutRow } from './entries.js';

export function copyDecay(d: DecayState): DecayState {
  return { count: d.count, first: d.first, last: d.last, recentTimes: d.recentTimes.slice(), recentDecays: d.recentDecays.slice(), olderDecay: d.olderDecay };
}

export function copyAssociation(a: Association): Association {
  return {
    from: a.from, to: a.to, kind: a.kind, weight: a.weight, confidence: { lo: a.confidence.lo, hi: a.confidence.hi },
    created: a.created, recorded: a.recorded,
  };
}

/** Row `p` as a record sharing nothing with the memtable (meta and content are decoded anew); `decay` (copied) replaces its decay state when given. */
export function ownRecord(p: PutRow, decay?: DecayState): MemoryRecord {
  const b = p.block;
  const i = p.row;
  return b.record(i, b.embeddingCopy(i), decay === undefined ? b.decay(i) : copyDecay(decay));
}
