/**
 * Loads the compiled addon (build/Release/mnemo_native.node) once and decides the backend:
 * native unless MNEMO_NATIVE=0 or the addon failed to load. Every module of this package asks
 * here; nothing else touches the .node file.
 */
import { createRequire } from 'node:module';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AddonHandle = Record<string, any>;

const require = createRequire(import.meta.url);

/** Functions the TypeScript layer calls; a build missing any of them (stale) counts as not loadable. */
const REQUIRED = ['mmap', 'munmap', 'madvise', 'lock', 'unlock', 'fsyncDir', 'pwriteDatasync', 'crc32c', 'crc32cSoftware',
  'crc32cLevel', 'dot', 'l2sq', 'cosine', 'scoreBatch', 'topK', 'simdLevel', 'benchSumF32',
  'hnswBuild', 'HnswHandle', 'hnswQuantKernels', 'SpreadHandle', 'checkStrings'] as const;

function tryRequire(): { addon: AddonHandle | null; reason?: string } {
  let a: AddonHandle;
  try {
    a = require('../build/Release/mnemo_native.node') as AddonHandle;
  } catch (e) {
    return { addon: null, reason: `addon failed to load: ${(e as Error).message}` };
  }
  const missing = REQUIRED.filter((f) => typeof a[f] !== 'function');
  if (missing.length > 0 || typeof a.scalar !== 'object') {
    return { addon: null, reason: `addon is out of date (missing ${missing.join(', ') || 'scalar'}); run node-gyp rebuild` };
  }
  return { addon: a };
}

function load(): { addon: AddonHandle | null; reason?: string } {
  if (process.env.MNEMO_NATIVE === '0') return { addon: null, reason: 'MNEMO_NATIVE=0' };
  return tryRequire();
}

const loaded = load();

/** The addon, or null when the pure-TypeScript fallback is in use. */
export const addon: AddonHandle | null = loaded.addon;
/** Why the fallback is active (undefined when native). */
export const fallbackReason: string | undefined = loaded.reason;

/**
 * The addon regardless of MNEMO_NATIVE (for parity tests and for OS facilities without a JS
 * equivalent). Null only if the addon could not be loaded at all.
 */
export function loadAddonForce(): AddonHandle | null {
  return loaded.addon ?? tryRequire().addon;
}
