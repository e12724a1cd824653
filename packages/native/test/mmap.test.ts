/**
 * mapFile on both backends: whole file, unaligned range, zero length, out-of-range and missing
 * files as typed errors, unmap semantics (RELEASED, old views length 0, idempotent), madvise
 * ranges; native only: MAP_SHARED sees pwrite, and the GC unmaps what the user never did.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, isMnemoError, mapFile, type Advice } from '../src/index.js';
import { randomBytes, rng, runChild, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const data = randomBytes(rng(8), 3 * 4096 + 123);
const file = path.join(tmp.dir, 'data.bin');
writeFileSync(file, data);
const empty = path.join(tmp.dir, 'empty.bin');
writeFileSync(empty, new Uint8Array(0));

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isMnemoError(e) ? e.code : `not a MnemoError: ${String(e)}`;
  }
  return undefined;
}

for (const be of [backend('native'), backend('js')]) {
  describe(`mapFile (${be.name})`, () => {
    it('maps a whole file', () => {
      const m = be.mapFile(file);
      expect(m.native).toBe(be.name === 'native');
      expect(m.byteLength).toBe(data.length);
      expect(m.fileOffset).toBe(0);
      expect(new Uint8Array(m.buffer)).toEqual(data);
      m.unmap();
    });

    it('maps a range at an unaligned offset; the buffer starts exactly at that offset', () => {
      for (const [offset, length] of [[5000, 3000], [1, 1], [4095, 2], [4096, 4096], [12000, data.length - 12000]] as const) {
        const m = be.mapFile(file, { offset, length });
        expect(m.byteLength).toBe(length);
        expect(m.fileOffset).toBe(offset);
        expect(new Uint8Array(m.buffer)).toEqual(data.subarray(offset, offset + length));
        m.unmap();
      }
      const tail = be.mapFile(file, { offset: 777 });
      expect(new Uint8Array(tail.buffer)).toEqual(data.subarray(777));
      tail.unmap();
    });

    it('zero-length maps give an empty buffer', () => {
      for (const m of [be.mapFile(empty), be.mapFile(file, { offset: 100, length: 0 }), be.mapFile(file, { offset: data.length })]) {
        expect(m.byteLength).toBe(0);
        expect(m.buffer.byteLength).toBe(0);
        m.advise('willneed');
        m.unmap();
        expect(code(() => m.buffer)).toBe('RELEASED');
      }
    });

    it('ranges outside the file are INVALID_ARGUMENT naming the size; missing files IO_ERROR', () => {
      expect(code(() => be.mapFile(file, { offset: 0, length: data.length + 1 }))).toBe('INVALID_ARGUMENT');
      expect(code(() => be.mapFile(file, { offset: data.length + 1 }))).toBe('INVALID_ARGUMENT');
      expect(code(() => be.mapFile(file, { offset: 10, length: data.length - 9 }))).toBe('INVALID_ARGUMENT');
      expect(code(() => be.mapFile(file, { offset: -1 }))).toBe('INVALID_ARGUMENT');
      expect(code(() => be.mapFile(file, { length: 1.5 }))).toBe('INVALID_ARGUMENT');
      expect(code(() => be.mapFile(''))).toBe('INVALID_ARGUMENT');
      try {
        be.mapFile(file, { offset: 10, length: data.length });
      } catch (e) {
        expect((e as Error).message).toContain(`the file has ${data.length} bytes`);
      }
      expect(code(() => be.mapFile(path.join(tmp.dir, 'missing.bin')))).toBe('IO_ERROR');
      expect(code(() => be.mapFile(tmp.dir))).toBe('INVALID_ARGUMENT');
    });

    it('after unmap: buffer throws RELEASED, old views have length 0, unmap is idempotent', () => {
      const m = be.mapFile(file, { offset: 4100, length: 5000 });
      const u8 = new Uint8Array(m.buffer);
      const f32 = new Float32Array(m.buffer, 8, 100);
      const dv = new DataView(m.buffer);
      expect(u8[0]).toBe(data[4100]);
      m.unmap();
      expect(m.released).toBe(true);
      expect(code(() => m.buffer)).toBe('RELEASED');
      expect(code(() => m.advise('random'))).toBe('RELEASED');
      expect(u8.length).toBe(0);
      expect(f32.length).toBe(0);
      expect(u8[0]).toBeUndefined();
      expect(f32[10]).toBeUndefined();
      expect(() => dv.getUint8(0)).toThrow(TypeError);
      m.unmap();
      expect(m.released).toBe(true);
    });

    it('advise accepts every advice over sub-ranges and rejects bad ranges/advice', () => {
      const m = be.mapFile(file, { offset: 3, length: 9000 });
      for (const a of ['normal', 'random', 'sequential', 'willneed', 'dontneed'] as Advice[]) {
        m.advise(a);
        m.advise(a, 1, 1);
        m.advise(a, 4093, 4200);
        m.advise(a, 8999);
      }
      // dontneed on a read-only shared mapping only drops pages: the bytes read back unchanged.
      expect(new Uint8Array(m.buffer)).toEqual(data.subarray(3, 9003));
      expect(code(() => m.advise('willneed', 0, 9001))).toBe('INVALID_ARGUMENT');
      expect(code(() => m.advise('willneed', 9001))).toBe('INVALID_ARGUMENT');
      expect(code(() => m.advise('later' as Advice))).toBe('INVALID_ARGUMENT');
      m.unmap();
    });
  });
}

describe('mapFile (native only)', () => {
  it('is MAP_SHARED: a pwrite to the file is visible through an existing mapping', () => {
    const f = path.join(tmp.dir, 'shared.bin');
    writeFileSync(f, new Uint8Array(10_000));
    const m = backend('native').mapFile(f, { offset: 4097, length: 5000 });
    const view = new Uint8Array(m.buffer);
    expect(view[100]).toBe(0);
    const fd = openSync(f, 'r+');
    writeSync(fd, Uint8Array.of(7, 8, 9), 0, 3, 4097 + 100);
    closeSync(fd);
    expect(Array.from(view.subarray(100, 103))).toEqual([7, 8, 9]);
    m.unmap();
  });

  it('the default mapFile is the native one unless MNEMO_NATIVE=0', () => {
    const m = mapFile(file, { length: 10 });
    expect(m.native).toBe(process.env.MNEMO_NATIVE !== '0');
    m.unmap();
  });

  it('the garbage collector unmaps mappings that were never unmapped (and not the others twice)', () => {
    const r = runChild(
      `
      import { backend } from $native;
      const { mapFile } = backend('native');
      import { readFileSync } from 'node:fs';
      const file = ${JSON.stringify(file)};
      const count = () => readFileSync('/proc/self/maps', 'utf8').split('\\n').filter((l) => l.endsWith(file)).length;
      (() => { for (let i = 0; i < 200; i++) mapFile(file, { offset: 4096 }); })();
      // explicitly unmapped ones must not be unmapped a second time by their finalizers
      (() => { for (let i = 0; i < 100; i++) { const m = mapFile(file, { offset: 4096 }); new Uint8Array(m.buffer); m.unmap(); } })();
      const before = count();
      for (let i = 0; i < 10 && count() > 0; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
      const after = count();
      // a view kept after its Mapping object is dropped keeps the pages mapped and readable
      const kept = (() => new Uint8Array(mapFile(file, { offset: 4096 }).buffer))();
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
      const expected = readFileSync(file).subarray(4096);
      console.log(JSON.stringify({ before, after, keptMaps: count(), keptOk: Buffer.compare(Buffer.from(kept), expected) === 0 }));
      `,
      {},
      ['--expose-gc'],
    );
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { before: number; after: number; keptMaps: number; keptOk: boolean };
    expect(out).toEqual({ before: 200, after: 0, keptMaps: 1, keptOk: true });
  });
});
