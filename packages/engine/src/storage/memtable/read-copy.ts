/**
 * What a reader gets for a memtable entry (docs/storage.md, "Snapshots"): its own copy, as a
 * segment read gives a freshly decoded record. The memtable keeps the validated objects of the
 * write and the next flush writes them; handing them out would let a caller's change to a result
 * (its content, an embedding component, meta) alter stored data without a log record.
 */
import type { Association, DecayState, MemoryRecord } from '../../model.js';
import { packCopy, unpackChecked } from '../wal/wal-msgpack.js';
import { MnemoError } from '@mnemo/native';

export function copyDecay(d: DecayState): DecayState {
  return { count: d.count, first: d.first, last: d.last, recentTimes: d.recentTimes.slice(), recentDecays: d.recentDecays.slice(), olderDecay: d.olderDecay };
}

/**
 * Meta as stored is its MessagePack round trip (validate-ops.ts); decoding it again gives an
 * equal, unshared value of the same types a segment read returns.
 */
function copyMeta(meta: unknown, id: string): unknown {
  if (meta === null || typeof meta !== 'object') return meta;
  return unpackChecked(packCopy(meta), `meta of memory ${JSON.stringify(id)}`, (why) => new MnemoError('INTERNAL', why));
}

/** A record sharing nothing mutable with `r`; `decay` replaces its decay state when given. */
export function copyRecord(r: MemoryRecord, decay: DecayState = r.decay): MemoryRecord {
  return {
    id: r.id, space: r.space, content: r.content, embedding: r.embedding.slice(), kind: r.kind, created: r.created,
    recorded: r.recorded, confidence: { lo: r.confidence.lo, hi: r.confidence.hi }, decay: copyDecay(decay), meta: copyMeta(r.meta, r.id),
  };
}

export function copyAssociation(a: Association): Association {
  return {
    from: a.from, to: a.to, kind: a.kind, weight: a.weight, confidence: { lo: a.confidence.lo, hi: a.confidence.hi },
    created: a.created, recorded: a.recorded,
  };
}
