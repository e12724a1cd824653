/**
 * HttpChunkSource against hostile or broken servers (docs/field_format.md "Remote tier"): a
 * server that ignores Range and streams far more than was asked is read only as far as needed
 * (never buffered up to the 1 GiB body cap), and a server that never answers is an IO_ERROR after
 * the source's timeout instead of a hang. And serveFieldOverHttp facing odd files and requests.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpChunkSource, serveFieldOverHttp } from '../src/field/index.js';
import { chunkKey } from '../src/field/layout.js';
import { cleanupTempDirs, tempDir } from './field-helpers.js';

const servers: http.Server[] = [];
const sources: HttpChunkSource[] = [];

afterEach(async () => {
  cleanupTempDirs();
  for (const s of sources.splice(0)) s.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((done) => s.close(() => done()));
  }
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function source(url: string, timeoutMs?: number): HttpChunkSource {
  const s = new HttpChunkSource(url, timeoutMs === undefined ? {} : { timeoutMs });
  sources.push(s);
  return s;
}

describe('HttpChunkSource against hostile servers', () => {
  it('stops reading a response once the requested range is in hand (server ignores Range)', async () => {
    let sent = 0;
    const block = Buffer.alloc(64 * 1024, 7);
    const url = await serve((_req, res) => {
      res.writeHead(200); // ignores Range; streams up to 64 MiB unless the client goes away
      const pump = (): void => {
        while (sent < 64 * 2 ** 20) {
          sent += block.length;
          if (!res.write(block)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const got = await source(url).readRange('FIELD', 100, 300);
    expect(got.length).toBe(300);
    expect(got.every((b) => b === 7)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toBeLessThan(16 * 2 ** 20);
  });

  it('exact ranged answers keep the connection alive (one socket for many reads)', async () => {
    let connections = 0;
    const url = await serve((req, res) => {
      const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
      const n = m ? Number(m[2]) - Number(m[1]) + 1 : 0;
      res.writeHead(206, { 'content-length': String(n) }).end(Buffer.alloc(n, 1));
    });
    servers[servers.length - 1]!.on('connection', () => connections++);
    const s = source(url);
    for (let i = 0; i < 6; i++) expect((await s.readRange('FIELD', i * 10, 50)).length).toBe(50);
    expect(connections).toBe(1);
  });

  it('a server that never answers is IO_ERROR after timeoutMs', async () => {
    const url = await serve(() => {
      /* never answers */
    });
    await expect(source(url, 200).readRange('FIELD', 0, 100)).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('timed out') });
  });

  it('a server that stalls mid-body is IO_ERROR after timeoutMs', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(206, { 'content-length': '1000' });
      res.write(Buffer.alloc(10)); // then silence
    });
    await expect(source(url, 200).readRange('FIELD', 0, 1000)).rejects.toMatchObject({ code: 'IO_ERROR' });
  });
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
    }).on('error', reject);
  });
}

describe('serveFieldOverHttp', () => {
  it('serves an empty file (a damaged chunk) without crashing, with or without Range', async () => {
    const dir = tempDir();
    const key = chunkKey(5);
    fs.mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
    fs.writeFileSync(path.join(dir, key), '');
    fs.writeFileSync(path.join(dir, 'FIELD'), 'x');
    const server = await serveFieldOverHttp(dir, 0);
    try {
      const whole = await get(`${server.url}${key}`);
      expect(whole.status).toBe(200);
      expect(whole.body.length).toBe(0);
      expect((await get(`${server.url}${key}`, { range: 'bytes=0-99' })).status).toBe(416);
      expect((await source(server.url).readRange(key, 0, 100)).length).toBe(0);
      const field = await get(`${server.url}FIELD`);
      expect([field.status, field.body.toString()]).toEqual([200, 'x']);
    } finally {
      await server.close();
    }
  });
});
