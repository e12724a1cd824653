/**
 * Planners of PREDICT <pattern> GIVEN ids [HORIZON d] [CONFIDENCE ...] [LIMIT k] and
 * IMAGINE <pattern> [BASED ON ids] [NOVELTY x] [CONFIDENCE ...] [LIMIT k]: the engine operator,
 * the CONFIDENCE filter, Rank by score desc (ties by id), Limit (default 10), Project.
 * Neither reinforces (they are inferences, not retrievals).
 */
import type { Imagine, Predict } from '../ast/index.js';
import { evalCount, evalUnit } from '../analyze/ranges.js';
import { evalDuration } from '../analyze/time.js';
import { evalId } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import { ImagineOp } from '../ops/imagine.js';
import type { Op } from '../ops/op.js';
import { PredictOp } from '../ops/predict.js';
import { resolvePattern } from './pattern.js';
import type { Plan } from './plan.js';
import { confidenceFilter, readTail } from './read-tail.js';

export const DEFAULT_INFERENCE_LIMIT = 10;

export async function planPredict(ctx: ExecContext, s: Predict): Promise<Plan> {
  const space = ctx.space(s.space);
  const pattern = await resolvePattern(ctx, s.pattern, space);
  const given = s.given.map((g) => evalId(g, ctx.params));
  const horizon = s.horizon === null ? undefined : evalDuration(s.horizon, ctx.params);
  const p = pattern.kind === 'all' ? null : pattern.kind === 'id' ? { id: pattern.id } : { vector: pattern.vector };
  let op: Op = new PredictOp(space, given, horizon, p);
  op = confidenceFilter(ctx, op, s.confidence);
  const limit = evalCount(s.limit, ctx.params, 'LIMIT') ?? DEFAULT_INFERENCE_LIMIT;
  return readTail(op, { orderBy: null, defaultColumn: 'score', limit, reinforceSpace: null, extraColumns: ['via', 'steps', 'evidence'] });
}

export async function planImagine(ctx: ExecContext, s: Imagine): Promise<Plan> {
  const space = ctx.space(s.space);
  const pattern = await resolvePattern(ctx, s.pattern, space);
  let vector: Float32Array | null = null;
  if (pattern.kind === 'text' || pattern.kind === 'vector') vector = pattern.vector;
  else if (pattern.kind === 'id') vector = ctx.snap.get(space.name, pattern.id)?.embedding ?? null;
  const basedOn = s.basedOn === null ? (pattern.kind === 'id' ? [pattern.id] : null) : s.basedOn.map((b) => evalId(b, ctx.params));
  const novelty = evalUnit(s.novelty, ctx.params, 'NOVELTY') ?? undefined;
  let op: Op = new ImagineOp(space, vector, basedOn, novelty);
  op = confidenceFilter(ctx, op, s.confidence);
  const limit = evalCount(s.limit, ctx.params, 'LIMIT') ?? DEFAULT_INFERENCE_LIMIT;
  return readTail(op, { orderBy: null, defaultColumn: 'score', limit, reinforceSpace: null, extraColumns: ['closeness', 'support'] });
}
