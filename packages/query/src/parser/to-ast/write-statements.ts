/**
 * CST → AST for writes: REMEMBER, ASSOCIATE, DISSOCIATE, REINFORCE, FORGET
 * (docs/mql_grammar.md §2.2).
 */
import type { CstNode } from 'chevrotain';
import * as w from '../../ast/write-statements.js';
import { buildCondition } from './conditions.js';
import { type BuildContext, child, need, spanOf, token } from './context.js';
import { buildObjectValue } from './json.js';
import { buildInSpace } from './space-statements.js';
import {
  buildConfidenceValue, buildCount, buildIdRef, buildNumberValue, buildStringValue, buildTimeValue, buildVectorValue,
} from './values.js';

export function buildRemember(ctx: BuildContext, node: CstNode): w.Remember {
  const opt = <T>(key: string, f: (ctx: BuildContext, n: CstNode) => T): T | null => {
    const n = child(node, key);
    return n ? f(ctx, n) : null;
  };
  const kind = token(node, 'MemoryKindKeyword');
  return w.remember({
    content: buildStringValue(ctx, need(node, 'stringValue')),
    id: opt('idRef', buildIdRef),
    embedding: opt('vectorValue', buildVectorValue),
    confidence: opt('confidenceValue', buildConfidenceValue),
    at: opt('timeValue', buildTimeValue),
    memoryKind: kind ? (kind.tokenType.name.toLowerCase() as w.MemoryKindName) : null,
    meta: opt('objectValue', buildObjectValue),
    space: buildInSpace(ctx, node),
    span: spanOf(node),
  });
}

export function buildAssociate(ctx: BuildContext, node: CstNode): w.Associate {
  const kind = child(node, 'nameRef');
  const weight = child(node, 'numberValue');
  const confidence = child(node, 'confidenceValue');
  return w.associate({
    from: buildIdRef(ctx, need(node, 'from')),
    to: buildIdRef(ctx, need(node, 'to')),
    assocKind: kind ? buildIdRef(ctx, kind) : null,
    weight: weight ? buildNumberValue(ctx, weight) : null,
    confidence: confidence ? buildConfidenceValue(ctx, confidence) : null,
    bidirectional: token(node, 'BIDIRECTIONAL') !== undefined,
    space: buildInSpace(ctx, node),
    span: spanOf(node),
  });
}

export function buildDissociate(ctx: BuildContext, node: CstNode): w.Dissociate {
  const kind = child(node, 'nameRef');
  return w.dissociate({
    from: buildIdRef(ctx, need(node, 'from')),
    to: buildIdRef(ctx, need(node, 'to')),
    assocKind: kind ? buildIdRef(ctx, kind) : null,
    space: buildInSpace(ctx, node),
    span: spanOf(node),
  });
}

export function buildReinforce(ctx: BuildContext, node: CstNode): w.Reinforce {
  const times = child(node, 'numberValue');
  const at = child(node, 'timeValue');
  return w.reinforce({
    id: buildIdRef(ctx, need(node, 'idRef')),
    times: times ? buildCount(ctx, times, 'TIMES') : null,
    at: at ? buildTimeValue(ctx, at) : null,
    space: buildInSpace(ctx, node),
    span: spanOf(node),
  });
}

export function buildForget(ctx: BuildContext, node: CstNode): w.Forget {
  const cond = child(node, 'condition');
  const id = child(node, 'idRef');
  return w.forget({
    id: id ? buildIdRef(ctx, id) : null,
    where: cond ? buildCondition(ctx, cond) : null,
    space: buildInSpace(ctx, node),
    span: spanOf(node),
  });
}
