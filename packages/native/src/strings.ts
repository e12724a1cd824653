/**
 * checkStringColumn: the structure check of a strings column (offsets u32[n + 1] over UTF-8 bytes)
 * that segment open runs on every id column — offsets never decrease and stay inside the bytes,
 * (text) no string starts on a UTF-8 continuation byte, (sorted) each string is strictly above
 * the previous one in byte order. The C++ kernel (src/cpp/strings.cc) or, with MNEMO_NATIVE=0 or
 * no addon, the TypeScript twin below; both report the same first failure. docs/native_api.md
 * "checkStrings".
 */
import { addon, loadAddonForce } from './addon.js';
import { MnemoError } from './errors.js';

export type StringColumnFault = 'offset' | 'mid-character' | 'order';

/** The first entry that breaks the rule and how; null when the column is well formed. */
export interface StringColumnProblem {
  index: number;
  fault: StringColumnFault;
}

export interface StringCheckOptions {
  /** The bytes are UTF-8 text: no string may start inside a character. */
  text: boolean;
  /** Strings must be strictly ascending in byte order. */
  sorted: boolean;
}

const FAULTS: readonly StringColumnFault[] = ['offset', 'mid-character', 'order'];

type RawCheck = (off: Uint32Array, b: Uint8Array, text: boolean, sorted: boolean) => number;

/** The TypeScript twin of strings.cc: -1, or index * 4 + reason (1 offset, 2 mid-character, 3 order). */
export function checkStringsJs(off: Uint32Array, b: Uint8Array, text: boolean, sorted: boolean): number {
  const n = off.length - 1;
  const len = b.length;
  let prev = 0;
  let start = off[0] as number;
  if (start > len) return 1;
  for (let i = 0; i < n; i++) {
    const end = off[i + 1] as number;
    if (end < start || end > len) return i * 4 + 1;
    if (text && start < len && ((b[start] as number) & 0xc0) === 0x80) return i * 4 + 2;
    if (sorted && i > 0 && !ascending(b, prev, start, end)) return i * 4 + 3;
    prev = start;
    start = end;
  }
  return -1;
}

/** b[a, m) < b[m, e) in byte order. */
function ascending(b: Uint8Array, a: number, m: number, e: number): boolean {
  const la = m - a;
  const lb = e - m;
  const n = la < lb ? la : lb;
  for (let k = 0; k < n; k++) {
    const d = (b[a + k] as number) - (b[m + k] as number);
    if (d !== 0) return d < 0;
  }
  return la < lb;
}

function checker(raw: RawCheck): (off: Uint32Array, b: Uint8Array, o: StringCheckOptions) => StringColumnProblem | null {
  return (off, b, o) => {
    if (!(off instanceof Uint32Array) || off.length === 0) throw new MnemoError('INVALID_ARGUMENT', 'offsets must be a non-empty Uint32Array (n + 1 entries)');
    if (!(b instanceof Uint8Array)) throw new MnemoError('INVALID_ARGUMENT', 'bytes must be a Uint8Array');
    const r = raw(off, b, o.text, o.sorted);
    return r < 0 ? null : { index: Math.floor(r / 4), fault: FAULTS[(r % 4) - 1] as StringColumnFault };
  };
}

const nativeRaw = (a: ReturnType<typeof loadAddonForce>): RawCheck | null =>
  a !== null && typeof a.checkStrings === 'function' ? (a.checkStrings as RawCheck) : null;

/** The active implementation (native unless MNEMO_NATIVE=0 or the addon is missing). */
export const checkStringColumn = checker(nativeRaw(addon) ?? checkStringsJs);

/** One implementation regardless of MNEMO_NATIVE (parity tests, benchmarks); null if not loadable. */
export function stringColumnChecker(name: 'native' | 'js'): ((off: Uint32Array, b: Uint8Array, o: StringCheckOptions) => StringColumnProblem | null) | null {
  if (name === 'js') return checker(checkStringsJs);
  const raw = nativeRaw(loadAddonForce());
  return raw === null ? null : checker(raw);
}
