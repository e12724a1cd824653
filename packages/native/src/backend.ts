/**
 * backend(name): the kernels, CRC32C and mapFile of one implementation behind the same argument
 * checks as the top-level functions, for parity tests and benchmarks; and the active backend
 * (native unless MNEMO_NATIVE=0 or the addon failed to load). docs/native_api.md "Backends".
 */
import { addon, loadAddonForce } from './addon.js';
import { MnemoError } from './errors.js';
import { jsBackend } from './js/backend.js';
import { nativeBackend } from './native/backend.js';
import { METRIC_ID, type RawBackend } from './raw-backend.js';
import type { Backend, BackendName, BackendOptions, MapOptions, Metric, TopK } from './types.js';
import * as v from './validate.js';

function pair(raw: (a: Float32Array, b: Float32Array) => number): (a: Float32Array, b: Float32Array) => number {
  return (a, b) => {
    v.assertF32(a, 'a');
    v.assertF32(b, 'b');
    v.assertSameLength(a, b);
    return raw(a, b);
  };
}

function scoreBatchOf(raw: RawBackend): Backend['scoreBatch'] {
  return (metric: Metric, query: Float32Array, rows: Float32Array, out?: Float32Array) => {
    v.assertMetric(metric);
    v.assertF32(query, 'query');
    v.assertF32(rows, 'rows');
    const n = v.rowCount(query, rows);
    let dst = out ?? new Float32Array(n);
    if (out !== undefined) {
      v.assertF32(out, 'out');
      if (out.length < n) throw v.invalid(`out has ${out.length} elements, ${n} rows need scores`);
      if (v.overlaps(out, rows) || v.overlaps(out, query)) throw v.invalid('out must not overlap query or rows');
      if (out.length > n) dst = out.subarray(0, n);
    }
    raw.scoreBatch(METRIC_ID[metric], query, rows, dst);
    return dst;
  };
}

function topKOf(raw: RawBackend): Backend['topK'] {
  return (metric: Metric, query: Float32Array, rows: Float32Array, k: number): TopK => {
    v.assertMetric(metric);
    v.assertF32(query, 'query');
    v.assertF32(rows, 'rows');
    v.assertCount(k, 'k');
    const n = Math.min(k, v.rowCount(query, rows));
    const indices = new Uint32Array(n);
    const scores = new Float32Array(n);
    raw.topK(METRIC_ID[metric], query, rows, indices, scores);
    return { indices, scores };
  };
}

function mapFileOf(raw: RawBackend): Backend['mapFile'] {
  return (path: string, opts: MapOptions = {}) => {
    v.assertPath(path);
    const offset = opts.offset ?? 0;
    v.assertCount(offset, 'offset');
    if (opts.length !== undefined) v.assertCount(opts.length, 'length');
    return raw.mapFile(path, offset, opts.length);
  };
}

/** Wrap a RawBackend with the argument checks (the C++ trusts validated input). */
export function validated(raw: RawBackend): Backend {
  return {
    name: raw.name,
    simd: raw.simd,
    crc32cImpl: raw.crc32cImpl,
    crc32c: (data: Uint8Array, seed = 0) => {
      v.assertBytes(data, 'data');
      v.assertSeed(seed);
      return raw.crc32c(data, seed);
    },
    dot: pair(raw.dot),
    l2sq: pair(raw.l2sq),
    cosine: pair(raw.cosine),
    scoreBatch: scoreBatchOf(raw),
    topK: topKOf(raw),
    mapFile: mapFileOf(raw),
  };
}

/**
 * A specific backend regardless of MNEMO_NATIVE. 'native' throws NOT_SUPPORTED when the addon
 * cannot be loaded. Options force the portable C++ paths (see BackendOptions).
 */
export function backend(name: BackendName, opts: BackendOptions = {}): Backend {
  if (name === 'js') return validated(jsBackend);
  if (name !== 'native') throw v.invalid(`unknown backend ${String(name)} (use 'native' or 'js')`);
  const a = loadAddonForce();
  if (a === null) throw new MnemoError('NOT_SUPPORTED', 'the @mnemo/native addon is not built or cannot be loaded');
  return validated(nativeBackend(a, opts));
}

/** The backend the top-level functions use. */
export const active: Backend = validated(addon === null ? jsBackend : nativeBackend(addon));
