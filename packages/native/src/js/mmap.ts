/**
 * Fallback mapFile for MNEMO_NATIVE=0: reads the range into an ordinary ArrayBuffer (a copy, not
 * a mapping: later writes to the file are not seen). unmap() detaches the buffer by transferring
 * it, so old views get length 0 exactly as with a real mapping. docs/native_api.md "Mappings".
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MnemoError, fromSystemError } from '../errors.js';
import { MappingBase, rangeError } from '../mapping-base.js';

class JsMapping extends MappingBase {
  readonly native = false;

  protected adviseRange(): void {
    // Nothing to advise: the bytes are already in memory.
  }

  protected release(buf: ArrayBuffer): void {
    structuredClone(buf, { transfer: [buf] });
  }
}

export function jsMapFile(path: string, offset: number, length: number | undefined): JsMapping {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fromSystemError(e, `cannot map ${path}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new MnemoError('INVALID_ARGUMENT', `cannot map ${path}: not a regular file`, { path });
    const size = st.size;
    if (offset > size || (length !== undefined && length > size - offset)) throw rangeError(path, size, offset, length);
    const len = length ?? size - offset;
    const buf = new ArrayBuffer(len);
    const bytes = new Uint8Array(buf);
    let done = 0;
    while (done < len) {
      const n = readSync(fd, bytes, done, len - done, offset + done);
      if (n === 0) throw rangeError(path, offset + done, offset, len); // file shrank while reading
      done += n;
    }
    return new JsMapping(buf, path, offset);
  } catch (e) {
    throw fromSystemError(e, `cannot map ${path}`);
  } finally {
    closeSync(fd);
  }
}
