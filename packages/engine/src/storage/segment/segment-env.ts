/**
 * The file operations the segment writer needs, behind a small interface so tests (and the
 * store's fault-injecting Env) can replace them; `nodeSegmentEnv` is the real one (node:fs +
 * fsyncDir from @mnemo/native). Files are created 0600, directories 0700 (architecture.md §8).
 */
import { promises as fsp } from 'node:fs';
import { fromSystemError, fsyncDir } from '@mnemo/native';

export interface SegmentWritableFile {
  /** Appends `data` at the current end of the file (the whole array is written or it throws). */
  write(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface SegmentEnv {
  /** mkdir -p with mode 0700. */
  mkdir(path: string): Promise<void>;
  /** Creates a new file (fails if it exists), mode 0600, for writing. */
  createFile(path: string): Promise<SegmentWritableFile>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing file is not an error. */
  remove(path: string): Promise<void>;
  /** fsync a directory so creates/renames inside it are durable. */
  syncDir(path: string): Promise<void>;
}

async function io<T>(action: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw fromSystemError(e, action);
  }
}

class NodeWritableFile implements SegmentWritableFile {
  constructor(private readonly handle: fsp.FileHandle, private readonly path: string) {}

  async write(data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await io(`write to ${this.path} failed`,
        () => this.handle.write(data, done, data.length - done));
      done += bytesWritten;
    }
  }

  sync(): Promise<void> {
    return io(`fsync of ${this.path} failed`, () => this.handle.sync());
  }

  close(): Promise<void> {
    return io(`close of ${this.path} failed`, () => this.handle.close());
  }
}

export const nodeSegmentEnv: SegmentEnv = {
  mkdir: async (path) => { await io(`mkdir ${path} failed`, () => fsp.mkdir(path, { recursive: true, mode: 0o700 })); },
  createFile: async (path) => new NodeWritableFile(await io(`create ${path} failed`, () => fsp.open(path, 'wx', 0o600)), path),
  rename: (from, to) => io(`rename ${from} → ${to} failed`, () => fsp.rename(from, to)),
  remove: (path) => io(`remove ${path} failed`, () => fsp.rm(path, { force: true })),
  syncDir: async (path) => fsyncDir(path),
};
