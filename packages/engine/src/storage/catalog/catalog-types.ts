/**
 * Row types of the catalog (catalog.db): the live segment manifest, scheduled jobs and the
 * options of Catalog.open. The schema is in migrations.ts; the role of the catalog as commit
 * authority for files is described in docs/durability.md and the architecture guide §2.
 */

/** One live segment. `path` and `hnswPath` are relative to the database directory. */
export interface SegmentRow {
  id: number;
  space: string;
  level: number;
  path: string;
  rows: number;
  bytes: number;
  minLsn: number;
  maxLsn: number;
  /** The segment checksum (u32, docs/segment_format.md "Trailer"). */
  checksum: number;
  hnswPath: string | null;
  /** ms epoch. */
  created: number;
}

/** A scheduled background job (e.g. consolidation, compaction). */
export interface JobRow {
  id: number;
  kind: string;
  space: string | null;
  /** Job parameters (JSON-serialisable). */
  spec: unknown;
  intervalMs: number | null;
  threshold: number | null;
  lastRun: number | null;
  nextRun: number | null;
  created: number;
}

export type NewJob = Omit<JobRow, 'id'>;
export type JobPatch = Partial<Omit<JobRow, 'id' | 'created'>>;

/** A flush or compaction result, committed atomically. */
export interface SegmentCommit {
  add: SegmentRow[];
  /** Ids of live segments that stop being live. */
  remove: number[];
  /** New WAL checkpoint LSN (never lower than the current one). */
  checkpointLsn?: number;
}
