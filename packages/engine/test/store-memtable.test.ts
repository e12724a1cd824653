/**
 * Memtable unit tests (docs/storage.md, "Memtable"): version chains and their trimming, what a
 * sequence number sees, id order, association indexes, size estimate and freezing.
 */
import { describe, expect, it } from 'vitest';
import { Memtable, compareIds, pushVersion, visibleAt, type PutRow, type Version } from '../src/storage/memtable/index.js';
import type { MemoryRecord } from '../src/model.js';

function rec(id: string, content = 'c'): MemoryRecord {
  return {
    id, space: 's', content, embedding: new Float32Array(4), kind: 'episodic', created: 1, recorded: 1,
    confidence: { lo: 1, hi: 1 }, decay: { count: 1, first: 1, last: 1, recentTimes: [1], recentDecays: [0.5], olderDecay: 0 }, meta: null,
  };
}

describe('version chains', () => {
  it('a reader at seq S sees the newest value with seq ≤ S', () => {
    let head: Version<string> | undefined;
    head = pushVersion(head, 1, 'a', 0);
    head = pushVersion(head, 5, 'b', 0);
    head = pushVersion(head, 9, 'c', 0);
    expect(visibleAt(head, 0)).toBeUndefined();
    expect(visibleAt(head, 1)?.value).toBe('a');
    expect(visibleAt(head, 8)?.value).toBe('b');
    expect(visibleAt(head, 100)?.value).toBe('c');
  });

  it('trims versions no open reader can see', () => {
    let head: Version<number> | undefined;
    for (let s = 1; s <= 10; s++) head = pushVersion(head, s, s, Infinity);
    let n = 0;
    for (let v = head; v; v = v.next) n++;
    expect(n).toBe(1);
    head = undefined;
    for (let s = 1; s <= 10; s++) head = pushVersion(head, s, s, 4);
    const seqs: number[] = [];
    for (let v = head; v; v = v.next) seqs.push(v.seq);
    expect(seqs).toEqual([10, 9, 8, 7, 6, 5, 4]);
    expect(visibleAt(head, 4)?.value).toBe(4);
  });
});

describe('Memtable', () => {
  it('applies puts, decay updates and deletes with MVCC visibility', () => {
    const mt = new Memtable(() => 0);
    mt.beginBatch(1);
    mt.putRecord(rec('b'), 1);
    mt.beginBatch(2);
    mt.putRecord(rec('a', 'x'), 2);
    mt.deleteMemory('s', 'b', 2);
    const t = mt.space('s');
    expect(t).toBeDefined();
    expect(t?.memoryAt('b', 1)?.t).toBe('put');
    expect(t?.memoryAt('b', 2)?.t).toBe('del');
    expect(t?.memoryAt('a', 1)).toBeUndefined();
    expect(t?.ids()).toEqual(['a', 'b']);
    expect(mt.minLsn).toBe(1);
    expect(mt.maxLsn).toBe(2);
    expect(mt.ops).toBe(3);
    expect(mt.bytes).toBeGreaterThan(0);
  });

  it('keeps outgoing and incoming association indexes', () => {
    const mt = new Memtable(() => Infinity);
    mt.beginBatch(1);
    const a = { from: 'x', to: 'y', kind: 'assoc', weight: 1, confidence: { lo: 1, hi: 1 }, created: 1, recorded: 1 };
    mt.putAssoc('s', a, 1);
    mt.putAssoc('s', { ...a, kind: 'next' }, 1);
    mt.deleteAssoc('s', 'x', 'y', 'assoc', 1);
    const t = mt.space('s');
    expect(t?.outgoing.get('x')?.size).toBe(2);
    expect([...(t?.incoming.get('y') ?? [])]).toEqual(['x']);
    expect(t?.assocAt('x\u0000y\u0000assoc', 1)?.t).toBe('del');
  });

  it('an id with one remembered row is stored packed (no chain) and seen only from its seq; its handle is reused', () => {
    const mt = new Memtable(() => Infinity);
    mt.beginBatch(4);
    mt.putRecord(rec('a', 'first'), 4);
    const t = mt.space('s')!;
    expect(typeof t.memories.get('a')).toBe('number');
    expect(t.memoryAt('a', 3)).toBeUndefined();
    const put = t.memoryAt('a', 4);
    expect(put?.t).toBe('put');
    expect(t.memoryAt('a', Infinity)).toBe(put);
    expect((put as PutRow).record).toBe((t.memoryAt('a', 9) as PutRow).record);
    expect((put as PutRow).record.content).toBe('first');
  });

  it('a second version builds the chain: an older reader keeps the packed row it saw; with none, the entry is packed again', () => {
    let oldest = 4;
    const mt = new Memtable(() => oldest);
    mt.beginBatch(4);
    mt.putRecord(rec('a', 'v4'), 4);
    mt.putRecord(rec('b', 'b4'), 4);
    mt.beginBatch(6);
    mt.putRecord(rec('a', 'v6'), 6);
    mt.putDecay('s', 'b', { count: 2, first: 1, last: 6, recentTimes: [1, 6], recentDecays: [0.5, 0.5], olderDecay: 0 }, 6);
    const t = mt.space('s')!;
    expect(typeof t.memories.get('a')).toBe('object');
    expect((t.memoryAt('a', 5) as PutRow).record.content).toBe('v4');
    expect((t.memoryAt('a', 6) as PutRow).record.content).toBe('v6');
    expect((t.memoryAt('b', 5) as PutRow).record.content).toBe('b4');
    expect(t.memoryAt('b', 6)?.t).toBe('decay');
    expect(t.memoryAt('a', 3)).toBeUndefined();
    oldest = Infinity;
    mt.beginBatch(8);
    mt.putRecord(rec('a', 'v8'), 8);
    expect(typeof t.memories.get('a')).toBe('number');
    expect(t.memoryAt('a', 7)).toBeUndefined();
    expect((t.memoryAt('a', 8) as PutRow).record.content).toBe('v8');
    mt.deleteMemory('s', 'a', 9);
    expect(t.memoryAt('a', 9)?.t).toBe('del');
    expect(t.memoryAt('a', 8)).toBeUndefined();
  });

  it('refuses writes once frozen and records the sealed LSN', () => {
    const mt = new Memtable(() => Infinity);
    mt.beginBatch(3);
    mt.putRecord(rec('a'), 3);
    mt.freeze(7);
    expect(mt.isFrozen).toBe(true);
    expect(mt.sealedLsn).toBe(7);
    expect(() => mt.beginBatch(8)).toThrow(/frozen/);
    expect(() => mt.putRecord(rec('b'), 8)).toThrow(/frozen/);
  });

  it('orders ids by code point (UTF-8 byte order), not UTF-16 units', () => {
    const ids = ['b', 'a', '\u{1F600}', '\uFFFD', 'ab', ''];
    expect([...ids].sort(compareIds)).toEqual(['', 'a', 'ab', 'b', '\uFFFD', '\u{1F600}']);
    const bytes = [...ids].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...ids].sort(compareIds)).toEqual(bytes);
  });
});
