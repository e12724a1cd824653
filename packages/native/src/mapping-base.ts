/**
 * Shared behaviour of both Mapping implementations: the `released` state, the `buffer` getter
 * that throws RELEASED after unmap(), idempotent unmap() and range checks for advise().
 * Lifetime rules: docs/native_api.md "Mappings".
 */
import { MnemoError } from './errors.js';
import type { Advice, Mapping } from './types.js';
import { assertCount, invalid } from './validate.js';

const ADVICE: readonly Advice[] = ['normal', 'random', 'sequential', 'willneed', 'dontneed'];

/** Advice ids shared with mmap.cc. */
export function adviceId(advice: unknown): number {
  const id = ADVICE.indexOf(advice as Advice);
  if (id < 0) throw invalid(`unknown advice ${String(advice)} (use ${ADVICE.join(', ')})`);
  return id;
}

export abstract class MappingBase implements Mapping {
  #buffer: ArrayBuffer | null;
  readonly byteLength: number;
  readonly fileOffset: number;
  readonly path: string;
  abstract readonly native: boolean;

  constructor(buffer: ArrayBuffer, path: string, fileOffset: number) {
    this.#buffer = buffer;
    this.byteLength = buffer.byteLength;
    this.fileOffset = fileOffset;
    this.path = path;
  }

  get released(): boolean {
    return this.#buffer === null;
  }

  get buffer(): ArrayBuffer {
    if (this.#buffer === null) {
      throw new MnemoError('RELEASED', `mapping of ${this.path} was unmapped; map the file again`, { path: this.path });
    }
    return this.#buffer;
  }

  advise(advice: Advice, offset = 0, length?: number): void {
    const id = adviceId(advice);
    const buf = this.buffer;
    assertCount(offset, 'offset');
    const len = length ?? Math.max(0, buf.byteLength - offset);
    assertCount(len, 'length');
    if (offset + len > buf.byteLength) {
      throw invalid(`advise range [${offset}, ${offset + len}) exceeds the mapping (${buf.byteLength} bytes)`);
    }
    if (len > 0) this.adviseRange(buf, id, offset, len);
  }

  unmap(): void {
    const buf = this.#buffer;
    if (buf === null) return;
    this.#buffer = null;
    this.release(buf);
  }

  /** Apply madvise to [offset, offset+length) of the mapping (already range-checked, length > 0). */
  protected abstract adviseRange(buf: ArrayBuffer, adviceId: number, offset: number, length: number): void;
  /** Detach `buf` (so every view has length 0) and free what backs it. Called once. */
  protected abstract release(buf: ArrayBuffer): void;
}

/** The error both implementations raise for a range outside the file. */
export function rangeError(path: string, fileSize: number, offset: number, length: number | undefined): MnemoError {
  const what = length === undefined ? `offset ${offset}` : `range [${offset}, ${offset + length})`;
  return invalid(`cannot map ${what} of ${path}: the file has ${fileSize} bytes`, {
    path,
    fileSize,
    offset,
    ...(length === undefined ? {} : { length }),
  });
}
