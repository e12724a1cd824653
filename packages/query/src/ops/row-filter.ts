/**
 * The pushed-down part of a read: a predicate on stored columns (WHERE conjuncts on id, content,
 * kind, created, confidence, meta.*; AS OF → created ≤ t; KNOWN AS OF → recorded ≤ t) that the
 * source operators evaluate on each row before anything is scored, and its EXPLAIN text.
 */
import type { RowRef } from '@mnemo/engine';

export interface PushedFilter {
  /** True when `row` passes (a method: a run's filter makes no closure unless a search needs one). */
  test(row: RowRef): boolean;
  /** Human-readable form for EXPLAIN. */
  readonly text: string;
}

export function describeFilter(f: PushedFilter | null): string {
  return f === null ? '' : ` filter=(${f.text})`;
}

export function passes(f: PushedFilter | null, row: RowRef): boolean {
  return f === null || f.test(row);
}
