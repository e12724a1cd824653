/**
 * Interning of ids straight from a segment's UTF-8 string columns (docs/graph.md §2): an
 * open-addressing hash table over the bytes (FNV-1a), so each distinct id is decoded to a JS string
 * once, not once per occurrence (a 10M-edge segment names ~1M distinct targets 10M times).
 */
import type { StringColumn } from '../storage/segment/string-column.js';

export class ByteDict {
  readonly names: string[] = [];
  private table: Int32Array = new Int32Array(1 << 12).fill(-1);
  private hashes: Int32Array = new Int32Array(1 << 11);
  private starts: Int32Array = new Int32Array(1 << 11);
  private pool: Uint8Array = new Uint8Array(1 << 16);
  private poolLen = 0;

  /** Local number of string i of `col` (first-seen numbering). */
  internAt(col: StringColumn, i: number): number {
    const bytes = col.bytes;
    const a = col.start(i);
    const b = col.end(i);
    let h = 0x811c9dc5;
    for (let k = a; k < b; k++) h = Math.imul(h ^ (bytes[k] as number), 0x01000193);
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.table[slot] as number;
      if (id < 0) {
        const n = this.add(bytes, a, b, h, col.get(i));
        this.table[slot] = n;
        if (this.names.length * 2 > this.table.length) this.rehash();
        return n;
      }
      if (this.hashes[id] === h && this.same(id, bytes, a, b)) return id;
    }
  }

  private same(id: number, bytes: Uint8Array, a: number, b: number): boolean {
    const s = this.starts[id] as number;
    const e = id + 1 < this.names.length ? (this.starts[id + 1] as number) : this.poolLen;
    if (e - s !== b - a) return false;
    for (let k = 0; k < b - a; k++) if (this.pool[s + k] !== bytes[a + k]) return false;
    return true;
  }

  private add(bytes: Uint8Array, a: number, b: number, h: number, name: string): number {
    const n = this.names.length;
    if (n === this.hashes.length) {
      this.hashes = grownI32(this.hashes);
      this.starts = grownI32(this.starts);
    }
    while (this.poolLen + (b - a) > this.pool.length) {
      const p = new Uint8Array(this.pool.length * 2);
      p.set(this.pool);
      this.pool = p;
    }
    this.pool.set(bytes.subarray(a, b), this.poolLen);
    this.hashes[n] = h;
    this.starts[n] = this.poolLen;
    this.poolLen += b - a;
    this.names.push(name);
    return n;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let id = 0; id < this.names.length; id++) {
      let slot = (this.hashes[id] as number) & mask;
      while ((table[slot] as number) >= 0) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.table = table;
  }
}

function grownI32(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
