/**
 * FaultEnv, the in-memory fault-injecting Env (docs/durability.md): injected errors on the Nth
 * operation (once and persistently), and the power-cut model — unsynced data dropped, torn or
 * zero-filled; creates/renames/unlinks lost unless their directory was fsynced.
 */
import { describe, expect, it } from 'vitest';
import { FaultEnv } from '../src/storage/env/index.js';

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

async function fileWith(env: FaultEnv, path: string, synced: number[], unsynced: number[][]): Promise<void> {
  await env.mkdir('/d');
  await env.fsyncDir('/');
  const f = await env.open(path, 'create');
  await f.append(Uint8Array.from(synced));
  await f.datasync();
  await env.fsyncDir('/d');
  for (const u of unsynced) await f.append(Uint8Array.from(u));
}

describe('FaultEnv faults', () => {
  it('fails only the Nth write when the rule is not persistent', async () => {
    const env = new FaultEnv();
    const f = await env.open('/a', 'create');
    env.inject({ op: 'write', nth: 2 });
    await f.append(bytes(1));
    await expect(f.append(bytes(2))).rejects.toMatchObject({ code: 'IO_ERROR', details: { errno: 'EIO' } });
    await f.append(bytes(3));
    expect([...env.contents('/a')]).toEqual([1, 3]);
    expect(env.counts.write).toBe(3);
  });

  it('fails every operation from the Nth on when persistent, with the chosen errno', async () => {
    const env = new FaultEnv();
    const f = await env.open('/a', 'create');
    env.inject({ op: 'sync', nth: 2, persistent: true, errno: 'ENOSPC' });
    await f.sync();
    for (let i = 0; i < 3; i++) await expect(f.datasync()).rejects.toMatchObject({ code: 'IO_ERROR', details: { errno: 'ENOSPC' } });
    expect(env.counts.sync).toBe(4);
  });

  it('writeAndSync is a write then a sync: each counted, each failing on its own rule, the bytes durable only after the sync', async () => {
    const env = new FaultEnv();
    const f = await env.open('/a', 'create');
    await env.fsyncDir('/');
    const base = { write: env.counts.write, sync: env.counts.sync };
    await f.writeAndSync(bytes(1, 2), 0);
    expect([env.counts.write - base.write, env.counts.sync - base.sync]).toEqual([1, 1]);
    env.inject({ op: 'sync', nth: env.counts.sync + 1 });
    await expect(f.writeAndSync(bytes(3), 2)).rejects.toMatchObject({ code: 'IO_ERROR' });
    env.inject({ op: 'write', nth: env.counts.write + 1 });
    await expect(f.writeAndSync(bytes(4), 3)).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect([...env.contents('/a')]).toEqual([1, 2, 3]);
    env.crash('drop');
    expect([...env.contents('/a')]).toEqual([1, 2]);
  });

  it('fails the Nth rename and leaves the name space unchanged', async () => {
    const env = new FaultEnv();
    await (await env.open('/a', 'create')).close();
    env.inject({ op: 'rename', nth: 1 });
    await expect(env.rename('/a', '/b')).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(await env.readdir('/')).toEqual(['a']);
  });

  it('reports missing files, existing files and directories with errno', async () => {
    const env = new FaultEnv();
    await expect(env.open('/nope', 'read')).rejects.toMatchObject({ details: { errno: 'ENOENT' } });
    await (await env.open('/a', 'create')).close();
    await expect(env.open('/a', 'create')).rejects.toMatchObject({ details: { errno: 'EEXIST' } });
    await expect(env.open('/x/y', 'create')).rejects.toMatchObject({ details: { errno: 'ENOENT' } });
    expect(await env.stat('/a')).toEqual({ size: 0, isDirectory: false });
    expect(await env.stat('/zz')).toBeNull();
  });
});

