/**
 * Resolving a RECALL/PREDICT/IMAGINE/CONSOLIDATE pattern: `*`, a memory id, text (embedded with
 * the space's embedder) or a vector (dimension checked against the space); a parameter is text
 * when bound to a string and a vector when bound to numbers.
 */
import { MnemoError, type SpaceConfig } from '@mnemo/engine';
import type { Pattern } from '../ast/index.js';
import { lookupParam, typeError } from '../analyze/params.js';
import { toVector } from '../analyze/values.js';
import type { ExecContext } from '../exec/context.js';
import type { MaybePromise } from '../ops/op.js';

export type ResolvedPattern =
  | { kind: 'all' }
  | { kind: 'id'; id: string }
  | { kind: 'text'; text: string; vector: Float32Array }
  | { kind: 'vector'; vector: Float32Array };

export function checkDim(v: Float32Array, space: SpaceConfig, what: string): Float32Array {
  if (v.length !== space.dim) {
    throw new MnemoError(
      'DIMENSION_MISMATCH',
      `${what} has ${v.length} dimensions but space '${space.name}' has ${space.dim}`,
      { expected: space.dim, actual: v.length },
    );
  }
  return v;
}

const ALL: ResolvedPattern = Object.freeze({ kind: 'all' });

/** Synchronous unless the pattern is text (the embedder may be asynchronous). */
export function resolvePattern(ctx: ExecContext, p: Pattern, space: SpaceConfig): MaybePromise<ResolvedPattern> {
  switch (p.kind) {
    case 'All':
      return ALL;
    case 'Id':
      return { kind: 'id', id: p.name };
    case 'Literal.String':
      return textPattern(ctx, p.value, space);
    case 'Literal.Vector':
      return { kind: 'vector', vector: checkDim(toVector(p.values, p), space, 'the query vector') };
    case 'Param': {
      const v = lookupParam(ctx.params, p);
      if (typeof v === 'string') return textPattern(ctx, v, space);
      if (v instanceof Float32Array || Array.isArray(v)) return { kind: 'vector', vector: checkDim(toVector(v, p), space, 'the query vector') };
      throw typeError(p, 'text (a string) or a vector (number[] / Float32Array)', v);
    }
  }
}

async function textPattern(ctx: ExecContext, text: string, space: SpaceConfig): Promise<ResolvedPattern> {
  const [vector] = await ctx.core.embed([text], space);
  return { kind: 'text', text, vector: checkDim(vector as Float32Array, space, 'the embedder output') };
}
