/**
 * Inputs of the SPREAD kernel that outlive one query (docs/graph.md §5): the @mnemo/native
 * kernel of a resolved base graph (it copies the CSR once, so it is kept on the base graph, which
 * changes only at flush and compaction), the base graph's largest out-degree, and the fan factor
 * table F(fan) = max(0, S − ln fan)/S per strength S, computed by the cognitive `fanFactor` itself
 * so that the kernel multiplies exactly the numbers cognitive/spread.ts does. A query reaches all of
 * it from the base graph it already holds (one field), not through hash maps: on the cold caches a
 * query meets, each map lookup is a few dependent misses.
 */
import { spreadKernel, type SpreadKernel } from '@mnemo/native';
import { fanFactor } from '../cognitive/spread.js';
import { SPREAD_DEFAULTS } from '../cognitive/spread-options.js';
import type { BaseGraph } from './base-graph.js';

export interface SpreadInputs {
  readonly kernel: SpreadKernel;
  readonly maxDegree: number;
  /** The fan table last used, and its strength (most callers use one strength). */
  fan: Float64Array;
  fanStrength: number;
}

/** The kernel over `base` (the active backend: native unless MNEMO_NATIVE=0) and its max degree. */
export function spreadInputs(base: BaseGraph): SpreadInputs {
  if (base.spread !== undefined) return base.spread;
  let maxDegree = 0;
  for (let u = 0; u < base.names.length; u++) maxDegree = Math.max(maxDegree, (base.off[u + 1] as number) - (base.off[u] as number));
  base.spread = {
    kernel: spreadKernel({ off: base.off, target: base.target, weight: base.weight, created: base.created, rank: base.rank }),
    maxDegree,
    fan: fanTable(SPREAD_DEFAULTS.strength, maxDegree),
    fanStrength: SPREAD_DEFAULTS.strength,
  };
  return base.spread;
}

/** fanFactor(fan, strength) for fan = 0 .. ≥ maxFan, remembered in `inputs` for the next query. */
export function fanTableOf(inputs: SpreadInputs, strength: number, maxFan: number): Float64Array {
  if (inputs.fanStrength !== strength || inputs.fan.length <= maxFan) {
    inputs.fan = fanTable(strength, maxFan);
    inputs.fanStrength = strength;
  }
  return inputs.fan;
}

const tables = new Map<number, Float64Array>();

/** fanFactor(fan, strength) for fan = 0 .. ≥ maxFan (cached per strength, grown on demand). */
function fanTable(strength: number, maxFan: number): Float64Array {
  const hit = tables.get(strength);
  if (hit !== undefined && hit.length > maxFan) return hit;
  const t = new Float64Array(Math.max(maxFan + 1, 2 * (hit?.length ?? 0), 64));
  for (let f = 0; f < t.length; f++) t[f] = fanFactor(f, strength);
  if (tables.size >= 16) tables.clear();
  tables.set(strength, t);
  return t;
}
