/**
 * CST → AST for space and utility statements: CREATE/DROP/USE SPACE, SHOW, DESCRIBE,
 * BEGIN/COMMIT/ROLLBACK, CHECKPOINT, COMPACT, BACKUP (docs/mql_grammar.md §2.1, §2.4).
 */
import type { CstNode } from 'chevrotain';
import * as s from '../../ast/space-statements.js';
import * as u from '../../ast/utility-statements.js';
import type { Statement } from '../../ast/types.js';
import { type BuildContext, child, children, need, spanOf, token } from './context.js';
import { buildCount, buildDurationValue, buildIdRef, buildNumberValue, buildStringValue } from './values.js';

export function buildCreateSpace(ctx: BuildContext, node: CstNode): s.CreateSpace {
  const before = child(node, 'ifNotExistsBefore');
  const after = child(node, 'ifNotExistsAfter');
  if (before && after) throw ctx.error(after, 'IF NOT EXISTS given twice');
  const dim = child(node, 'numberValue');
  const metric = token(node, 'MetricKeyword');
  const decay = child(node, 'decayModel');
  return s.createSpace({
    name: buildIdRef(ctx, need(node, 'nameRef')),
    dim: dim ? buildCount(ctx, dim, 'DIM') : null,
    metric: metric ? (metric.tokenType.name.toLowerCase() as s.MetricName) : null,
    decay: decay ? buildDecay(ctx, decay) : null,
    ifNotExists: Boolean(before ?? after),
    span: spanOf(node),
  });
}

function buildDecay(ctx: BuildContext, node: CstNode): s.DecaySpec {
  const span = spanOf(node);
  if (token(node, 'NONE')) return s.decayNone({ span });
  if (token(node, 'EXPONENTIAL')) return s.decayExponential({ halfLife: buildDurationValue(ctx, need(node, 'durationValue')), span });
  const [a, b, c] = children(node, 'numberValue').map((n) => buildNumberValue(ctx, n));
  if (token(node, 'POWER')) return s.decayPower({ d: a!, span });
  return s.decayActr({ d: a!, tau: b!, s: c!, span });
}

export function buildDropSpace(ctx: BuildContext, node: CstNode): s.DropSpace {
  const before = child(node, 'ifExistsBefore');
  const after = child(node, 'ifExistsAfter');
  if (before && after) throw ctx.error(after, 'IF EXISTS given twice');
  return s.dropSpace({ name: buildIdRef(ctx, need(node, 'nameRef')), ifExists: Boolean(before ?? after), span: spanOf(node) });
}

export function buildUseSpace(ctx: BuildContext, node: CstNode): s.UseSpace {
  return s.useSpace({ name: buildIdRef(ctx, need(node, 'nameRef')), span: spanOf(node) });
}

export function buildShow(ctx: BuildContext, node: CstNode): s.ShowSpaces | s.ShowStats {
  if (token(node, 'SPACES')) return s.showSpaces({ span: spanOf(node) });
  const name = child(node, 'nameRef');
  return s.showStats({ space: name ? buildIdRef(ctx, name) : null, span: spanOf(node) });
}

export function buildDescribe(ctx: BuildContext, node: CstNode): s.Describe {
  return s.describe({ id: buildIdRef(ctx, need(node, 'idRef')), space: buildInSpace(ctx, node), span: spanOf(node) });
}

/** The optional IN SPACE clause of `node`. */
export function buildInSpace(ctx: BuildContext, node: CstNode) {
  const clause = child(node, 'inSpace');
  return clause ? buildIdRef(ctx, need(clause, 'nameRef')) : null;
}

export function buildUtility(ctx: BuildContext, node: CstNode): Statement {
  const span = spanOf(node);
  if (token(node, 'BEGIN')) return u.begin({ span });
  if (token(node, 'COMMIT')) return u.commit({ span });
  if (token(node, 'ROLLBACK')) return u.rollback({ span });
  if (token(node, 'CHECKPOINT')) return u.checkpoint({ span });
  if (token(node, 'COMPACT')) {
    const name = child(node, 'nameRef');
    return u.compact({ space: name ? buildIdRef(ctx, name) : null, span });
  }
  return u.backup({ dir: buildStringValue(ctx, need(node, 'stringValue')), span });
}
