import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetCache } from '../../src/providers/cache.js';
import { soundtrackCacheKey, soundtrackCached, type SoundtrackInput } from '../../src/engine/soundtrack-cache.js';

let dir: string;
let cache: AssetCache;
let input: SoundtrackInput;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundtrack-cache-'));
  cache = new AssetCache({ dir: join(dir, 'cache'), maxBytes: 10 * 1024 * 1024 });
  await writeFile(join(dir, 'a.wav'), 'narration one');
  await writeFile(join(dir, 'b.wav'), 'narration two');
  input = {
    parts: [
      { path: join(dir, 'a.wav'), seconds: 5, lead: 0.25, spokenSeconds: 4.5 },
      { path: join(dir, 'b.wav'), seconds: 6, lead: 0.25, spokenSeconds: 5.5 },
    ],
    music: 'calm',
    audioKbps: 96,
  };
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the soundtrack in the cache', () => {
  it('is keyed by the narration bytes, the timing, the music and the bitrate; a file of music is never cached', async () => {
    const key = await soundtrackCacheKey(cache, input);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    // the same inputs read again: the same key
    expect(await soundtrackCacheKey(cache, { ...input, parts: input.parts.map((p) => ({ ...p })) })).toBe(key);
    const changed = [
      { ...input, music: 'mystery' },
      { ...input, music: 'none' },
      { ...input, audioKbps: 128 },
      { ...input, parts: [{ ...input.parts[0]!, lead: 1.75 }, input.parts[1]!] },
      { ...input, parts: [input.parts[0]!, { ...input.parts[1]!, seconds: 6.5 }] },
    ];
    for (const other of changed) expect(await soundtrackCacheKey(cache, other)).not.toBe(key);
    // the same file names with other bytes (an evicted voice made again differently)
    await writeFile(join(dir, 'b.wav'), 'narration two, said again');
    expect(await soundtrackCacheKey(cache, input)).not.toBe(key);
    await writeFile(join(dir, 'b.wav'), 'narration two');
    expect(await soundtrackCacheKey(cache, { ...input, music: join(dir, 'song.mp3') })).toBeUndefined();
  });

  it('a render keeps it, only a redo reads it back (without rendering), and a user file always renders', async () => {
    let renders = 0;
    const render = (out: string, bytes: string) => async () => {
      renders++;
      await writeFile(out, bytes);
    };
    const first = join(dir, 'first.m4a');
    await soundtrackCached({ cache, read: false }, { ...input, out: first }, render(first, 'soundtrack bytes'));
    expect(renders).toBe(1);

    // a plain render of the same story renders again (what the bench's render alone measures)
    const again = join(dir, 'again.m4a');
    await soundtrackCached({ cache, read: false }, { ...input, out: again }, render(again, 'soundtrack bytes'));
    expect(renders).toBe(2);

    // a redo takes the kept one
    const redo = join(dir, 'redo.m4a');
    await soundtrackCached({ cache, read: true }, { ...input, out: redo }, render(redo, 'not this'));
    expect(renders).toBe(2);
    expect(await readFile(redo, 'utf8')).toBe('soundtrack bytes');

    // a redo with other narration timing misses and renders
    const moved = join(dir, 'moved.m4a');
    const shifted = { ...input, parts: [{ ...input.parts[0]!, lead: 1.75 }, input.parts[1]!] };
    await soundtrackCached({ cache, read: true }, { ...shifted, out: moved }, render(moved, 'moved bytes'));
    expect(renders).toBe(3);
    expect(await readFile(moved, 'utf8')).toBe('moved bytes');

    // a music file: rendered every time, nothing kept
    const own = join(dir, 'own.m4a');
    const withFile = { ...input, music: join(dir, 'song.mp3') };
    await soundtrackCached({ cache, read: true }, { ...withFile, out: own }, render(own, 'own bytes'));
    await soundtrackCached({ cache, read: true }, { ...withFile, out: own }, render(own, 'own bytes'));
    expect(renders).toBe(5);
  });
});