describe('FaultEnv power cut', () => {
  it('drop: keeps exactly the synced bytes', async () => {
    const env = new FaultEnv({ seed: 3 });
    await fileWith(env, '/d/f', [1, 2, 3], [[4, 5], [6]]);
    env.crash('drop');
    expect([...env.contents('/d/f')]).toEqual([1, 2, 3]);
  });

  it('tear: keeps the synced bytes plus a prefix of the unsynced writes, cut at a random byte', async () => {
    const seen = new Set<number>();
    for (let seed = 1; seed <= 60; seed++) {
      const env = new FaultEnv({ seed });
      await fileWith(env, '/d/f', [1, 2, 3], [[4, 5, 6], [7, 8]]);
      env.crash('tear');
      const after = [...env.contents('/d/f')];
      expect(after).toEqual([1, 2, 3, 4, 5, 6, 7, 8].slice(0, after.length));
      expect(after.length).toBeGreaterThanOrEqual(3);
      seen.add(after.length);
    }
    expect(seen.size).toBeGreaterThanOrEqual(5);
  });

  it('zero: a torn prefix followed by zeroes up to the size before the cut', async () => {
    let zeroed = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const env = new FaultEnv({ seed });
      await fileWith(env, '/d/f', [1], [[2, 3, 4, 5]]);
      env.crash('zero');
      const after = [...env.contents('/d/f')];
      expect(after).toHaveLength(5);
      const kept = after.findIndex((b, i) => b !== [1, 2, 3, 4, 5][i]);
      if (kept >= 0) {
        zeroed++;
        expect(after.slice(kept).every((b) => b === 0)).toBe(true);
      }
    }
    expect(zeroed).toBeGreaterThan(0);
  });

  it('loses a create that was not followed by a directory fsync (drop), keeps it after fsyncDir', async () => {
    const env = new FaultEnv();
    const a = await env.open('/a', 'create');
    await a.append(bytes(1));
    await a.sync();
    const b = await env.open('/b', 'create');
    await b.append(bytes(2));
    await b.sync();
    await env.fsyncDir('/');
    env.crash('drop');
    expect(await env.readdir('/')).toEqual(['a', 'b']);
    await (await env.open('/c', 'create')).sync();
    env.crash('drop');
    expect(await env.readdir('/')).toEqual(['a', 'b']);
  });

  it('undoes an unsynced rename and an unsynced unlink (drop)', async () => {
    const env = new FaultEnv();
    for (const n of ['/a', '/b']) await (await env.open(n, 'create')).sync();
    await env.fsyncDir('/');
    await env.rename('/a', '/c');
    await env.unlink('/b');
    expect(await env.readdir('/')).toEqual(['c']);
    env.crash('drop');
    expect(await env.readdir('/')).toEqual(['a', 'b']);
  });

  it('keeps a random prefix of unsynced name-space changes in tear mode', async () => {
    const outcomes = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const env = new FaultEnv({ seed });
      for (const n of ['/x', '/y', '/z']) await (await env.open(n, 'create')).close();
      env.crash('tear');
      const names = (await env.readdir('/')).join(',');
      expect(['', 'x', 'x,y', 'x,y,z']).toContain(names);
      outcomes.add(names);
    }
    expect(outcomes.size).toBeGreaterThanOrEqual(3);
  });

  it('invalidates handles opened before the cut', async () => {
    const env = new FaultEnv();
    const f = await env.open('/a', 'create');
    env.crash();
    await expect(f.append(bytes(1))).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(env.crashes).toBe(1);
  });

  it('scheduleCrash cuts power when the Nth operation from now starts, failing it', async () => {
    const env = new FaultEnv();
    const f = await env.open('/a', 'create');
    await f.append(bytes(1));
    await f.sync();
    await env.fsyncDir('/');
    env.scheduleCrash(2, 'drop');
    await f.append(bytes(2));
    await expect(f.sync()).rejects.toThrow(/simulated power cut/);
    expect([...env.contents('/a')]).toEqual([1]);
  });
});
