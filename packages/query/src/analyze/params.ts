/**
 * Looking up a bound parameter (`$name` in an object, `?` by position in an array). Values are
 * taken as JavaScript values and never re-parsed as MQL (docs/mql_reference.md §"Parameters").
 */
import { MnemoError } from '@mnemo/engine';
import type { Param } from '../ast/index.js';
import type { Params } from '../api/result.js';

export function paramLabel(p: Param): string {
  return p.name !== null ? `$${p.name}` : `? #${(p.position ?? 0) + 1}`;
}

/** The value bound to `p`; MISSING_PARAMETER when there is none (undefined counts as missing). */
export function lookupParam(params: Params | undefined, p: Param): unknown {
  let value: unknown;
  if (p.name !== null) {
    if (params !== undefined && !Array.isArray(params) && Object.prototype.hasOwnProperty.call(params, p.name)) {
      value = (params as Record<string, unknown>)[p.name];
    }
  } else if (Array.isArray(params)) {
    value = params[p.position ?? 0];
  }
  if (value === undefined) {
    const how = p.name !== null ? `pass { ${p.name}: ... } as the parameters object` : 'pass an array with one value per ?';
    throw new MnemoError('MISSING_PARAMETER', `no value bound to parameter ${paramLabel(p)}; ${how}`, { parameter: paramLabel(p) });
  }
  return value;
}

export function typeError(p: Param | null, want: string, got: unknown): MnemoError {
  const where = p ? `parameter ${paramLabel(p)}` : 'value';
  return new MnemoError('TYPE_ERROR', `${where} must be ${want}, got ${describeValue(got)}`, p ? { parameter: paramLabel(p) } : {});
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Float32Array) return `a Float32Array of ${v.length}`;
  if (v instanceof Date) return 'a Date';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${typeof v === 'object' ? '' : String(v)}`.trim();
}
