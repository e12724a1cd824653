/**
 * Planners of ASSOCIATE a WITH b [KIND k] [WEIGHT w] [CONFIDENCE c] [BIDIRECTIONAL] (an edge,
 * or two for BIDIRECTIONAL, in one batch; default kind 'assoc', weight 1) and DISSOCIATE a FROM b
 * [KIND k] (every kind when KIND is absent).
 */
import type { Associate, Dissociate } from '../ast/index.js';
import { evalConfidence, evalId, evalNumber } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import { WriteBatchOp } from '../ops/write.js';
import { planOf, type Plan } from './plan.js';
import type { WriteOp } from '@mnemo/engine';

export function planAssociate(ctx: ExecContext, s: Associate): Plan {
  const space = ctx.space(s.space).name;
  const from = evalId(s.from, ctx.params);
  const to = evalId(s.to, ctx.params);
  const kind = s.assocKind === null ? 'assoc' : evalId(s.assocKind, ctx.params);
  const weight = s.weight === null ? 1 : evalNumber(s.weight, ctx.params);
  const confidence = s.confidence === null ? { lo: 1, hi: 1 } : evalConfidence(s.confidence, ctx.params);
  const edge = (a: string, b: string): WriteOp => ({
    op: 'associate', space, assoc: { from: a, to: b, kind, weight, confidence, created: ctx.now },
  });
  const ops = s.bidirectional && from !== to ? [edge(from, to), edge(to, from)] : [edge(from, to)];
  const rows = ops.map((o) => (o.op === 'associate' ? { from: o.assoc.from, to: o.assoc.to, kind, weight } : {}));
  return planOf(new WriteBatchOp(`associate ${from} -> ${to} kind=${kind}${s.bidirectional ? ' bidirectional' : ''}`, () => ops, () => rows),
    ['from', 'to', 'kind', 'weight']);
}

export function planDissociate(ctx: ExecContext, s: Dissociate): Plan {
  const space = ctx.space(s.space).name;
  const from = evalId(s.from, ctx.params);
  const to = evalId(s.to, ctx.params);
  const op: WriteOp = { op: 'dissociate', space, from, to };
  if (s.assocKind !== null) op.kind = evalId(s.assocKind, ctx.params);
  const kind = s.assocKind === null ? null : op.kind;
  return planOf(new WriteBatchOp(`dissociate ${from} -> ${to}${kind ? ' kind=' + kind : ''}`, () => [op], () => [{ from, to, kind }]),
    ['from', 'to', 'kind']);
}
