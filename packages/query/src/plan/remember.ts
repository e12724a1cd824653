/**
 * Planner of REMEMBER: one memory from the clauses, or a `$batch` parameter bound to an array of
 * { id?, content, embedding?, confidence?, at?, kind?, meta? } — all in ONE atomic write. Text
 * without EMBEDDING is embedded in one embedder call per statement. Without AS an id
 * `m_<now base36>_<n>` is generated (skipping ids in use) and returned in stats.ids. Writing an
 * existing id replaces that memory (its presentation history restarts).
 */
import { MnemoError, initialDecayState, type Interval, type MemoryKind, type SpaceConfig, type WriteOp } from '@mnemo/engine';
import type { Remember } from '../ast/index.js';
import { lookupParam, typeError } from '../analyze/params.js';
import { evalTime, timeFromValue } from '../analyze/time.js';
import { confidenceFromValue, evalConfidence, evalId, evalObject, evalString, evalVector, toVector } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import { WriteBatchOp } from '../ops/write.js';
import { checkDim } from './pattern.js';
import { planOf, type Plan } from './plan.js';

interface Draft {
  id: string | null;
  content: string;
  embedding: Float32Array | null;
  confidence: Interval;
  at: number;
  kind: MemoryKind;
  meta: unknown;
}

export async function planRemember(ctx: ExecContext, s: Remember): Promise<Plan> {
  const space = ctx.space(s.space);
  const drafts = isBatch(ctx, s) ? batchDrafts(ctx, s, space) : [singleDraft(ctx, s, space)];
  const ops = await toOps(ctx, drafts, space);
  const root = new WriteBatchOp(`remember n=${ops.length} space=${space.name}`, () => ops, (_o, ids) => ids.map((id) => ({ id })));
  return planOf(root, ['id']);
}

function isBatch(ctx: ExecContext, s: Remember): boolean {
  if (s.content.kind !== 'Param') return false;
  const v = lookupParam(ctx.params, s.content);
  if (!Array.isArray(v)) return false;
  if (s.id || s.embedding || s.confidence || s.at || s.memoryKind || s.meta) {
    throw new MnemoError('TYPE_ERROR', 'REMEMBER $batch takes only IN SPACE; put id, embedding, confidence, at, kind and meta in each object');
  }
  return true;
}

function singleDraft(ctx: ExecContext, s: Remember, space: SpaceConfig): Draft {
  return {
    id: s.id === null ? null : evalId(s.id, ctx.params),
    content: evalString(s.content, ctx.params),
    embedding: s.embedding === null ? null : checkDim(evalVector(s.embedding, ctx.params), space, 'EMBEDDING'),
    confidence: s.confidence === null ? { lo: 1, hi: 1 } : evalConfidence(s.confidence, ctx.params),
    at: s.at === null ? ctx.now : evalTime(s.at, ctx.params, ctx.now),
    kind: s.memoryKind ?? 'episodic',
    meta: s.meta === null ? null : evalObject(s.meta, ctx.params),
  };
}

function batchDrafts(ctx: ExecContext, s: Remember, space: SpaceConfig): Draft[] {
  const items = lookupParam(ctx.params, s.content as Extract<Remember['content'], { kind: 'Param' }>) as unknown[];
  return items.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw typeError(null, `an object (batch item ${i})`, item);
    const o = item as Record<string, unknown>;
    const where = `batch item ${i}`;
    if (typeof o.content !== 'string') throw new MnemoError('TYPE_ERROR', `${where}: content must be a string`);
    if (o.id !== undefined && o.id !== null && (typeof o.id !== 'string' || o.id === '')) throw new MnemoError('TYPE_ERROR', `${where}: id must be a non-empty string`);
    const kind = o.kind === undefined || o.kind === null ? 'episodic' : String(o.kind).toLowerCase();
    if (kind !== 'episodic' && kind !== 'semantic') throw new MnemoError('TYPE_ERROR', `${where}: kind must be 'episodic' or 'semantic'`);
    return {
      id: typeof o.id === 'string' ? o.id : null,
      content: o.content,
      embedding: o.embedding === undefined || o.embedding === null ? null : checkDim(toVector(o.embedding, null), space, `${where}: embedding`),
      confidence: o.confidence === undefined || o.confidence === null ? { lo: 1, hi: 1 } : confidenceFromValue(o.confidence, null),
      at: o.at === undefined || o.at === null ? ctx.now : timeFromValue(o.at, null),
      kind,
      meta: o.meta ?? null,
    };
  });
}

async function toOps(ctx: ExecContext, drafts: Draft[], space: SpaceConfig): Promise<WriteOp[]> {
  const need = drafts.filter((d) => d.embedding === null);
  if (need.length > 0) {
    const vecs = await ctx.core.embed(need.map((d) => d.content), space);
    need.forEach((d, i) => (d.embedding = checkDim(vecs[i] as Float32Array, space, 'the embedder output')));
  }
  const used = new Set(drafts.flatMap((d) => (d.id !== null ? [d.id] : [])));
  let seq = 0;
  const fresh = (): string => {
    for (;;) {
      const id = `m_${ctx.now.toString(36)}_${seq++}`;
      if (!used.has(id) && ctx.snap.get(space.name, id) === undefined && !ctx.isBuffered(space.name, id)) {
        used.add(id);
        return id;
      }
    }
  };
  return drafts.map((d) => ({
    op: 'remember',
    record: {
      id: d.id ?? fresh(), space: space.name, content: d.content, embedding: d.embedding as Float32Array, kind: d.kind,
      created: d.at, confidence: d.confidence, meta: d.meta, decay: initialDecayState(d.at, space.decay),
    },
  }) as WriteOp);
}
