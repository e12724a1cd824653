/**
 * The pure-TypeScript RawBackend: kernels, CRC32C and the read-into-memory mapFile.
 * Selected by MNEMO_NATIVE=0 or when the addon cannot load. docs/native_api.md "Backends".
 */
import type { RawBackend } from '../raw-backend.js';
import { crc32cJs } from './crc32c.js';
import { cosineJs, dotJs, l2sqJs, scoreBatchJs } from './distance.js';
import { jsMapFile } from './mmap.js';
import { topKJs } from './top-k.js';

export const jsBackend: RawBackend = {
  name: 'js',
  simd: 'js',
  crc32cImpl: 'js',
  crc32c: crc32cJs,
  dot: dotJs,
  l2sq: l2sqJs,
  cosine: cosineJs,
  scoreBatch: scoreBatchJs,
  topK: topKJs,
  mapFile: jsMapFile,
};
