/**
 * NodeEnv, the real file-system Env: permissions (files 0600, directories 0700), positional and
 * appending writes, sync calls, name-space operations and IO_ERROR mapping with errno.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeEnv } from '../src/storage/env/index.js';
import { tempDir } from './wal-helpers.js';

const env = new NodeEnv();
let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

function scratch(): string {
  const t = tempDir('env');
  cleanup = t.cleanup;
  return t.dir;
}

describe('NodeEnv', () => {
  it('creates directories 0700 and files 0600', async () => {
    const root = scratch();
    const dir = path.join(root, 'a', 'b');
    expect(await env.mkdir(dir)).toBe(true);
    expect(await env.mkdir(dir)).toBe(false);
    const f = await env.open(path.join(dir, 'f'), 'create');
    await f.close();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(root, 'a')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'f')).mode & 0o777).toBe(0o600);
  });

  it('writes at positions and appends at the end, reads back, syncs', async () => {
    const p = path.join(scratch(), 'f');
    const f = await env.open(p, 'create');
    await f.append(Uint8Array.from([1, 2, 3]));
    await f.write(Uint8Array.from([9]), 1);
    await f.append(Uint8Array.from([4]));
    await f.datasync();
    await f.sync();
    expect(await f.size()).toBe(4);
    const buf = new Uint8Array(10);
    expect(await f.read(buf, 0)).toBe(4);
    expect([...buf.subarray(0, 4)]).toEqual([1, 9, 3, 4]);
    await f.close();
    const again = await env.open(p, 'readwrite');
    await again.append(Uint8Array.from([5]));
    await again.close();
    expect([...(await env.readFile(p))]).toEqual([1, 9, 3, 4, 5]);
  });

  it('writeAndSync writes at the position, syncs, moves the append end; errors are IO_ERROR with syscall, errno and path', async () => {
    const p = path.join(scratch(), 'f');
    const f = await env.open(p, 'create');
    await f.append(Uint8Array.from([1, 2, 3]));
    await f.writeAndSync(Uint8Array.from([7, 8]), 2);
    await f.append(Uint8Array.from([9]));
    await f.close();
    expect([...fs.readFileSync(p)]).toEqual([1, 2, 7, 8, 9]);
    const ro = await env.open(p, 'read');
    await expect(ro.writeAndSync(Uint8Array.from([1]), 0)).rejects.toMatchObject({
      code: 'IO_ERROR', message: expect.stringContaining(`write to ${p} failed`), details: { errno: 'EBADF', syscall: 'write', path: p },
    });
    await ro.close();
    await expect(ro.writeAndSync(Uint8Array.from([1]), 0)).rejects.toMatchObject({ code: 'IO_ERROR', details: { errno: 'EBADF' } });
    expect([...fs.readFileSync(p)]).toEqual([1, 2, 7, 8, 9]);
  });

  it('renames, unlinks, lists and stats; fsyncDir succeeds', async () => {
    const dir = scratch();
    await (await env.open(path.join(dir, 'b'), 'create')).close();
    await (await env.open(path.join(dir, 'a'), 'create')).close();
    await env.rename(path.join(dir, 'a'), path.join(dir, 'c'));
    expect(await env.readdir(dir)).toEqual(['b', 'c']);
    await env.unlink(path.join(dir, 'b'));
    await env.fsyncDir(dir);
    expect(await env.readdir(dir)).toEqual(['c']);
    expect(await env.stat(path.join(dir, 'b'))).toBeNull();
    expect(await env.stat(dir)).toMatchObject({ isDirectory: true });
  });

  it('maps OS errors to IO_ERROR with errno and path', async () => {
    const dir = scratch();
    const p = path.join(dir, 'x');
    await expect(env.open(p, 'read')).rejects.toMatchObject({ code: 'IO_ERROR', details: { errno: 'ENOENT', path: p } });
    await (await env.open(p, 'create')).close();
    await expect(env.open(p, 'create')).rejects.toMatchObject({ code: 'IO_ERROR', details: { errno: 'EEXIST' } });
    const ro = await env.open(p, 'read');
    await expect(ro.append(Uint8Array.from([1]))).rejects.toMatchObject({ code: 'IO_ERROR', details: { errno: 'EBADF' } });
    await ro.close();
  });

  it('a closed handle refuses I/O with EBADF, even when its descriptor number was reused by another file', async () => {
    const dir = scratch();
    const a = await env.open(path.join(dir, 'a'), 'create');
    await a.close();
    const b = await env.open(path.join(dir, 'b'), 'create');
    await b.append(Uint8Array.from([1, 2]));
    expect(() => a.writeSync(Uint8Array.from([9]), 0)).toThrow(expect.objectContaining({ code: 'IO_ERROR', details: expect.objectContaining({ errno: 'EBADF' }) }));
    await expect(a.write(Uint8Array.from([9]), 0)).rejects.toMatchObject({ code: 'IO_ERROR', details: { errno: 'EBADF' } });
    await expect(a.datasync()).rejects.toMatchObject({ code: 'IO_ERROR', details: { errno: 'EBADF' } });
    await expect(a.read(new Uint8Array(2), 0)).rejects.toMatchObject({ code: 'IO_ERROR', details: { errno: 'EBADF' } });
    await b.close();
    expect([...fs.readFileSync(path.join(dir, 'b'))]).toEqual([1, 2]);
  });
});
