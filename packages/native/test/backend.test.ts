/**
 * Backend selection: native by default, MNEMO_NATIVE=0 → the pure-TS backend (kernels and
 * mmap) with the reason reported, MNEMO_SIMD=scalar → scalar C++ distances; backend() errors.
 */
import { describe, expect, it } from 'vitest';
import { backend, isMnemoError, nativeInfo } from '../src/index.js';
import { runChild } from './helpers.js';

const probe = `import * as n from $native;
  const m = n.mapFile(process.execPath, { length: 16 }); const native = m.native; m.unmap();
  console.log(JSON.stringify({ info: n.nativeInfo(), mapNative: native, dot: n.dot(new Float32Array([1, 2]), new Float32Array([3, 4])) }));`;

describe('backend selection', () => {
  const disabled = process.env.MNEMO_NATIVE === '0';
  it(`is ${disabled ? 'js (MNEMO_NATIVE=0 in this run)' : 'native (the addon is built)'} in this process`, () => {
    const info = nativeInfo();
    expect(info.backend).toBe(disabled ? 'js' : 'native');
    expect(info.reason).toBe(disabled ? 'MNEMO_NATIVE=0' : undefined);
  });

  it('MNEMO_NATIVE=0 in a child selects the JS backend for kernels and mapFile', () => {
    const r = runChild(probe, { MNEMO_NATIVE: '0' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.info).toEqual({ backend: 'js', simd: 'js', crc32c: 'js', reason: 'MNEMO_NATIVE=0' });
    expect(out.mapNative).toBe(false);
    expect(out.dot).toBe(11);
  });

  it('MNEMO_SIMD=scalar in a child forces the scalar C++ distances', () => {
    const out = JSON.parse(runChild(probe, { MNEMO_SIMD: 'scalar', MNEMO_NATIVE: '1' }).stdout);
    expect(out.info.backend).toBe('native');
    expect(out.info.simd).toBe('scalar');
    expect(out.mapNative).toBe(true);
    expect(out.dot).toBe(11);
  });

  it('backend() names its implementation and rejects unknown names', () => {
    expect(backend('js').name).toBe('js');
    expect(backend('native').name).toBe('native');
    expect(backend('native', { simd: 'scalar', crc32c: 'software' })).toMatchObject({ simd: 'scalar', crc32cImpl: 'software' });
    try {
      backend('wasm' as 'js');
      throw new Error('expected INVALID_ARGUMENT');
    } catch (e) {
      expect(isMnemoError(e, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
