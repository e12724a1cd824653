/**
 * The segment writer's pauses (docs/segment_format.md §3, docs/storage.md "Compaction off the
 * main thread"): between its ≤ 1 MiB chunks it gives the event loop a turn once `sliceMs` of
 * building has passed, so a flush on the main thread lets WAL acknowledgements through. Runs on
 * the in-memory FaultEnv, whose every operation takes exactly one turn, so turns are countable.
 */
import { describe, expect, it } from 'vitest';
import { FaultEnv } from '../src/storage/env/index.js';
import { writeSegment } from '../src/storage/segment/index.js';
import type { SegmentFileInfo } from '../src/storage/segment/index.js';
import { emptyContent, makeRow, rng } from './segment-fixtures.js';
import { errorCode } from './helpers/store-fixtures.js';

const ROWS = 8192;
const DIM = 128; // 4 MiB of embeddings: at least 4 chunks of 1 MiB

function content(): ReturnType<typeof emptyContent> {
  const r = rng(11);
  const rows = Array.from({ length: ROWS }, (_, i) => makeRow(r, DIM, `m${String(i).padStart(6, '0')}`));
  return emptyContent({ dim: DIM, rows });
}

/** Event-loop turns (check phases) that pass while `f` runs. */
async function turnsDuring<T>(f: () => Promise<T>): Promise<{ turns: number; value: T }> {
  let turns = 0;
  let on = true;
  const spin = (): void => {
    if (!on) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  try {
    return { value: await f(), turns };
  } finally {
    on = false;
  }
}

describe('segment writer pauses', () => {
  it('yields to the event loop between chunks when asked to, and writes the same bytes', async () => {
    const c = content();
    const write = (sliceMs: number): Promise<SegmentFileInfo> => {
      const env = new FaultEnv();
      return writeSegment('/db/spaces/notes/seg-000007', c, { env, sliceMs });
    };
    const never = await turnsDuring(() => write(1e9));
    const always = await turnsDuring(() => write(0));
    // Only the env's own operations give turns when the writer never pauses; with sliceMs 0 it
    // pauses after every chunk and section: the 4 embedding chunks at least.
    expect(always.turns - never.turns).toBeGreaterThanOrEqual(4);
    expect(always.value.bytes).toBe(never.value.bytes);
    expect(always.value.checksum).toBe(never.value.checksum);
  });

  it('refuses a negative or NaN sliceMs', async () => {
    for (const sliceMs of [-1, Number.NaN]) {
      const env = new FaultEnv();
      expect(await errorCode(writeSegment('/db/spaces/notes/seg-000001', emptyContent(), { env, sliceMs }))).toBe('INVALID_ARGUMENT');
    }
  });
});
