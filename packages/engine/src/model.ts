/**
 * The engine's data model: spaces, memories, associations, decay metadata and write operations.
 * One word per concept: a *memory* is a row; its *id* is the user-visible memory id (unique within
 * its space); a *row id* is a position inside one segment. Times are milliseconds since the Unix
 * epoch (numbers); `created` is valid time, `recorded` is transaction time.
 */

export type Metric = 'cosine' | 'l2' | 'dot';
export type MemoryKind = 'episodic' | 'semantic';
export type Durability = 'full' | 'normal' | 'off';

/** Forgetting model of a space. Parameters are documented in docs/decay.md. */
export type DecayModel =
  | { model: 'none' }
  | { model: 'exponential'; halfLifeMs: number }
  | { model: 'power'; d: number }
  | { model: 'actr'; d: number; tau: number; s: number; c?: number; alpha?: number };

export interface HnswParams {
  /** Max neighbours per node on upper layers (layer 0 keeps 2·M). */
  M: number;
  efConstruction: number;
  /** Default ef for queries. */
  efSearch: number;
}

export interface SpaceConfig {
  name: string;
  /** 1..4096 */
  dim: number;
  metric: Metric;
  decay: DecayModel;
  /** Name of the embedder used for text (the built-in is 'builtin:hash-ngram'). */
  embedder: string;
  hnsw: HnswParams;
  /** ms epoch when the space was created. */
  created: number;
}

/** A confidence interval, 0 ≤ lo ≤ hi ≤ 1. */
export interface Interval {
  lo: number;
  hi: number;
}

/** How many exact presentation times a memory keeps; older ones are summarised (Petrov 2006). */
export const RECENT_PRESENTATIONS = 8;

/**
 * Compact presentation history of a memory (ACT-R base-level learning with Pavlik–Anderson
 * activation-dependent decay). Produced and advanced only by the pure functions in
 * `cognitive/decay.ts` (`initialDecayState`, `recordPresentation`).
 */
export interface DecayState {
  /** Total number of presentations n (creation counts as the first). */
  count: number;
  /** Time of the first presentation (ms). */
  first: number;
  /** Time of the latest presentation (ms). */
  last: number;
  /** Up to RECENT_PRESENTATIONS most recent presentation times (ms), ascending. */
  recentTimes: number[];
  /** Decay rate dⱼ fixed at each of those presentations (same length as recentTimes). */
  recentDecays: number[];
  /**
   * The single decay rate that the presentations summarised out of `recentTimes` would share (an
   * f-mean of their rates, not a plain average; 0 when none were summarised). See docs/decay.md.
   */
  olderDecay: number;
}

export interface MemoryRecord {
  id: string;
  space: string;
  content: string;
  /** f32[dim] of the space. A read returns its own copy, which may share its `buffer` with other records (docs/storage.md "Snapshots"). */
  embedding: Float32Array;
  kind: MemoryKind;
  /** Valid time: when the experience happened (ms). */
  created: number;
  /** Transaction time: when the store committed it (ms). Assigned by the store. */
  recorded: number;
  confidence: Interval;
  decay: DecayState;
  /** Arbitrary metadata (encoded with msgpack); null when absent. */
  meta: unknown;
}

export interface Association {
  from: string;
  to: string;
  /** e.g. 'assoc' (user ASSOCIATE), 'derived_from' (consolidation), 'next' (temporal succession). */
  kind: string;
  weight: number;
  confidence: Interval;
  /** Valid time (ms). */
  created: number;
  /** Transaction time (ms). Assigned by the store. */
  recorded: number;
}

/** One write inside an atomic batch. All ops of a batch commit together or not at all. */
export type WriteOp =
  /** Insert or replace the memory `record.id` in `record.space` (recorded time set by the store). */
  | { op: 'remember'; record: Omit<MemoryRecord, 'recorded'> & { recorded?: number } }
  /** Insert or replace the association (space, from, to, kind). */
  | { op: 'associate'; space: string; assoc: Omit<Association, 'recorded'> & { recorded?: number } }
  /** Remove associations from → to (of `kind`, or of every kind when omitted). */
  | { op: 'dissociate'; space: string; from: string; to: string; kind?: string }
  /** A presentation (REINFORCE, or a RECALL that returned the memory): `times` events at `at`. */
  | { op: 'present'; space: string; id: string; at: number; times?: number }
  /** Tombstone the memory and its outgoing and incoming associations. */
  | { op: 'forget'; space: string; id: string };
