/**
 * The remote tier's interface and its reference implementation over HTTP Range requests
 * (docs/field_format.md "Remote tier"). A key is a file's path relative to the field directory
 * ("FIELD", "chunks/000/000/000/000000000001.chunk").
 */
import http from 'node:http';
import { MnemoError } from '@mnemo/native';

export interface RemoteChunkSource {
  /**
   * Bytes [offset, offset+length) of file `key`: fewer at end of file, an empty array when the
   * file does not exist. Rejects (IO_ERROR) when the source cannot answer.
   */
  readRange(chunkKey: string, offset: number, length: number): Promise<Uint8Array>;
}

/** Largest body accepted from a server (a chunk file is at most 4096 + 2^30 bytes). */
const MAX_BODY = 4096 + 2 ** 30;

export interface HttpChunkSourceOptions {
  /** A request whose connection is idle this long (no answer, or a stalled body) fails with IO_ERROR. Default 30 000. */
  timeoutMs?: number;
}

/** RemoteChunkSource reading `${baseUrl}/${key}` with `Range: bytes=a-b` over node:http (keep-alive). */
export class HttpChunkSource implements RemoteChunkSource {
  readonly #base: URL;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  readonly #timeoutMs: number;

  constructor(baseUrl: string, options: HttpChunkSourceOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    if (!(this.#timeoutMs > 0)) throw new MnemoError('INVALID_ARGUMENT', `timeoutMs must be positive, got ${this.#timeoutMs}`);
    this.#base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    if (this.#base.protocol !== 'http:') {
      throw new MnemoError('INVALID_ARGUMENT', `HttpChunkSource needs an http:// URL, got ${baseUrl}`);
    }
  }

  readRange(chunkKey: string, offset: number, length: number): Promise<Uint8Array> {
    if (length <= 0) return Promise.resolve(new Uint8Array(0));
    const url = new URL(chunkKey, this.#base);
    const headers = { range: `bytes=${offset}-${offset + length - 1}` };
    return new Promise((resolve, reject) => {
      const req = http.get(url, { agent: this.#agent, headers }, (res) => {
        const status = res.statusCode ?? 0;
        if (status === 404 || status === 416) {
          res.resume();
          resolve(new Uint8Array(0));
          return;
        }
        if (status !== 206 && status !== 200) {
          res.resume();
          reject(new MnemoError('IO_ERROR', `GET ${url.href} answered HTTP ${status}`, { status }));
          return;
        }
        collect(res, status === 200 ? offset : 0, length, url.href).then(resolve, reject);
      });
      req.setTimeout(this.#timeoutMs, () => req.destroy(new MnemoError('IO_ERROR', `GET ${url.href} timed out after ${this.#timeoutMs} ms`)));
      req.on('error', (e) => reject(e instanceof MnemoError ? e : new MnemoError('IO_ERROR', `GET ${url.href} failed: ${e.message}`, {}, { cause: e })));
    });
  }

  /** Close idle keep-alive sockets. */
  close(): void {
    this.#agent.destroy();
  }
}

/**
 * Read a response body; `skip` bytes are dropped first (a server that ignored Range sent all).
 * Reading stops once `skip + length` bytes are in hand (the rest is never buffered); a body that
 * ends early is returned short, one that breaks off (or times out) rejects.
 */
function collect(res: http.IncomingMessage, skip: number, length: number, href: string): Promise<Uint8Array> {
  const want = Math.min(skip + length, MAX_BODY + skip);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    let settled = false;
    const finish = (): void => {
      settled = true;
      const all = Buffer.concat(parts);
      resolve(new Uint8Array(all.buffer, all.byteOffset + Math.min(skip, all.length), Math.max(0, Math.min(length, all.length - skip))));
    };
    const declared = Number(res.headers['content-length'] ?? NaN);
    res.on('data', (b: Buffer) => {
      if (settled) {
        res.destroy(); // more than declared or needed: drop the connection instead of reading on
        return;
      }
      parts.push(b);
      total += b.length;
      if (total >= want) {
        finish();
        // the rest is not needed: drop the connection, unless the body ends here (keep-alive reuse)
        if (!(declared <= total)) res.destroy();
      }
    });
    res.on('end', () => settled || finish());
    const fail = (e?: Error): void => {
      if (settled) return;
      settled = true;
      reject(e instanceof MnemoError ? e : new MnemoError('IO_ERROR', `GET ${href} failed: ${e?.message ?? 'connection closed mid-body'}`, {}, { cause: e }));
    };
    res.on('error', fail);
    res.on('close', () => fail());
  });
}
