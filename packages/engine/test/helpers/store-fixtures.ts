/**
 * Shared helpers for the store tests: temp directories (removed after the suite), a manual clock,
 * and small builders for write ops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WriteOp } from '../../src/model.js';

const made: string[] = [];

export function tempDir(prefix = 'mnemo-store-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanupDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export class ManualClock {
  constructor(public now = 1_700_000_000_000) {}
  readonly fn = (): number => this.now;
  tick(ms = 1000): number {
    this.now += ms;
    return this.now;
  }
}

export function remember(space: string, id: string, content: string, embedding: number[] | Float32Array, extra: Partial<{ created: number; meta: unknown; kind: 'episodic' | 'semantic'; confidence: { lo: number; hi: number } }> = {}): WriteOp {
  return {
    op: 'remember',
    record: {
      id, space, content, embedding: Float32Array.from(embedding), kind: extra.kind ?? 'episodic', created: extra.created ?? 1_600_000_000_000,
      confidence: extra.confidence ?? { lo: 1, hi: 1 }, decay: undefined as never, meta: extra.meta ?? null,
    },
  };
}

export function associate(space: string, from: string, to: string, kind = 'assoc', weight = 1): WriteOp {
  return { op: 'associate', space, assoc: { from, to, kind, weight, confidence: { lo: 1, hi: 1 }, created: 1_600_000_000_000 } };
}

/** The MnemoError code a promise rejects with ('ok' when it resolves; 'untyped: …' for anything else). */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return codeOf(e);
  }
}

/** errorCode for a synchronous call: 'ok', the MnemoError code, or 'untyped: …'. */
export function errorCodeOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return codeOf(e);
  }
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && e.name === 'MnemoError' && typeof code === 'string' ? code : `untyped: ${String(e)}`;
}
