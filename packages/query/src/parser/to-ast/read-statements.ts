/**
 * CST → AST for reads: RECALL, SPREAD, PREDICT, IMAGINE, CONSOLIDATE, and their patterns,
 * CONFIDENCE filters, ORDER BY, LIMIT and SCHEDULER clauses (docs/mql_grammar.md §2.3).
 */
import type { CstNode, IToken } from 'chevrotain';
import * as r from '../../ast/read-statements.js';
import * as ast from '../../ast/values.js';
import { buildCondition, buildField } from './conditions.js';
import { type BuildContext, child, need, only, spanOf, token } from './context.js';
import { buildInSpace } from './space-statements.js';
import {
  buildCount, buildDurationValue, buildIdList, buildIdRef, buildNumberValue, buildParam, buildTimeValue, buildVector,
} from './values.js';

export function buildPattern(ctx: BuildContext, node: CstNode): ast.Pattern {
  const p = child(node, 'param');
  if (p) return buildParam(ctx, p);
  const arr = child(node, 'array');
  if (arr) return buildVector(ctx, arr);
  const t = only(node) as IToken;
  const span = spanOf(t);
  if (t.tokenType.name === 'Star') return ast.all({ span });
  if (t.tokenType.name === 'StringLiteral') return ast.stringLiteral({ value: t.payload as string, span });
  return ast.id({ name: t.payload as string, span });
}

const FILTER_OPS = new Set(['>', '>=', '<', '<=']);

function buildConfidenceFilter(ctx: BuildContext, node: CstNode | undefined): r.ConfidenceFilter | null {
  if (!node) return null;
  const op = token(node, 'CompareOp')!;
  if (!FILTER_OPS.has(op.image)) {
    throw ctx.error(op, `CONFIDENCE filters compare with >, >=, < or <=, found '${op.image}'`, { expected: ["'>'", "'>='", "'<'", "'<='"] });
  }
  return r.confidenceFilter({ op: op.image as r.ConfidenceFilter['op'], value: buildNumberValue(ctx, need(node, 'numberValue')), span: spanOf(node) });
}

function buildLimit(ctx: BuildContext, node: CstNode): ast.NumberValue | null {
  const l = child(node, 'limit');
  return l ? buildCount(ctx, need(l, 'numberValue'), 'LIMIT') : null;
}

function buildOrderBy(ctx: BuildContext, node: CstNode | undefined): r.OrderBy | null {
  if (!node) return null;
  const dir = token(node, 'DirectionKeyword');
  return r.orderBy({
    column: buildField(ctx, need(node, 'field'), true),
    direction: dir ? (dir.tokenType.name.toLowerCase() as 'asc' | 'desc') : null,
    span: spanOf(node),
  });
}

export function buildRecall(ctx: BuildContext, node: CstNode): r.Recall {
  const pattern = buildPattern(ctx, need(node, 'pattern'));
  const threshold = child(node, 'numberValue');
  if (threshold && (pattern.kind === 'Id' || pattern.kind === 'All')) {
    throw ctx.error(token(node, 'THRESHOLD')!, 'THRESHOLD applies to a vector, text or parameter pattern, not to an id or *');
  }
  const where = child(node, 'condition');
  const asOf = child(node, 'asOf');
  const knownAsOf = child(node, 'knownAsOf');
  return r.recall({
    pattern,
    threshold: threshold ? buildNumberValue(ctx, threshold) : null,
    space: buildInSpace(ctx, node),
    where: where ? buildCondition(ctx, where) : null,
    confidence: buildConfidenceFilter(ctx, child(node, 'confidenceFilter')),
    asOf: asOf ? buildTimeValue(ctx, asOf) : null,
    knownAsOf: knownAsOf ? buildTimeValue(ctx, knownAsOf) : null,
    orderBy: buildOrderBy(ctx, child(node, 'orderBy')),
    limit: buildLimit(ctx, node),
    noReinforce: token(node, 'NO') !== undefined,
    span: spanOf(node),
  });
}

export function buildSpread(ctx: BuildContext, node: CstNode): r.Spread {
  const maxHops = child(node, 'maxHops');
  const decay = child(node, 'decay');
  const threshold = child(node, 'threshold');
  return r.spread({
    sources: buildIdList(ctx, need(node, 'idList')),
    space: buildInSpace(ctx, node),
    maxHops: maxHops ? buildCount(ctx, maxHops, 'MAX_HOPS') : null,
    decay: decay ? buildNumberValue(ctx, decay) : null,
    threshold: threshold ? buildNumberValue(ctx, threshold) : null,
    limit: buildLimit(ctx, node),
    span: spanOf(node),
  });
}

export function buildPredict(ctx: BuildContext, node: CstNode): r.Predict {
  const horizon = child(node, 'durationValue');
  return r.predict({
    pattern: buildPattern(ctx, need(node, 'pattern')),
    given: buildIdList(ctx, need(node, 'idList')),
    space: buildInSpace(ctx, node),
    horizon: horizon ? buildDurationValue(ctx, horizon) : null,
    confidence: buildConfidenceFilter(ctx, child(node, 'confidenceFilter')),
    limit: buildLimit(ctx, node),
    span: spanOf(node),
  });
}

export function buildImagine(ctx: BuildContext, node: CstNode): r.Imagine {
  const basedOn = child(node, 'idList');
  const novelty = child(node, 'numberValue');
  return r.imagine({
    pattern: buildPattern(ctx, need(node, 'pattern')),
    space: buildInSpace(ctx, node),
    basedOn: basedOn ? buildIdList(ctx, basedOn) : null,
    novelty: novelty ? buildNumberValue(ctx, novelty) : null,
    confidence: buildConfidenceFilter(ctx, child(node, 'confidenceFilter')),
    limit: buildLimit(ctx, node),
    span: spanOf(node),
  });
}

export function buildConsolidate(ctx: BuildContext, node: CstNode): r.Consolidate {
  const pattern = child(node, 'pattern');
  const where = child(node, 'condition');
  const into = child(node, 'idRef');
  const similarity = child(node, 'similarity');
  const minSize = child(node, 'minSize');
  const scheduler = child(node, 'scheduler');
  return r.consolidate({
    pattern: pattern ? buildPattern(ctx, pattern) : null,
    where: where ? buildCondition(ctx, where) : null,
    space: buildInSpace(ctx, node),
    into: into ? buildIdRef(ctx, into) : null,
    similarity: similarity ? buildNumberValue(ctx, similarity) : null,
    minSize: minSize ? buildCount(ctx, minSize, 'MIN_SIZE') : null,
    scheduler: scheduler ? buildScheduler(ctx, scheduler) : null,
    span: spanOf(node),
  });
}

function buildScheduler(ctx: BuildContext, node: CstNode): r.Scheduler {
  const span = spanOf(node);
  if (token(node, 'IMMEDIATE')) return r.schedulerImmediate({ span });
  const every = child(node, 'durationValue');
  if (every) return r.schedulerInterval({ every: buildDurationValue(ctx, every), span });
  return r.schedulerThreshold({ count: buildCount(ctx, need(node, 'numberValue'), 'SCHEDULER THRESHOLD'), span });
}
