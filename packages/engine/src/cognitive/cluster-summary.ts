/**
 * Summary of a consolidation cluster: centroid embedding, representative member (closest to the
 * centroid), cohesion, a Wilson confidence interval that narrows as the cluster grows, and a
 * stable semantic id (reuse of an overlapping existing summary, else derived from the earliest
 * member). Implements docs/cognition.md §"CONSOLIDATE summaries and ids".
 */
import { MnemoError } from '@mnemo/native';
import type { Interval, Metric } from '../model.js';
import { intervalProduct, intervalWeighted, wilsonInterval } from './interval.js';
import { centroid, similarity } from './vector-sim.js';

export interface SummaryMember {
  id: string;
  embedding: Float32Array;
  /** Valid time; the earliest member names the cluster. Missing → ordered by id only. */
  created?: number;
  confidence?: Interval;
}

/** A semantic memory made earlier by CONSOLIDATE, with the ids it was derived from. */
export interface ExistingSummary {
  id: string;
  members: readonly string[];
}

export interface ClusterSummary {
  id: string;
  /** True when `id` is an existing summary's id (CONSOLIDATE updates it instead of inserting). */
  reused: boolean;
  centroid: Float32Array;
  representative: string;
  /** Member ids, sorted. */
  members: string[];
  /** Mean similarity of the members to the centroid, in [−1, 1]. */
  cohesion: number;
  confidence: Interval;
}

export interface SummaryOptions {
  existing?: readonly ExistingSummary[];
  /** Ids already given to other clusters of the same run (updated by this call). */
  taken?: Set<string>;
  /** z of the Wilson interval; default 1.96 (95 %). */
  z?: number;
  /** Jaccard overlap with an existing summary needed to keep its id; default 0.5. */
  reuseOverlap?: number;
}

/** Prefix of derived semantic ids. */
export const SEMANTIC_ID_PREFIX = 'sem_';

export function summarizeCluster(members: readonly SummaryMember[], metric: Metric, opts: SummaryOptions = {}): ClusterSummary {
  if (members.length === 0) throw new MnemoError('INVALID_ARGUMENT', 'cannot summarise an empty cluster');
  const c = centroid(members.map((m) => m.embedding), metric);
  const sims = members.map((m) => similarity(m.embedding, c, metric));
  let rep = 0;
  sims.forEach((v, i) => {
    const better = v > (sims[rep] as number) || (v === sims[rep] && (members[i] as SummaryMember).id < (members[rep] as SummaryMember).id);
    if (better) rep = i;
  });
  const cohesion = sims.reduce((a, b) => a + b, 0) / sims.length;
  const agreement = sims.reduce((a, v) => a + (v > 0 ? v : 0), 0) / sims.length;
  let confidence = wilsonInterval(agreement, members.length, opts.z);
  if (members.some((m) => m.confidence !== undefined)) {
    const mean = intervalWeighted(members.map((m) => ({ interval: m.confidence ?? { lo: 1, hi: 1 }, weight: 1 })));
    confidence = intervalProduct(confidence, mean);
  }
  const { id, reused } = semanticId(members, opts);
  return {
    id,
    reused,
    centroid: c,
    representative: (members[rep] as SummaryMember).id,
    members: members.map((m) => m.id).sort(),
    cohesion,
    confidence,
  };
}

/**
 * The id rule: (1) the existing summary with the largest Jaccard overlap ≥ reuseOverlap (ties by
 * id) keeps its id; (2) else `sem_` + hash of the earliest member (by created, then id), skipping
 * members whose derived id is already taken. Same members → same id on every run.
 */
export function semanticId(members: readonly SummaryMember[], opts: SummaryOptions = {}): { id: string; reused: boolean } {
  const taken = opts.taken ?? new Set<string>();
  const ids = new Set(members.map((m) => m.id));
  let best: ExistingSummary | undefined;
  let bestJ = opts.reuseOverlap ?? 0.5;
  for (const e of [...(opts.existing ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (taken.has(e.id)) continue;
    const theirs = new Set(e.members);
    let inter = 0;
    for (const m of theirs) if (ids.has(m)) inter++;
    const j = inter / (ids.size + theirs.size - inter);
    if (j > bestJ || (j === bestJ && best === undefined)) {
      best = e;
      bestJ = j;
    }
  }
  if (best) {
    taken.add(best.id);
    return { id: best.id, reused: true };
  }
  const existingIds = new Set((opts.existing ?? []).map((e) => e.id));
  const when = (m: SummaryMember): number => (m.created !== undefined && Number.isFinite(m.created) ? m.created : 0);
  const order = [...members].sort((a, b) => when(a) - when(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const m of order) {
    const id = SEMANTIC_ID_PREFIX + hashHex(m.id);
    if (!taken.has(id) && !existingIds.has(id)) {
      taken.add(id);
      return { id, reused: false };
    }
  }
  throw new MnemoError('INVALID_ARGUMENT', 'every derived semantic id of this cluster is already taken; pass CONSOLIDATE ... INTO id');
}

/** 64-bit FNV-1a of the UTF-16 code units as 16 hex digits (stable across runs and platforms). */
export function hashHex(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
