/**
 * DECAY clause ↔ engine decay model: CREATE SPACE's NONE | EXPONENTIAL(half_life) | POWER(d) |
 * ACTR(d, tau, s) to a DecayModel (validated by the engine), and a model back to MQL text for
 * SHOW SPACES (e.g. `ACTR(0.177, -1.391, 0.853)`, `EXPONENTIAL(7d)`).
 */
import { validateDecayModel, type DecayModel } from '@mnemo/engine';
import type { DecaySpec } from '../ast/index.js';
import type { Params } from '../api/result.js';
import { evalDuration } from './time.js';
import { evalNumber } from './values.js';

export function decayModelOf(spec: DecaySpec, params: Params | undefined): DecayModel {
  switch (spec.kind) {
    case 'Decay.None':
      return { model: 'none' };
    case 'Decay.Exponential':
      return validateDecayModel({ model: 'exponential', halfLifeMs: evalDuration(spec.halfLife, params) });
    case 'Decay.Power':
      return validateDecayModel({ model: 'power', d: evalNumber(spec.d, params) });
    case 'Decay.Actr':
      return validateDecayModel({ model: 'actr', d: evalNumber(spec.d, params), tau: evalNumber(spec.tau, params), s: evalNumber(spec.s, params) });
  }
}

const UNITS: Array<[string, number]> = [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];

export function durationText(ms: number): string {
  for (const [u, n] of UNITS) if (ms >= n && ms % n === 0) return `${ms / n}${u}`;
  return `${ms}ms`;
}

export function decayText(m: DecayModel): string {
  switch (m.model) {
    case 'none': return 'NONE';
    case 'exponential': return `EXPONENTIAL(${durationText(m.halfLifeMs)})`;
    case 'power': return `POWER(${m.d})`;
    case 'actr': return `ACTR(${m.d}, ${m.tau}, ${m.s})`;
  }
}
