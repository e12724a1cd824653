/**
 * VectorSearch: the k nearest memories of a space to the query vector through the engine's
 * store-wide search (memtable exact, segments by HNSW), with the stored-column filter evaluated
 * during traversal. For a text pattern, a lexical boost is added to each hit's similarity:
 * +0.1 × (share of the query's content words found in the memory's content), capped at 1.
 */
import { searchVectors, type SpaceConfig } from '@mnemo/engine';
import { tokenizeWords } from '../embedder/index.js';
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import type { Op } from './op.js';
import { describeFilter, type PushedFilter } from './row-filter.js';

export const LEXICAL_BOOST = 0.1;

export class VectorSearchOp implements Op<Candidate> {
  readonly name = 'VectorSearch';
  readonly children: readonly Op[] = [];
  constructor(
    readonly space: SpaceConfig,
    readonly vector: Float32Array,
    readonly k: number,
    readonly filter: PushedFilter | null,
    readonly text: string | null,
  ) {}

  describe(): string {
    const what = this.text !== null ? `text=${JSON.stringify(this.text)} lexical_boost=${LEXICAL_BOOST}` : `dim=${this.vector.length}`;
    return `space=${this.space.name} metric=${this.space.metric} k=${this.k} ${what}${describeFilter(this.filter)}`;
  }

  /** Synchronous: the search reads the snapshot and the loaded indexes, nothing waits. */
  run(ctx: ExecContext): Candidate[] {
    const opts = this.filter ? { k: this.k, filter: this.filter.predicate } : { k: this.k };
    const hits = searchVectors(ctx.snap, this.space, this.vector, opts, ctx.core.cache);
    const words = this.text !== null ? [...new Set(tokenizeWords(this.text))] : [];
    return hits.map((h) => {
      const c = candidate(h.record, h.similarity);
      if (words.length > 0) {
        const have = new Set(tokenizeWords(h.record.content));
        const share = words.filter((w) => have.has(w)).length / words.length;
        c.lexical = LEXICAL_BOOST * share;
      }
      return c;
    });
  }
}
