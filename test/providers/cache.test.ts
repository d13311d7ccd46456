import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes, writeFile, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetCache } from '../../src/providers/cache.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'sr-cache-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);

describe('AssetCache', () => {
  it('keys are sha256 hex, depend on every part, not on their order; an undefined part is an absent one', () => {
    const cache = new AssetCache({ dir, maxBytes: 1e6 });
    const a = cache.key({ provider: 'p', prompt: 'x', seed: 1 });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(cache.key({ seed: 1, prompt: 'x', provider: 'p' })).toBe(a);
    expect(cache.key({ provider: 'p', prompt: 'x', seed: 1, voice: undefined })).toBe(a);
    expect(cache.key({ provider: 'p', prompt: 'x', seed: 2 })).not.toBe(a);
    expect(cache.key({ provider: 'p', prompt: 'x', seed: '1' })).not.toBe(a);
    expect(cache.key({ provider: 'p', prompt: 'x ', seed: 1 })).not.toBe(a);
  });

  it('round-trips bytes and metadata in {dir}/ab/<key>.bin + .json; a miss is undefined', async () => {
    const cache = new AssetCache({ dir, maxBytes: 1e6 });
    const key = cache.key({ k: 'v' });
    expect(await cache.getEntry(key)).toBeUndefined();
    expect((await cache.getEntry(key))?.bytes).toBeUndefined();
    const words = [{ word: 'Hi', start: 0, end: 0.4 }];
    await cache.putEntry(key, Buffer.from('hello'), { format: 'wav', words });
    expect(await cache.getEntry(key)).toEqual({ bytes: Buffer.from('hello'), meta: { format: 'wav', words } });
    expect((await cache.getEntry(key))?.bytes).toEqual(Buffer.from('hello'));
    expect((await readdir(join(dir, key.slice(0, 2)))).sort()).toEqual([`${key}.bin`, `${key}.json`]);
    await expect(cache.getEntry('../../etc/passwd')).rejects.toThrow(/sha256 hex/);
  });

  it('a damaged entry (bytes changed or cut, sidecar unreadable) is a miss, not bad data', async () => {
    const cache = new AssetCache({ dir, maxBytes: 1e6 });
    const [a, b, c] = ['a', 'b', 'c'].map((k) => cache.key({ k }));
    for (const key of [a!, b!, c!]) await cache.putEntry(key, Buffer.alloc(4000, 1), { mime: 'image/png' });
    const path = (key: string, ext: string) => join(dir, key.slice(0, 2), `${key}.${ext}`);
    await writeFile(path(a!, 'bin'), Buffer.alloc(2000, 1));
    const changed = Buffer.alloc(4000, 1);
    changed[100] = 9;
    await writeFile(path(b!, 'bin'), changed);
    await writeFile(path(c!, 'json'), '{not json');
    for (const key of [a!, b!, c!]) expect(await cache.getEntry(key)).toBeUndefined();
  });

  it('two jobs writing the same entry at once (two processes, and in-process) leave one whole entry and no temp files', async () => {
    const a = new AssetCache({ dir, maxBytes: 1e8 });
    const b = new AssetCache({ dir, maxBytes: 1e8 });
    const key = a.key({ same: 'entry' });
    const big = Buffer.alloc(3_000_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    // Another process writes the same entry while this one does, several times over.
    const script = `
      import { AssetCache } from ${JSON.stringify(join(process.cwd(), 'src/providers/cache.ts'))};
      const big = Buffer.alloc(3_000_000);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
      const c = new AssetCache({ dir: ${JSON.stringify(dir)}, maxBytes: 1e8 });
      await Promise.all([0, 1, 2, 3].map(() => c.putEntry(${JSON.stringify(key)}, big, { n: 1 })));
    `;
    let childDone = false;
    const other = new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'inherit' });
      child.on('error', reject);
      child.on('close', resolve);
    }).finally(() => (childDone = true));
    // Keep writing and reading here until the other process is done, so the two overlap.
    const seen: boolean[] = [];
    for (let round = 0; round < 3 || !childDone; round++) {
      const reads = Array.from({ length: 3 }, () => b.getEntry(key).then((e) => e === undefined || e.bytes.equals(big)));
      await Promise.all([
        a.putEntry(key, big, { n: 1 }),
        b.putEntry(key, big, { n: 1 }),
        ...reads.map((r) => r.then((ok) => seen.push(ok))),
      ]);
    }
    expect(await other).toBe(0);
    // A reader sees the whole entry or nothing, never a part of it.
    expect(seen.every(Boolean)).toBe(true);
    expect((await b.getEntry(key))!.bytes.equals(big)).toBe(true);
    expect((await readdir(join(dir, key.slice(0, 2)))).sort()).toEqual([`${key}.bin`, `${key}.json`]);
  });

  it('evicts the least recently used entries once past its size; a read counts as a use', async () => {
    const cache = new AssetCache({ dir, maxBytes: 2500 });
    const [a, b, c] = ['a', 'b', 'c'].map((k) => cache.key({ k }));
    const bin = (key: string) => join(dir, key.slice(0, 2), `${key}.bin`);
    await cache.putEntry(a!, Buffer.alloc(1000), {});
    await cache.putEntry(b!, Buffer.alloc(1000), {});
    await utimes(bin(a!), ago(100), ago(100));
    await utimes(bin(b!), ago(50), ago(50));
    expect(await cache.getEntry(a!)).toBeDefined(); // a is used again: b is now the oldest
    await cache.putEntry(c!, Buffer.alloc(1000), {});
    expect(await cache.getEntry(b!)).toBeUndefined();
    expect(await cache.getEntry(a!)).toBeDefined();
    expect(await cache.getEntry(c!)).toBeDefined();
    await expect(stat(join(dir, b!.slice(0, 2), `${b}.json`))).rejects.toThrow(/ENOENT/);
  });

  it('eviction also clears temp files a crash left behind, but not fresh ones', async () => {
    const cache = new AssetCache({ dir, maxBytes: 1e6 });
    const key = cache.key({ k: 'x' });
    await cache.putEntry(key, Buffer.from('x'), {});
    const folder = join(dir, key.slice(0, 2));
    const stale = join(folder, `.${key}.bin.1-abc.tmp`);
    const fresh = join(folder, `.${key}.bin.2-def.tmp`);
    await writeFile(stale, 'half');
    await writeFile(fresh, 'half');
    await utimes(stale, ago(7200), ago(7200));
    await cache.evict();
    expect((await readdir(folder)).sort()).toEqual([`.${key}.bin.2-def.tmp`, `${key}.bin`, `${key}.json`].sort());
    expect(await readFile(join(folder, `${key}.bin`), 'utf8')).toBe('x');
  });
});

describe('AssetCache that cannot be used', () => {
  it('a cache folder that does not exist yet is an empty cache: a miss, no error', async () => {
    const cache = new AssetCache({ dir: join(dir, 'not-yet'), maxBytes: 1e6 });
    expect(await cache.getEntry(cache.key({ k: 'v' }))).toBeUndefined();
  });

  it('a file where the cache folder should be: reads and writes reject (a broken cache is not an empty one)', async () => {
    // CI runs as root, for whom chmod stops nothing: a file in the folder's place stops everyone.
    await writeFile(join(dir, 'cache'), 'not a folder');
    const cache = new AssetCache({ dir: join(dir, 'cache'), maxBytes: 1e6 });
    const key = cache.key({ k: 'v' });
    await expect(cache.getEntry(key)).rejects.toThrow(/ENOTDIR/);
    await expect(cache.putEntry(key, Buffer.from('x'), {})).rejects.toThrow(/EEXIST|ENOTDIR/);
  });
});
