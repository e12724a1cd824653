/**
 * The segment writer's reused staging buffers (segment/write-segment.ts): a finished write hands
 * its two 8 MiB buffers to the next one, never while a write may still read them. Checked with a
 * file system whose last append of a write waits, while another write runs from start to end:
 * every file is byte for byte the file a plain write of the same content gives.
 */
import { describe, expect, it } from 'vitest';
import { FaultEnv, type Env, type EnvFile } from '../src/storage/env/index.js';
import { writeSegment, type SegmentContent } from '../src/storage/segment/index.js';
import { emptyContent, makeRow, rng } from './segment-fixtures.js';

const ROWS = 20_000;
const DIM = 128; // 10 MiB of embeddings: the writer fills a staging buffer and moves to the other

function content(seed: number): SegmentContent {
  const r = rng(seed);
  const rows = Array.from({ length: ROWS }, (_, i) => makeRow(r, DIM, `s${seed}-${String(i).padStart(6, '0')}`));
  return emptyContent({ dim: DIM, rows });
}

const STAGE = 8 * 1024 * 1024;

/**
 * `env`, except that an append shorter than a staging buffer (a writer's last one) waits at a
 * gate: `reached` resolves when one is waiting, `open()` lets it read its buffer and go on.
 */
function gatedLastAppend(env: FaultEnv): { env: Env; reached: Promise<void>; open: () => void } {
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const wrapped = new Proxy(env, {
    get(target, prop, receiver) {
      if (prop !== 'open') return Reflect.get(target, prop, receiver) as unknown;
      return async (...args: Parameters<Env['open']>): Promise<EnvFile> => {
        const file = await target.open(...args);
        return new Proxy(file, {
          get(f, name, r) {
            if (name !== 'append') return Reflect.get(f, name, r) as unknown;
            return async (buf: Uint8Array): Promise<void> => {
              if (buf.length < STAGE) {
                reach();
                await gate;
              }
              await f.append(buf);
            };
          },
        });
      };
    },
  });
  return { env: wrapped, reached, open };
}

async function bytesOf(env: FaultEnv, dir: string, c: SegmentContent, via: Env = env): Promise<Uint8Array> {
  const info = await writeSegment(dir, c, { env: via });
  return env.readFile(info.path);
}

describe('segment writer staging buffers', () => {
  it('a write still reading its last buffer keeps both: a writer started meanwhile gets others, and every file is the plain one', async () => {
    const [a, b] = [content(1), content(2)];
    const plain = new FaultEnv();
    const wantA = await bytesOf(plain, '/plain/s/seg-a', a);
    const wantB = await bytesOf(plain, '/plain/s/seg-b', b);
    expect(wantA.length).toBeGreaterThan(STAGE); // both staging buffers in use
    const env = new FaultEnv();
    const g = gatedLastAppend(env);
    const first = bytesOf(env, '/late/s/seg-a', a, g.env);
    await g.reached; // a's last append waits to read its buffer
    const second = await bytesOf(env, '/late/s/seg-b', b); // runs to its end meanwhile
    g.open();
    expect(Buffer.from(await first).equals(Buffer.from(wantA))).toBe(true);
    expect(Buffer.from(second).equals(Buffer.from(wantB))).toBe(true);
    // One after another, each write reuses the buffers of the one before.
    for (const [i, c] of [a, b, a].entries()) expect(Buffer.from(await bytesOf(env, `/seq/s/seg-${i}`, c)).equals(Buffer.from(i === 1 ? wantB : wantA))).toBe(true);
  });
});
