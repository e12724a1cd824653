/**
 * Reference server for the remote tier: serves a field directory's FIELD and chunk files to
 * HttpChunkSource, answering GET with `Range: bytes=a-b` (206), whole files without Range (200),
 * 404 for anything that is not an existing FIELD or chunk file, 416 for a range past the end.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const KEY = /^(FIELD|chunks\/[0-9a-f]{3}\/[0-9a-f]{3}\/[0-9a-f]{3}\/[0-9a-f]{12}\.chunk)$/;

export interface FieldServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

function parseRange(h: string | undefined, size: number): [number, number] | null | 'bad' {
  if (h === undefined) return null;
  const m = /^bytes=(\d+)-(\d*)$/.exec(h);
  if (m === null) return 'bad';
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? 'bad' : [start, end];
}

function decodeKey(url: string | undefined): string {
  try {
    return decodeURIComponent((url ?? '').replace(/^\/+/, ''));
  } catch {
    return ''; // malformed escapes: answered 404 like any unknown key
  }
}

function answer(dir: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const key = decodeKey(req.url);
  const file = path.join(dir, key);
  const st = KEY.test(key) && req.method === 'GET' ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
  if (st === undefined || !st.isFile()) {
    res.writeHead(404).end();
    return;
  }
  const range = parseRange(req.headers.range, st.size);
  if (range === 'bad') {
    res.writeHead(416, { 'content-range': `bytes */${st.size}` }).end();
    return;
  }
  const [start, end] = range ?? [0, st.size - 1];
  const headers = { 'content-length': String(end - start + 1), 'accept-ranges': 'bytes' };
  if (range === null) res.writeHead(200, headers);
  else res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${st.size}` });
  if (end < start) {
    res.end(); // an empty file: createReadStream refuses end = -1
    return;
  }
  const stream = fs.createReadStream(file, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** Serve `dir` on 127.0.0.1:`port` (0 = any free port). */
export function serveFieldOverHttp(dir: string, port = 0): Promise<FieldServer> {
  const server = http.createServer((req, res) => {
    try {
      answer(dir, req, res);
    } catch {
      // a file that vanished or cannot be read between checks: this request fails, the server lives
      if (res.headersSent) res.destroy();
      else res.writeHead(500).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const p = (server.address() as AddressInfo).port;
      resolve({
        port: p,
        url: `http://127.0.0.1:${p}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
