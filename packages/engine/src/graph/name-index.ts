/**
 * Id → node number of a resolved association graph (docs/graph.md §3): open addressing with
 * linear probing over one Int32Array of (hash, node) pairs, at most half full. A SPREAD resolves
 * its sources here with cold caches: a V8 `Map` of 1M string keys walks bucket → entry → key
 * string, dependent loads on scattered heap pages, where this table reads one slot pair, holding
 * the full 32-bit hash so that a probe of another id almost never touches that id's string, and
 * then the names array and the one string that confirms the match (one cold lookup among 1M ids,
 * after an SQLite query: 7.4 µs with the `Map`, 4.7 µs here). 8 bytes per slot, 16–32 bytes per
 * node: 16.8 MB for 1M ids, where the `Map` took 29 MB.
 */
import { MnemoError } from '@mnemo/native';
import { PROCESS_SEED, hashString } from '../storage/segment/id-hash.js';

/** Largest node count an index takes (2^27 nodes → 2^28 slots → a 2 GiB table). */
const MAX_NODES = 2 ** 27;

export class NameIndex {
  /** slots[2k] = hash of the node in slot k, slots[2k + 1] = its node number, or −1 when empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** Indexes distinct `names` (node u ↔ names[u]); `seed` only changes the layout (tests). */
  constructor(
    private readonly names: readonly string[],
    private readonly seed = PROCESS_SEED,
  ) {
    const n = names.length;
    if (n > MAX_NODES) throw new MnemoError('LIMIT_EXCEEDED', `association graph has ${n} nodes; at most ${MAX_NODES} can be indexed`);
    let capacity = 8;
    while (capacity < 2 * n) capacity *= 2;
    this.mask = capacity - 1;
    const slots = new Int32Array(2 * capacity);
    for (let k = 1; k < slots.length; k += 2) slots[k] = -1;
    for (let u = 0; u < n; u++) {
      const h = hashString(names[u] as string, seed);
      let k = h & this.mask;
      while ((slots[2 * k + 1] as number) >= 0) k = (k + 1) & this.mask;
      slots[2 * k] = h;
      slots[2 * k + 1] = u;
    }
    this.slots = slots;
  }

  /** Node number of `name`, or −1. */
  get(name: string): number {
    const { slots, mask, names } = this;
    const h = hashString(name, this.seed);
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const u = slots[2 * k + 1] as number;
      if (u < 0) return -1;
      if (slots[2 * k] === h && names[u] === name) return u;
    }
  }
}
