/**
 * Unit tests of the TypeScript SPREAD kernel's helpers (src/spread-table.ts; docs/graph.md §5):
 * NodeTable (find/add, insertion order, fields kept across growth, reset and shrink) and the
 * Int32Array merge sort against a stable Array.prototype.sort.
 */
import { describe, expect, it } from 'vitest';
import { NodeTable, sortNodesBy } from '../src/spread-table.js';
import { rng } from './helpers.js';

describe('NodeTable', () => {
  it('adds, finds and keeps fields and insertion order across growth; reset empties and shrinks', () => {
    const r = rng(1);
    const t = new NodeTable();
    const model = new Map<number, number>();
    const order: number[] = [];
    let wrongNew = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = Math.floor(r() * 5_000_000);
      const before = t.size;
      const s = t.add(v);
      if ((t.size > before) === model.has(v)) wrongNew++;
      if (t.size > before) {
        model.set(v, i);
        order.push(v);
        t.a[s] = i;
        t.hops[s] = i % 7;
      }
    }
    expect(wrongNew).toBe(0);
    expect(t.size).toBe(model.size);
    expect(t.keys.length).toBeGreaterThan(1 << 16);
    let wrongField = 0;
    for (const [v, i] of model) {
      const s = t.find(v);
      if (t.a[s] !== i || t.hops[s] !== i % 7) wrongField++;
    }
    expect(wrongField).toBe(0);
    expect(Array.from(t.slots.subarray(0, t.size), (s) => t.keys[s])).toEqual(order);
    expect(t.find(5_000_001)).toBe(-1);
    t.reset();
    expect(t.size).toBe(0);
    expect(t.keys.length).toBe(1 << 10);
    expect(t.find(order[0] as number)).toBe(-1);
    const s = t.add(7);
    expect([t.a[s], t.hops[s], t.path[s], t.mark[s]]).toEqual([0, 0, 0, 0]);
  });
});

describe('Int32Array merge sort', () => {
  it('equals a stable Array.prototype.sort for many sizes and many ties', () => {
    const r = rng(2);
    for (let k = 0; k < 300; k++) {
      const n = Math.floor(r() * 200);
      const key = Array.from({ length: n }, () => Math.floor(r() * 20));
      const idx = Int32Array.from({ length: n }, (_, i) => i);
      const want = [...idx].sort((a, b) => (key[a] as number) - (key[b] as number));
      expect([...sortNodesBy(idx, (a, b) => (key[a] as number) < (key[b] as number))]).toEqual(want);
    }
  });
});
