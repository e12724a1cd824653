/**
 * Times and durations (language.md §1): ISO-8601 strings, unix seconds, `NOW ± d`, Dates and
 * parameters, all resolved to ms since the epoch against the query's NOW (the injected clock).
 */
import { MnemoError } from '@mnemo/engine';
import type { DurationValue, Param, TimeValue } from '../ast/index.js';
import type { Params } from '../api/result.js';
import { lookupParam, typeError } from './params.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/;

/** ms of a duration literal or parameter (a number of ms, or text like '7d'). */
export function evalDuration(node: DurationValue, params: Params | undefined): number {
  if (node.kind === 'Literal.Duration') return node.ms;
  const v = lookupParam(params, node);
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (typeof v === 'string') {
    const m = DURATION_RE.exec(v);
    if (m) return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  }
  throw typeError(node, "a duration (ms as a number >= 0, or text like '7d')", v);
}

/** Time from a JS value: Date, ISO string, or a number of unix seconds. */
export function timeFromValue(v: unknown, p: Param | null): number {
  if (v instanceof Date && Number.isFinite(v.getTime())) return v.getTime();
  if (typeof v === 'number' && Number.isFinite(v)) return v * 1000;
  if (typeof v === 'string') {
    const t = parseIsoTime(v);
    if (t !== null) return t;
  }
  throw typeError(p, 'a time (ISO-8601 text, unix seconds or a Date)', v);
}

export function parseIsoTime(s: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : null;
}

export function evalTime(node: TimeValue, params: Params | undefined, now: number): number {
  switch (node.kind) {
    case 'Literal.String': {
      const t = parseIsoTime(node.value);
      if (t === null) throw new MnemoError('TYPE_ERROR', `'${node.value}' is not an ISO-8601 time (e.g. '2024-05-01T12:00:00Z')`);
      return t;
    }
    case 'Literal.Number':
      return node.value * 1000;
    case 'Literal.Now': {
      if (node.offset === null || node.op === null) return now;
      const d = node.offset.kind === 'Literal.Duration' ? node.offset.ms : evalDuration(node.offset, params);
      return node.op === '+' ? now + d : now - d;
    }
    case 'Param':
      return timeFromValue(lookupParam(params, node), node);
  }
}

export { isoTime } from './iso-time.js';
