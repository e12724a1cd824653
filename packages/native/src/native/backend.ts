/**
 * The addon as a RawBackend. By default the kernels the addon chose at load (AVX2+FMA unless the
 * CPU lacks it or MNEMO_SIMD=scalar; SSE4.2 CRC32C when present); `simd: 'scalar'` and
 * `crc32c: 'software'` force the portable C++ paths for parity tests. docs/native_api.md "Backends".
 */
import type { AddonHandle } from '../addon.js';
import type { RawBackend } from '../raw-backend.js';
import type { BackendOptions, NativeInfo } from '../types.js';
import { nativeMapFile } from './mapping.js';

export function nativeBackend(addon: AddonHandle, opts: BackendOptions = {}): RawBackend {
  const k: AddonHandle = opts.simd === 'scalar' ? addon.scalar : addon;
  const crc = (opts.crc32c === 'software' ? addon.crc32cSoftware : addon.crc32c) as (d: Uint8Array, s: number) => number;
  return {
    name: 'native',
    simd: (opts.simd === 'scalar' ? 'scalar' : addon.simdLevel()) as NativeInfo['simd'],
    crc32cImpl: (opts.crc32c === 'software' ? 'software' : addon.crc32cLevel()) as NativeInfo['crc32c'],
    crc32c: crc,
    dot: k.dot,
    l2sq: k.l2sq,
    cosine: k.cosine,
    scoreBatch: k.scoreBatch,
    topK: k.topK,
    mapFile: (path, offset, length) => nativeMapFile(addon, path, offset, length),
  };
}
