import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetCache } from '../../src/providers/cache.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'sr-cache-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('AssetCache', () => {
  it('keys depend on every part, not on their order', () => {
    const cache = new AssetCache({ dir, maxBytes: 1e6 });
    const a = cache.key({ provider: 'p', prompt: 'x', seed: 1 });
    expect(cache.key({ seed: 1, prompt: 'x', provider: 'p' })).toBe(a);
    expect(cache.key({ provider: 'p', prompt: 'x', seed: 2 })).not.toBe(a);
  });

  it('round-trips bytes and metadata; a miss is undefined', async () => {
    const cache = new AssetCache({ dir, maxBytes: 1e6 });
    const key = cache.key({ k: 'v' });
    expect(await cache.getEntry(key)).toBeUndefined();
    await cache.putEntry(key, Buffer.from('hello'), { mime: 'image/png' });
    expect(await cache.getEntry(key)).toEqual({ bytes: Buffer.from('hello'), meta: { mime: 'image/png' } });
  });

  it('two writers of the same entry both succeed and leave one whole entry, no temp files', async () => {
    const a = new AssetCache({ dir, maxBytes: 1e8 });
    const b = new AssetCache({ dir, maxBytes: 1e8 });
    const key = a.key({ same: 'entry' });
    const big = Buffer.alloc(2_000_000, 7);
    await Promise.all([a.putEntry(key, big, { n: 1 }), b.putEntry(key, big, { n: 1 }), a.putEntry(key, big, { n: 1 })]);
    expect((await b.getEntry(key))!.bytes.equals(big)).toBe(true);
    const files = await readdir(join(dir, key.slice(0, 2)));
    expect(files.sort()).toEqual([`${key}.bin`, `${key}.json`]);
  });

  it('evicts the least recently used entries past its size', async () => {
    const cache = new AssetCache({ dir, maxBytes: 2500 });
    const keys = ['a', 'b', 'c'].map((k) => cache.key({ k }));
    await cache.putEntry(keys[0]!, Buffer.alloc(1000), {});
    await new Promise((r) => setTimeout(r, 20));
    await cache.putEntry(keys[1]!, Buffer.alloc(1000), {});
    await new Promise((r) => setTimeout(r, 20));
    await cache.getEntry(keys[0]!); // a is used again: b is now the oldest
    await new Promise((r) => setTimeout(r, 20));
    await cache.putEntry(keys[2]!, Buffer.alloc(1000), {});
    expect(await cache.getEntry(keys[1]!)).toBeUndefined();
    expect(await cache.getEntry(keys[0]!)).toBeDefined();
    expect(await cache.getEntry(keys[2]!)).toBeDefined();
  });
});
