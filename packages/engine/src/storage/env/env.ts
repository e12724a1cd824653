/**
 * Env: the storage engine's only door to the file system (LevelDB's Env, SQLite's VFS). The real
 * implementation is NodeEnv; FaultEnv is an in-memory twin that injects I/O errors and simulates
 * power cuts for tests. Durability rules are in docs/durability.md.
 */

/**
 * How to open a file:
 * - `read`: existing file, read only;
 * - `readwrite`: existing file, read and write;
 * - `create`: a new file (fails if it exists, O_EXCL), read and write, mode 0600;
 * - `truncate`: create or truncate to zero length, read and write, mode 0600 (temp files).
 */
export type OpenMode = 'read' | 'readwrite' | 'create' | 'truncate';

export interface EnvStat {
  size: number;
  isDirectory: boolean;
}

/** An open file. Positions are byte offsets; every method rejects with MnemoError IO_ERROR. */
export interface EnvFile {
  readonly path: string;
  /** Read up to `buf.length` bytes at `position`; resolves with the count read (short at EOF). */
  read(buf: Uint8Array, position: number): Promise<number>;
  /** Write all of `buf` at `position` (pwrite). */
  write(buf: Uint8Array, position: number): Promise<void>;
  /**
   * The same write done synchronously on the calling thread: a copy into the OS page cache,
   * normally microseconds. The WAL uses it to save a thread-pool round trip per commit.
   */
  writeSync(buf: Uint8Array, position: number): void;
  /** Write all of `buf` at the handle's end offset (its size at open plus what it appended). */
  append(buf: Uint8Array): Promise<void>;
  /** Current file size in bytes. */
  size(): Promise<number>;
  /** fsync(2): data and all metadata. */
  sync(): Promise<void>;
  /** fdatasync(2): data and the metadata needed to read it (size). */
  datasync(): Promise<void>;
  /**
   * write(buf, position) then datasync() as one unit: on the real Env one thread-pool job (the
   * copy into the page cache off the calling thread, no round trip between the two calls). The
   * WAL writes and syncs a group with it in `full` mode. `buf` must not change until it settles.
   */
  writeAndSync(buf: Uint8Array, position: number): Promise<void>;
  close(): Promise<void>;
}

export interface Env {
  /** 'node' or 'fault' (for messages and tests). */
  readonly name: string;
  open(path: string, mode: OpenMode): Promise<EnvFile>;
  /** Whole file contents. */
  readFile(path: string): Promise<Uint8Array>;
  /** Rename (atomic replace of `to` when it exists). Not durable until fsyncDir of the directory. */
  rename(from: string, to: string): Promise<void>;
  /** Remove a file. Not durable until fsyncDir of its directory. */
  unlink(path: string): Promise<void>;
  /** Create a directory and missing parents (mode 0700); resolves true when it had to create it. */
  mkdir(path: string): Promise<boolean>;
  /** Entry names of a directory, sorted. */
  readdir(path: string): Promise<string[]>;
  /** Size and kind, or null when nothing exists at `path`. */
  stat(path: string): Promise<EnvStat | null>;
  /** Make creates, renames and unlinks inside `path` durable. */
  fsyncDir(path: string): Promise<void>;
  /**
   * A random unsigned 32-bit integer (a new log file's salt), as SQLite's VFS has xRandomness: the
   * real Env's comes from the OS; the fault Env's from its seed, so a test's bytes repeat.
   */
  random32(): number;
}
