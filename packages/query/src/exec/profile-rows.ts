/**
 * PROFILE output: the plan rows with per-operator figures (section 'plan'), then one row per
 * returned or suppressed candidate (section 'candidate') with its activation parts — similarity,
 * base level, spread, match penalty, activation, retention, score, presentations, age — and
 * why it was suppressed. Decay is never silent: a decayed candidate shows its parts here.
 */
import type { Row } from '../api/result.js';
import type { Candidate } from '../ops/candidate.js';
import type { Op, OpProfile } from '../ops/op.js';
import type { ExecContext } from './context.js';
import { profiledPlanRows } from './render-plan.js';

export const PROFILE_COLUMNS = [
  'section', 'plan', 'rows_in', 'rows_out', 'time_ms',
  'id', 'status', 'reason', 'similarity', 'base_level', 'spread', 'match', 'activation', 'retention', 'score',
  'presentations', 'age_ms', 'since_last_ms',
];

const r6 = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : x);

function candidateRow(c: Candidate, status: string): Row {
  return {
    section: 'candidate', id: c.rec.id, status, reason: c.suppressed ?? null,
    similarity: r6(c.similarity === null ? null : Math.min(1, c.similarity + c.lexical)),
    base_level: r6(c.decay?.baseLevel), spread: r6(c.spread), match: r6(c.parts?.match),
    activation: r6(c.parts ? c.activation : null), retention: r6(c.decay ? c.retention : null), score: r6(c.parts ? c.score : null),
    presentations: c.decay?.presentations ?? null, age_ms: c.decay?.ageMs ?? null, since_last_ms: c.decay?.sinceLastMs ?? null,
  };
}

export function profileRows(root: Op, ctx: ExecContext): Row[] {
  const profile = ctx.profile as Map<Op, OpProfile>;
  const returned = ctx.returned;
  const suppressed = ctx.suppressed;
  const plan = profiledPlanRows(root, profile, ctx).map((r) => ({ section: 'plan', ...r }));
  return [
    ...plan,
    ...returned.map((c) => candidateRow(c, 'returned')),
    ...suppressed.map((c) => candidateRow(c, 'suppressed')),
  ];
}
