/**
 * The contents of one in-memory file of FaultEnv, with what an OS crash would leave of it:
 * `current` is what processes see; `durable` is what the last fsync made safe; `unsynced` lists
 * the writes since, in order, so a power cut can drop them, tear them or follow them with zeroes.
 */
import type { Rng } from './rng.js';

/** What a power cut does to unsynced data: drop all, keep a prefix cut at a random byte, or that plus a zero-filled tail. */
export type CrashMode = 'drop' | 'tear' | 'zero';

class Bytes {
  buf = new Uint8Array(256);
  len = 0;

  put(pos: number, bytes: Uint8Array): void {
    const end = pos + bytes.length;
    if (end > this.buf.length) {
      const grown = new Uint8Array(Math.max(end, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    if (pos > this.len) this.buf.fill(0, this.len, pos);
    this.buf.set(bytes, pos);
    this.len = Math.max(this.len, end);
  }

  copy(): Bytes {
    const b = new Bytes();
    b.put(0, this.buf.subarray(0, this.len));
    return b;
  }
}

export class MemInode {
  private current = new Bytes();
  private durable = new Bytes();
  private unsynced: Array<{ pos: number; bytes: Uint8Array }> = [];

  get size(): number {
    return this.current.len;
  }

  /** Bytes not yet made durable by a sync (for assertions in tests). */
  get unsyncedWrites(): number {
    return this.unsynced.length;
  }

  write(pos: number, bytes: Uint8Array): void {
    this.current.put(pos, bytes);
    this.unsynced.push({ pos, bytes: bytes.slice() });
  }

  truncateToZero(): void {
    this.current = new Bytes();
    this.unsynced = [];
    this.durable = new Bytes();
  }

  read(pos: number, out: Uint8Array): number {
    const n = Math.max(0, Math.min(out.length, this.current.len - pos));
    out.set(this.current.buf.subarray(pos, pos + n));
    return n;
  }

  contents(): Uint8Array {
    return this.current.buf.slice(0, this.current.len);
  }

  sync(): void {
    for (const w of this.unsynced) this.durable.put(w.pos, w.bytes);
    this.unsynced = [];
  }

  /** Replace the visible contents by what survives a power cut in `mode`. */
  crash(mode: CrashMode, rng: Rng): void {
    const before = this.current.len;
    const after = this.durable.copy();
    if (mode !== 'drop' && this.unsynced.length > 0) {
      const keep = rng.int(this.unsynced.length + 1);
      for (let i = 0; i < keep; i++) {
        const w = this.unsynced[i]!;
        after.put(w.pos, w.bytes);
      }
      const torn = this.unsynced[keep];
      if (torn !== undefined) after.put(torn.pos, torn.bytes.subarray(0, rng.int(torn.bytes.length + 1)));
      if (mode === 'zero' && after.len < before) after.put(after.len, new Uint8Array(before - after.len));
    }
    this.current = after;
    this.durable = after.copy();
    this.unsynced = [];
  }
}
