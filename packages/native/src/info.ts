/**
 * nativeInfo(): which implementation the top-level functions use and why, the SIMD level of the
 * distance kernels and the CRC32C implementation. docs/native_api.md "Backends".
 */
import { fallbackReason } from './addon.js';
import { active } from './backend.js';
import type { NativeInfo } from './types.js';

export function nativeInfo(): NativeInfo {
  const info: NativeInfo = { backend: active.name, simd: active.simd, crc32c: active.crc32cImpl };
  if (fallbackReason !== undefined) info.reason = fallbackReason;
  return info;
}
