/**
 * VectorSearch: the k nearest memories of a space to the query vector through the engine's
 * store-wide search (memtable exact, segments by HNSW), with the stored-column filter evaluated
 * during traversal. For a text pattern, a lexical boost is added to each hit's similarity:
 * +0.1 × (share of the query's content words found in the memory's content), capped at 1.
 */
import { MnemoError, searchVectorRows, searchVectors, type RowRef, type SpaceConfig } from '@mnemo/engine';
import { tokenizeWords } from '../embedder/index.js';
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import { HitRecord } from './hit-record.js';
import type { Op } from './op.js';
import { describeFilter, type PushedFilter } from './row-filter.js';
import { runValue, type RunValue } from './run-value.js';

export const LEXICAL_BOOST = 0.1;

export class VectorSearchOp implements Op<Candidate> {
  readonly name = 'VectorSearch';
  readonly children: readonly Op[] = [];
  constructor(
    readonly space: RunValue<SpaceConfig>,
    readonly vector: RunValue<Float32Array>,
    readonly k: RunValue<number>,
    readonly filter: RunValue<PushedFilter | null>,
    readonly text: RunValue<string | null>,
    /**
     * Segment hits as HitRecords, read field by field while the snapshot is held (RECALL), rather
     * than whole records (CONSOLIDATE, which drops the snapshot to write): ops/hit-record.ts.
     */
    readonly lazyRecords = false,
  ) {}

  describe(ctx: ExecContext): string {
    const text = runValue(ctx, this.text);
    const space = runValue(ctx, this.space);
    const what = text !== null ? `text=${JSON.stringify(text)} lexical_boost=${LEXICAL_BOOST}` : `dim=${runValue(ctx, this.vector).length}`;
    return `space=${space.name} metric=${space.metric} k=${runValue(ctx, this.k)} ${what}${describeFilter(runValue(ctx, this.filter))}`;
  }

  /** Synchronous: the search reads the snapshot and the loaded indexes, nothing waits. */
  run(ctx: ExecContext): Candidate[] {
    const k = runValue(ctx, this.k);
    const filter = runValue(ctx, this.filter);
    const text = runValue(ctx, this.text);
    const opts = filter ? { k, filter: (r: RowRef) => filter.test(r) } : { k };
    const space = runValue(ctx, this.space);
    const vector = runValue(ctx, this.vector);
    const out: Candidate[] = [];
    if (this.lazyRecords) {
      for (const h of searchVectorRows(ctx.snap, space, vector, opts, ctx.core.cache)) {
        const rec = h.view !== null ? new HitRecord(h.id, space.name, h.view, h.row) : ctx.snap.get(space.name, h.id);
        if (rec === undefined) throw new MnemoError('INTERNAL', `search returned '${h.id}', which the snapshot cannot read`);
        out.push(candidate(rec, h.similarity));
      }
    } else {
      for (const h of searchVectors(ctx.snap, space, vector, opts, ctx.core.cache)) out.push(candidate(h.record, h.similarity));
    }
    if (text !== null) addLexicalBoost(out, text);
    return out;
  }
}

/** Each candidate's lexical boost: LEXICAL_BOOST × the share of the text's words its content has. */
function addLexicalBoost(candidates: Candidate[], text: string): void {
  const words = [...new Set(tokenizeWords(text))];
  if (words.length === 0) return;
  for (const c of candidates) {
    const have = new Set(tokenizeWords(c.rec.content));
    const share = words.filter((w) => have.has(w)).length / words.length;
    c.lexical = LEXICAL_BOOST * share;
  }
}
