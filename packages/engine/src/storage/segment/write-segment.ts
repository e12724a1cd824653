/**
 * writeSegment: normalise the content, lay the sections out (64-byte aligned), stream them with
 * large writes into a temp file of the space directory computing the CRC32C of every block on the
 * way (the block table, written last, §2.5), then fsync, rename to `<finalDir>/data.seg` and fsync
 * both directories. docs/segment_format.md §2–§3.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { MnemoError, crc32c } from '@mnemo/native';
import { buildSections } from './build-sections.js';
import type { SectionSource } from './build-sections.js';
import { normalizeContent } from './content.js';
import type { SegmentContent, SegmentFileInfo } from './content.js';
import { encodeHeader, encodeTrailer, headerLength } from './header.js';
import { isPlanned, rowCount } from './merge-plan.js';
import { DEFAULT_BLOCK_SHIFT, DIR_ENTRY_SIZE, MAX_BLOCK_SHIFT, MIN_BLOCK_SHIFT, S, SEGMENT_FILE_NAME, TRAILER_SIZE, alignUp } from './layout.js';
import { nodeEnv } from '../env/index.js';
import type { Env, EnvFile } from '../env/index.js';

export interface WriteSegmentOptions {
  /** The engine's file-system door (default: nodeEnv); FaultEnv-style wrappers inject failures. */
  env?: Env;
  /** log2 of the checksum block size (§2.5), 6..24; default 16 (64 KiB). Tests use small blocks. */
  blockShift?: number;
  /**
   * Longest run of column building between two turns of the event loop, in ms (default 2; 0
   * yields after every chunk). See Pause.
   */
  sliceMs?: number;
}

const STAGE = 8 * 1024 * 1024;
const ZEROS = new Uint8Array(64);

/**
 * Staging buffers of finished writes, kept for the next segment write of this thread: a fresh
 * 8 MiB buffer costs a page fault and a zeroed page per 4 KiB. Measured over a 1M-row ingest (13
 * segment writes on the worker, 3 alternating pairs of engine builds): process CPU 9.9 → 9.0 s
 * mean, of which system time 2.3 → 1.8 s. At most KEEP_STAGES are kept, and none once no write
 * finished for STAGE_IDLE_MS (the worker thread is retired sooner when idle).
 */
const spareStages: Uint8Array[] = [];
const KEEP_STAGES = 4;
const STAGE_IDLE_MS = 2000;
let stageTimer: ReturnType<typeof setTimeout> | undefined;

function takeStage(): Uint8Array {
  return spareStages.pop() ?? new Uint8Array(STAGE);
}

/** Keeps `b` (no write reads it any more) for the next writer; drops all after a quiet period. */
function giveStage(b: Uint8Array): void {
  if (spareStages.length < KEEP_STAGES) spareStages.push(b);
  clearTimeout(stageTimer);
  stageTimer = setTimeout(() => {
    spareStages.length = 0;
  }, STAGE_IDLE_MS);
  stageTimer.unref?.();
}

/**
 * Sequential writer: copies parts into one of two 8 MiB staging buffers and keeps one write in
 * flight while the caller builds the next columns (CPU and I/O overlap). Parts may be reused by
 * the caller as soon as write() returns. After flush() the buffers go back for reuse (a failed
 * writer's are left to the collector: a write may still hold one).
 */
class StagedWriter {
  private readonly bufs = [takeStage(), takeStage()];
  private cur = 0;
  private used = 0;
  private inflight: Promise<void> | null = null;
  private failed: { error: unknown } | null = null;
  position = 0;

  constructor(private readonly file: EnvFile) {}

  async write(part: Uint8Array): Promise<void> {
    this.position += part.length;
    let off = 0;
    while (off < part.length) {
      const n = Math.min(STAGE - this.used, part.length - off);
      (this.bufs[this.cur] as Uint8Array).set(part.subarray(off, off + n), this.used);
      this.used += n;
      off += n;
      if (this.used === STAGE) await this.rotate();
    }
  }

  private async settle(): Promise<void> {
    if (this.inflight !== null) await this.inflight;
    this.inflight = null;
    if (this.failed !== null) throw this.failed.error;
  }

  private async rotate(): Promise<void> {
    await this.settle();
    const chunk = (this.bufs[this.cur] as Uint8Array).subarray(0, this.used);
    this.inflight = this.file.append(chunk).then(() => undefined, (error: unknown) => { this.failed = { error }; });
    this.cur ^= 1;
    this.used = 0;
  }

  async flush(): Promise<void> {
    if (this.used > 0) await this.rotate();
    await this.settle();
    for (const b of this.bufs) giveStage(b);
  }
}

interface Placed { source: SectionSource; offset: number }

const DEFAULT_SLICE_MS = 2;

