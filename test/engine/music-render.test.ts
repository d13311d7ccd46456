/**
 * The engine's music (issue 20, item 7) end to end, offline providers and real ffmpeg: the render
 * host's default (DEFAULT_MUSIC) plays when a request names none, its loop is generated once and
 * kept, a request's "none" wins over the default, and the video is at -14 LUFS under -1 dBTP.
 * The config's DEFAULT_MUSIC is calm unless set, and refuses what is not a mood or none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlineEngine } from '../support/offline-engine.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { parseEbur128Summary } from '../../src/media/loudness.js';
import { loadConfig } from '../../src/config.js';

const { ffmpeg } = resolveFfmpeg();
let dir: string;

const STORY = 'The keeper climbed the tower at dusk. He lit the great lamp, and the ships came home.';

function measure(path: string, filter = '') {
  const log = spawnSync(
    ffmpeg,
    ['-hide_banner', '-nostats', '-i', path, '-af', `${filter}ebur128=peak=true:framelog=verbose`, '-f', 'null', '-'],
    {
      encoding: 'utf8',
    },
  ).stderr;
  return parseEbur128Summary(log)!;
}

/** RMS level (dBFS) of the video's last 0.3 s but 50 ms: after the narration, where only a bed can play (fading out). */
function tailLevel(path: string): number {
  const bytes = execFileSync(ffmpeg, ['-v', 'error', '-i', path, '-f', 'f32le', '-ac', '1', '-ar', '48000', '-'], { maxBuffer: 1e9 });
  const samples = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const tail = samples.subarray(samples.length - 0.3 * 48_000, samples.length - 0.05 * 48_000);
  return 10 * Math.log10(tail.reduce((sum, v) => sum + v * v, 0) / tail.length + 1e-20);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-music-render-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('music in a rendered video', () => {
  it('plays the default mood, made once, unless the request says none; the video is at -14 LUFS', async () => {
    const musicDir = join(dir, 'music');
    const engine = offlineEngine({ music: { default: 'warm', dir: musicDir } });
    const options = { aspect: '1:1' as const, scenes: 1, maxBytes: 2_000_000 };
    const withBed = join(dir, 'warm.mp4');
    await engine.render({ story: STORY, out: withBed, options });
    const loops = await readdir(musicDir);
    expect(loops).toEqual(['warm-v2.wav']);
    const made = (await stat(join(musicDir, 'warm-v2.wav'))).mtimeMs;

    const withoutBed = join(dir, 'none.mp4');
    await engine.render({ story: STORY, out: withoutBed, options: { ...options, music: 'none' } });
    const again = join(dir, 'warm-again.mp4');
    await engine.render({ story: STORY, out: again, options });
    // the loop was kept, not made again
    expect((await stat(join(musicDir, 'warm-v2.wav'))).mtimeMs).toBe(made);

    for (const video of [withBed, withoutBed]) {
      const summary = measure(video);
      expect(Math.abs(summary.integrated - -14)).toBeLessThanOrEqual(1);
      expect(summary.truePeak!).toBeLessThanOrEqual(-1);
    }
    // after the last word: the pad (fading out) with the bed, silence without it
    expect(tailLevel(withBed)).toBeGreaterThan(-50);
    expect(tailLevel(withoutBed)).toBeLessThan(-90);
  });

  it('DEFAULT_MUSIC is calm unless set, and is a mood or none', () => {
    expect(loadConfig({}).defaultMusic).toBe('calm');
    expect(loadConfig({ DEFAULT_MUSIC: 'none' }).defaultMusic).toBe('none');
    expect(() => loadConfig({ DEFAULT_MUSIC: 'jazz' })).toThrow(/DEFAULT_MUSIC/);
  });
});
