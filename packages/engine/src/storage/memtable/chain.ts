/**
 * Version chains for the memtable's multi-version concurrency control (docs/storage.md, "Snapshots").
 * Every key keeps its values newest first, each tagged with the LSN of the batch that wrote it; a
 * snapshot at sequence S sees the newest value with seq ≤ S. Chains are trimmed on write to what
 * the oldest open snapshot can still see, so a hot key does not grow without bound.
 */

export interface Version<V> {
  readonly seq: number;
  readonly value: V;
  next: Version<V> | undefined;
}

/** The newest value visible at `seq`, or undefined when the key did not exist yet. */
export function visibleAt<V>(head: Version<V> | undefined, seq: number): Version<V> | undefined {
  let v = head;
  while (v !== undefined && v.seq > seq) v = v.next;
  return v;
}

/**
 * Push `value` at `seq` in front of `head` and drop versions no snapshot can see any more:
 * everything after the newest version with seq ≤ `oldestReader` (the oldest seq a read can use:
 * the oldest open snapshot's, or the last acknowledged LSN when older).
 */
export function pushVersion<V>(head: Version<V> | undefined, seq: number, value: V, oldestReader: number): Version<V> {
  const v: Version<V> = { seq, value, next: head };
  let cur: Version<V> | undefined = v;
  while (cur !== undefined && cur.seq > oldestReader) cur = cur.next;
  if (cur !== undefined) cur.next = undefined;
  return v;
}
