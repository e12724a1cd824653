/**
 * Evaluating literal and parameter nodes to JavaScript values with type checks per clause
 * (TYPE_ERROR naming the parameter): numbers, strings, ids, vectors, confidence intervals and
 * metadata objects. docs/mql_reference.md §"Parameters" lists what each clause accepts.
 */
import { MnemoError, type Interval } from '@mnemo/engine';
import type {
  ConfidenceValue, IdRef, JsonValue, NumberValue, ObjectValue, StringValue, Value, VectorValue,
} from '../ast/index.js';
import type { Params } from '../api/result.js';
import { lookupParam, typeError } from './params.js';

export function evalNumber(node: NumberValue, params: Params | undefined): number {
  if (node.kind === 'Literal.Number') return node.value;
  const v = lookupParam(params, node);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw typeError(node, 'a finite number', v);
  return v;
}

export function evalString(node: StringValue, params: Params | undefined): string {
  if (node.kind === 'Literal.String') return node.value;
  const v = lookupParam(params, node);
  if (typeof v !== 'string') throw typeError(node, 'a string', v);
  return v;
}

/** A memory id or space name. */
export function evalId(node: IdRef, params: Params | undefined): string {
  if (node.kind === 'Id') return node.name;
  const v = lookupParam(params, node);
  if (typeof v !== 'string' || v.length === 0) throw typeError(node, 'a non-empty string (an id)', v);
  return v;
}

export function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number');
}

export function toVector(v: unknown, node: VectorValue | null): Float32Array {
  if (v instanceof Float32Array) return v;
  if (v instanceof Float64Array || isNumberArray(v)) {
    const out = Float32Array.from(v);
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i] as number)) throw new MnemoError('TYPE_ERROR', `vector component ${i} is not a finite number`);
    }
    return out;
  }
  throw typeError(node && node.kind === 'Param' ? node : null, 'a vector (number[] or Float32Array)', v);
}

export function evalVector(node: VectorValue, params: Params | undefined): Float32Array {
  if (node.kind === 'Literal.Vector') return toVector(node.values, node);
  return toVector(lookupParam(params, node), node);
}

function checkInterval(lo: number, hi: number, node: ConfidenceValue | null): Interval {
  const ok = (x: number): boolean => Number.isFinite(x) && x >= 0 && x <= 1;
  if (!ok(lo) || !ok(hi) || lo > hi) {
    const where = node?.kind === 'Param' ? `parameter ${node.name !== null ? '$' + node.name : '?'}: ` : '';
    throw new MnemoError('INVALID_ARGUMENT', `${where}confidence must be c or [lo, hi] with 0 <= lo <= hi <= 1, got [${lo}, ${hi}]`);
  }
  return { lo, hi };
}

/** A confidence from a JS value: c, [lo, hi] or { lo, hi }. */
export function confidenceFromValue(v: unknown, node: ConfidenceValue | null): Interval {
  if (typeof v === 'number') return checkInterval(v, v, node);
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return checkInterval(v[0], v[1], node);
  if (v !== null && typeof v === 'object' && typeof (v as Interval).lo === 'number' && typeof (v as Interval).hi === 'number') {
    return checkInterval((v as Interval).lo, (v as Interval).hi, node);
  }
  throw typeError(node?.kind === 'Param' ? node : null, 'a confidence (a number or [lo, hi])', v);
}

export function evalConfidence(node: ConfidenceValue, params: Params | undefined): Interval {
  if (node.kind === 'Literal.Number') return checkInterval(node.value, node.value, node);
  if (node.kind === 'Literal.Interval') return checkInterval(node.lo, node.hi, node);
  return confidenceFromValue(lookupParam(params, node), node);
}

export function evalJson(node: JsonValue, params: Params | undefined): unknown {
  switch (node.kind) {
    case 'Literal.String':
    case 'Literal.Number':
    case 'Literal.Boolean':
      return node.value;
    case 'Literal.Null':
      return null;
    case 'Literal.Array':
      return node.items.map((i) => evalJson(i, params));
    case 'Literal.Object': {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) out[e.key] = evalJson(e.value, params);
      return out;
    }
    case 'Param':
      return lookupParam(params, node);
  }
}

export function evalObject(node: ObjectValue, params: Params | undefined): Record<string, unknown> {
  const v = evalJson(node, params);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw typeError(node.kind === 'Param' ? node : null, 'an object', v);
  return v as Record<string, unknown>;
}

/** The right-hand side of a comparison as a plain value (ids and strings alike). */
export function evalValue(node: Value, params: Params | undefined): unknown {
  switch (node.kind) {
    case 'Id':
      return node.name;
    case 'Literal.Duration':
      return node.ms;
    case 'Literal.Now':
      throw new MnemoError('INTERNAL', 'NOW is evaluated as a time');
    default:
      return evalJson(node, params);
  }
}
