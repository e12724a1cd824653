/**
 * Mapping over the addon's mmap: `buffer` is an external ArrayBuffer over MAP_SHARED, PROT_READ
 * pages. unmap() detaches it (all views drop to length 0) and then munmaps; if the user never
 * unmaps, the garbage collector does. Never write through the buffer, never truncate the file.
 * docs/native_api.md "Mappings".
 */
import { MnemoError, fromSystemError } from '../errors.js';
import { MappingBase, rangeError } from '../mapping-base.js';
import type { AddonHandle } from '../addon.js';

class NativeMapping extends MappingBase {
  readonly native = true;
  readonly #addon: AddonHandle;
  readonly #handle: unknown;

  constructor(addon: AddonHandle, handle: unknown, buffer: ArrayBuffer, path: string, offset: number) {
    super(buffer, path, offset);
    this.#addon = addon;
    this.#handle = handle;
  }

  protected adviseRange(_buf: ArrayBuffer, id: number, offset: number, length: number): void {
    try {
      this.#addon.madvise(this.#handle, id, offset, length);
    } catch (e) {
      throw fromSystemError(e, `madvise on ${this.path} failed`);
    }
  }

  protected release(buf: ArrayBuffer): void {
    this.#addon.munmap(this.#handle, buf);
  }
}

export function nativeMapFile(addon: AddonHandle, path: string, offset: number, length: number | undefined): NativeMapping {
  let res: [ArrayBuffer, unknown];
  try {
    res = addon.mmap(path, offset, length ?? -1) as [ArrayBuffer, unknown];
  } catch (e) {
    const err = e as { code?: string; fileSize?: number };
    if (err.code === 'ERANGE_FILE') throw rangeError(path, err.fileSize ?? 0, offset, length);
    if (err.code === 'ENOTREG') throw new MnemoError('INVALID_ARGUMENT', `cannot map ${path}: not a regular file`, { path });
    throw fromSystemError(e, `cannot map ${path}`);
  }
  return new NativeMapping(addon, res[1], res[0], path, offset);
}