/**
 * Gives the event loop a turn after every `sliceMs` of building (checked between ≤ 1 MiB chunks):
 * a flush runs on the main thread, and without these turns the writers' WAL acknowledgements
 * (fdatasync completions) waited for up to 8 MiB of column building; with them the flush fills the
 * time the writers spend waiting for their fsyncs.
 */
class Pause {
  private last = performance.now();

  constructor(private readonly sliceMs: number) {}

  async maybe(): Promise<void> {
    if (performance.now() - this.last < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}

/** Block CRCs of the data sections, in order (§2.5), collected while they are written. */
class BlockCrcs {
  private readonly crcs: Uint32Array;
  private n = 0;
  private crc = 0;
  private fill = 0;
  private readonly size: number;

  constructor(total: number, shift: number) {
    this.crcs = new Uint32Array(total);
    this.size = 2 ** shift;
  }

  /** Bytes of the current section, in order. */
  add(part: Uint8Array): void {
    let pos = 0;
    while (pos < part.length) {
      const take = Math.min(part.length - pos, this.size - this.fill);
      this.crc = crc32c(part.subarray(pos, pos + take), this.crc);
      this.fill += take;
      pos += take;
      if (this.fill === this.size) this.close();
    }
  }

  /** Ends the current section (its last, partial block); returns the CRC of its run of block CRCs. */
  endSection(first: number): number {
    if (this.fill > 0) this.close();
    return crc32c(new Uint8Array(this.crcs.buffer, 4 * first, 4 * (this.n - first)));
  }

  private close(): void {
    this.crcs[this.n++] = this.crc;
    this.crc = 0;
    this.fill = 0;
  }

  get count(): number {
    return this.n;
  }

  get bytes(): Uint8Array {
    return new Uint8Array(this.crcs.buffer);
  }
}

/** The block table section (last): its bytes are the CRCs collected by the time it is written. */
function blockTableSource(sections: readonly SectionSource[], shift: number): { source: SectionSource; crcs: BlockCrcs } {
  let total = 0;
  for (const s of sections) total += Math.ceil(alignUp(s.length) / 2 ** shift);
  const crcs = new BlockCrcs(total, shift);
  return { crcs, source: { id: S.blockTable, flags: 0, length: 4 * total, parts: () => [crcs.bytes] } };
}

function layout(sections: SectionSource[], headerLen: number): { placed: Placed[]; dirOffset: number; fileLength: number } {
  let pos = headerLen;
  const placed = sections.map((source) => {
    const p = { source, offset: pos };
    pos = alignUp(pos + source.length);
    return p;
  });
  const dirOffset = pos;
  const fileLength = alignUp(dirOffset + sections.length * DIR_ENTRY_SIZE) + TRAILER_SIZE;
  return { placed, dirOffset, fileLength };
}

/**
 * Writes one section plus its zero padding. Returns its directory CRC: for a data section the CRC
 * of its run of block CRCs (collected into `blocks`), for the block table (`blocks` null) the CRC
 * of its bytes and padding.
 */
async function writeSection(w: StagedWriter, p: Placed, blocks: BlockCrcs | null, pause: Pause): Promise<number> {
  let crc = 0;
  let written = 0;
  const first = blocks?.count ?? 0;
  const sum = (part: Uint8Array): void => {
    if (blocks === null) crc = crc32c(part, crc);
    else blocks.add(part);
  };
  for (const part of p.source.parts()) {
    sum(part);
    written += part.length;
    await w.write(part);
    await pause.maybe();
  }
  if (written !== p.source.length) throw new MnemoError('INTERNAL', `segment writer: section ${p.source.id} produced ${written} bytes, expected ${p.source.length}`);
  const pad = ZEROS.subarray(0, alignUp(written) - written);
  sum(pad);
  await w.write(pad);
  return blocks === null ? crc : blocks.endSection(first);
}

function directory(placed: Placed[], crcs: number[], paddedLength: number): Uint8Array {
  const out = new Uint8Array(paddedLength);
  const v = new DataView(out.buffer);
  placed.forEach((p, i) => {
    const o = i * DIR_ENTRY_SIZE;
    v.setUint32(o, p.source.id, true);
    v.setUint32(o + 4, p.source.flags, true);
    v.setBigUint64(o + 8, BigInt(p.offset), true);
    v.setBigUint64(o + 16, BigInt(p.source.length), true);
    v.setUint32(o + 24, crcs[i] as number, true);
  });
  return out;
}

/** Streams the whole file; returns the trailer CRC. */
async function writeFile(file: EnvFile, c: SegmentContent, shift: number, sliceMs: number): Promise<{ bytes: number; checksum: number }> {
  const built = buildSections(c, isPlanned(c) ? c.rowPlan : undefined);
  const { kinds, groups, recentK } = built;
  const table = blockTableSource(built.sections, shift);
  const sections = [...built.sections, table.source];
  const headerLen = headerLength(Buffer.byteLength(c.space, 'utf8'));
  const { placed, dirOffset, fileLength } = layout(sections, headerLen);
  const header = encodeHeader({
    space: c.space, dim: c.dim, rows: rowCount(c), decayUpdates: c.decayUpdates.length,
    tombstones: c.tombstones.length, associations: c.associations.length, groups,
    assocTombstones: c.assocTombstones.length, kinds, minLsn: c.minLsn, maxLsn: c.maxLsn,
    segmentId: c.segmentId, created: c.created, fileLength, recentK,
  }, shift);
  const w = new StagedWriter(file);
  await w.write(header);
  const crcs: number[] = [];
  const pause = new Pause(sliceMs);
  for (const p of placed) crcs.push(await writeSection(w, p, p.source === table.source ? null : table.crcs, pause));
  const dir = directory(placed, crcs, fileLength - TRAILER_SIZE - dirOffset);
  await w.write(dir);
  const trailer = encodeTrailer({
    dirOffset, dirLength: sections.length * DIR_ENTRY_SIZE, sections: sections.length, dirCrc: crc32c(dir),
    fileLength, headerCrc: new DataView(header.buffer).getUint32(header.length - 4, true),
  });
  await w.write(trailer);
  await w.flush();
  if (w.position !== fileLength) throw new MnemoError('INTERNAL', `segment writer produced ${w.position} bytes, expected ${fileLength}`);
  return { bytes: fileLength, checksum: new DataView(trailer.buffer).getUint32(TRAILER_SIZE - 4, true) };
}

/** Directories from `dir` upward that do not exist yet, deepest first (mkdir will create them). */
async function missingDirs(env: Env, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (let d = dir; dirname(d) !== d && (await env.stat(d)) === null; d = dirname(d)) out.push(d);
  return out;
}

/**
 * The directories to fsync after the rename: the segment directory (its new entry data.seg), the
 * space directory (the segment directory's entry, the temp file gone) and the parent of every
 * directory this write created, so a new space directory survives a power cut too.
 */
function dirsToSync(finalDir: string, created: readonly string[]): string[] {
  const out = [finalDir, dirname(finalDir)];
  for (const d of created) if (!out.includes(dirname(d))) out.push(dirname(d));
  return out;
}

/**
 * Writes `content` as `<finalDir>/data.seg` durably (temp file in the space directory, fsync,
 * mkdir of `finalDir`, rename, fsync of `finalDir`, of the space directory and of the parent of
 * any directory created). Invalid content is INVALID_ARGUMENT (DIMENSION_MISMATCH for a wrong
 * embedding length). `content` may be a planMerge result: its rows are copied from the merge's
 * inputs, which must stay open until this returns. Any I/O failure is IO_ERROR and leaves no temp
 * file behind, and a failure before the rename no segment directory either.
 */
export async function writeSegment(finalDir: string, content: SegmentContent, opts: WriteSegmentOptions = {}): Promise<SegmentFileInfo> {
  const env = opts.env ?? nodeEnv;
  const shift = opts.blockShift ?? DEFAULT_BLOCK_SHIFT;
  if (!Number.isInteger(shift) || shift < MIN_BLOCK_SHIFT || shift > MAX_BLOCK_SHIFT) {
    throw new MnemoError('INVALID_ARGUMENT', `blockShift ${shift} is outside ${MIN_BLOCK_SHIFT}..${MAX_BLOCK_SHIFT}`);
  }
  const sliceMs = opts.sliceMs ?? DEFAULT_SLICE_MS;
  if (!(sliceMs >= 0)) throw new MnemoError('INVALID_ARGUMENT', `sliceMs ${sliceMs} must be a number ≥ 0`);
  const c = normalizeContent(content);
  const spaceDir = dirname(finalDir);
  const path = join(finalDir, SEGMENT_FILE_NAME);
  const tmp = join(spaceDir, `.tmp-${basename(finalDir)}-${randomBytes(6).toString('hex')}.seg`);
  const created = await missingDirs(env, finalDir);
  await env.mkdir(spaceDir);
  const file = await env.open(tmp, 'create');
  let closed = false;
  try {
    const res = await writeFile(file, c, shift, sliceMs);
    await file.sync();
    closed = true;
    await file.close();
    await env.mkdir(finalDir);
    await env.rename(tmp, path);
    for (const d of dirsToSync(finalDir, created)) await env.fsyncDir(d);
    return { path, bytes: res.bytes, rows: rowCount(c), checksum: res.checksum };
  } catch (e) {
    if (!closed) await file.close().catch(() => undefined);
    await env.unlink(tmp).catch(() => undefined);
    throw e;
  }
}
