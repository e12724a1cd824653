/**
 * Range checks of clause values that may come from parameters (literals are also checked by the
 * parser): LIMIT an integer ≥ 0, THRESHOLD/SIMILARITY/NOVELTY in [0, 1], MAX_HOPS ≤ the limit.
 */
import { MnemoError } from '@mnemo/engine';
import type { NumberValue } from '../ast/index.js';
import type { Params } from '../api/result.js';
import { evalNumber } from './values.js';

function invalid(what: string, want: string, v: number): MnemoError {
  return new MnemoError('INVALID_ARGUMENT', `${what} must be ${want}, got ${v}`);
}

export function evalCount(node: NumberValue | null, params: Params | undefined, what: string): number | null {
  if (node === null) return null;
  const v = evalNumber(node, params);
  if (!Number.isInteger(v) || v < 0) throw invalid(what, 'an integer >= 0', v);
  return v;
}

export function evalUnit(node: NumberValue | null, params: Params | undefined, what: string): number | null {
  if (node === null) return null;
  const v = evalNumber(node, params);
  if (!(v >= 0 && v <= 1)) throw invalid(what, 'in [0, 1]', v);
  return v;
}

export function evalMaxHops(node: NumberValue | null, params: Params | undefined, limit: number): number | null {
  const v = evalCount(node, params, 'MAX_HOPS');
  if (v !== null && v > limit) {
    throw new MnemoError('LIMIT_EXCEEDED', `MAX_HOPS ${v} is above the maxHops limit ${limit}; use a smaller MAX_HOPS or raise limits.maxHops`, {
      limit: 'maxHops', value: limit,
    });
  }
  return v;
}
