/**
 * writeSegment: normalise the content, lay the sections out (64-byte aligned), stream them with
 * large writes into a temp file of the space directory computing each CRC32C on the way, then
 * fsync, rename to `<finalDir>/data.seg` and fsync both directories. docs/segment_format.md §2–§3.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { MnemoError, crc32c } from '@mnemo/native';
import { buildSections } from './build-sections.js';
import type { SectionSource } from './build-sections.js';
import { normalizeContent } from './content.js';
import type { SegmentContent, SegmentFileInfo } from './content.js';
import { encodeHeader, encodeTrailer, headerLength } from './header.js';
import { DIR_ENTRY_SIZE, SEGMENT_FILE_NAME, TRAILER_SIZE, alignUp } from './layout.js';
import { nodeEnv } from '../env/index.js';
import type { Env, EnvFile } from '../env/index.js';

export interface WriteSegmentOptions {
  /** The engine's file-system door (default: nodeEnv); FaultEnv-style wrappers inject failures. */
  env?: Env;
}

const STAGE = 8 * 1024 * 1024;
const ZEROS = new Uint8Array(64);

/**
 * Sequential writer: copies parts into one of two 8 MiB staging buffers and keeps one write in
 * flight while the caller builds the next columns (CPU and I/O overlap). Parts may be reused by
 * the caller as soon as write() returns.
 */
class StagedWriter {
  private readonly bufs = [new Uint8Array(STAGE), new Uint8Array(STAGE)];
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
  }
}

interface Placed { source: SectionSource; offset: number }

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

/** Writes one section plus its zero padding; returns the CRC32C over both. */
async function writeSection(w: StagedWriter, p: Placed): Promise<number> {
  let crc = 0;
  let written = 0;
  for (const part of p.source.parts()) {
    crc = crc32c(part, crc);
    written += part.length;
    await w.write(part);
  }
  if (written !== p.source.length) throw new MnemoError('INTERNAL', `segment writer: section ${p.source.id} produced ${written} bytes, expected ${p.source.length}`);
  const pad = ZEROS.subarray(0, alignUp(written) - written);
  crc = crc32c(pad, crc);
  await w.write(pad);
  return crc;
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
async function writeFile(file: EnvFile, c: SegmentContent): Promise<{ bytes: number; checksum: number }> {
  const { sections, kinds, groups } = buildSections(c);
  const headerLen = headerLength(Buffer.byteLength(c.space, 'utf8'));
  const { placed, dirOffset, fileLength } = layout(sections, headerLen);
  const header = encodeHeader({
    space: c.space, dim: c.dim, rows: c.rows.length, decayUpdates: c.decayUpdates.length,
    tombstones: c.tombstones.length, associations: c.associations.length, groups,
    assocTombstones: c.assocTombstones.length, kinds, minLsn: c.minLsn, maxLsn: c.maxLsn,
    segmentId: c.segmentId, created: c.created, fileLength,
  });
  const w = new StagedWriter(file);
  await w.write(header);
  const crcs: number[] = [];
  for (const p of placed) crcs.push(await writeSection(w, p));
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
 * embedding length); any I/O failure is IO_ERROR and leaves no temp file behind, and a failure
 * before the rename no segment directory either.
 */
export async function writeSegment(finalDir: string, content: SegmentContent, opts: WriteSegmentOptions = {}): Promise<SegmentFileInfo> {
  const env = opts.env ?? nodeEnv;
  const c = normalizeContent(content);
  const spaceDir = dirname(finalDir);
  const path = join(finalDir, SEGMENT_FILE_NAME);
  const tmp = join(spaceDir, `.tmp-${basename(finalDir)}-${randomBytes(6).toString('hex')}.seg`);
  const created = await missingDirs(env, finalDir);
  await env.mkdir(spaceDir);
  const file = await env.open(tmp, 'create');
  let closed = false;
  try {
    const res = await writeFile(file, c);
    await file.sync();
    closed = true;
    await file.close();
    await env.mkdir(finalDir);
    await env.rename(tmp, path);
    for (const d of dirsToSync(finalDir, created)) await env.fsyncDir(d);
    return { path, bytes: res.bytes, rows: c.rows.length, checksum: res.checksum };
  } catch (e) {
    if (!closed) await file.close().catch(() => undefined);
    await env.unlink(tmp).catch(() => undefined);
    throw e;
  }
}
