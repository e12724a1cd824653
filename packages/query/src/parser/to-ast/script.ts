/**
 * CST → AST entry point: a visitor table keyed by statement rule name (a missing rule is a
 * compile error), EXPLAIN/PROFILE wrapping, and the Script node (docs/mql_grammar.md §4).
 */
import type { CstNode } from 'chevrotain';
import type { Statement } from '../../ast/types.js';
import * as u from '../../ast/utility-statements.js';
import { type BuildContext, children, need, only, spanOf, token } from './context.js';
import { buildCreateSpace, buildDescribe, buildDropSpace, buildShow, buildUseSpace, buildUtility } from './space-statements.js';
import { buildAssociate, buildDissociate, buildForget, buildReinforce, buildRemember } from './write-statements.js';
import { buildConsolidate, buildImagine, buildPredict, buildRecall, buildSpread } from './read-statements.js';

type StatementRule =
  | 'recall' | 'remember' | 'spread' | 'predict' | 'imagine' | 'consolidate' | 'associate' | 'dissociate'
  | 'reinforce' | 'forget' | 'createSpace' | 'dropSpace' | 'useSpace' | 'show' | 'describe' | 'utility';

const STATEMENT_BUILDERS: Record<StatementRule, (ctx: BuildContext, node: CstNode) => Statement> = {
  recall: buildRecall,
  remember: buildRemember,
  spread: buildSpread,
  predict: buildPredict,
  imagine: buildImagine,
  consolidate: buildConsolidate,
  associate: buildAssociate,
  dissociate: buildDissociate,
  reinforce: buildReinforce,
  forget: buildForget,
  createSpace: buildCreateSpace,
  dropSpace: buildDropSpace,
  useSpace: buildUseSpace,
  show: buildShow,
  describe: buildDescribe,
  utility: buildUtility,
};

function buildStatement(ctx: BuildContext, node: CstNode): Statement {
  ctx.beginStatement(spanOf(node).start);
  const innerNode = only(need(node, 'innerStatement')) as CstNode;
  const inner = STATEMENT_BUILDERS[innerNode.name as StatementRule](ctx, innerNode);
  if (token(node, 'EXPLAIN')) return u.explain({ statement: inner, span: spanOf(node) });
  if (token(node, 'PROFILE')) return u.profile({ statement: inner, span: spanOf(node) });
  return inner;
}

export function buildScript(ctx: BuildContext, node: CstNode): u.Script {
  const statements = children(node, 'statement').map((s) => buildStatement(ctx, s));
  return u.script({
    statements,
    span: { start: 0, end: ctx.source.length, line: 1, column: 1 },
  });
}
