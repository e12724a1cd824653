/**
 * Field values of a candidate for WHERE, ORDER BY and result rows: stored columns from the
 * record, computed ones (retention, activation, score, last_access, access_count) from the
 * decay parts at the evaluation time. Times are ms here; rows show them as ISO text.
 */
import type { RowRef } from '@mnemo/engine';
import { metaPath } from '../analyze/fields.js';
import type { Candidate } from './candidate.js';

export function storedField(row: RowRef, name: string): unknown {
  switch (name) {
    case 'id': return row.id;
    case 'content': return row.content;
    case 'kind': return row.kind;
    case 'created': return row.created;
    case 'confidence': return row.confidence;
    default: return name.startsWith('meta.') ? metaPath(row.meta, name) : undefined;
  }
}

export function lastAccess(c: Candidate): number | null {
  if (c.decay === null || !c.decay.exists) return null;
  return c.evaluatedAt - c.decay.sinceLastMs;
}

export function candidateField(c: Candidate, name: string): unknown {
  switch (name) {
    case 'score': return c.score;
    case 'activation': return c.activation;
    case 'retention': return c.retention;
    case 'similarity': return c.similarity;
    case 'last_access': return lastAccess(c);
    case 'access_count': return c.decay?.presentations ?? c.rec.decay.count;
    case 'confidence': return c.confidence;
    case 'hops': return c.hops;
    default: return storedField(c.rec, name);
  }
}
