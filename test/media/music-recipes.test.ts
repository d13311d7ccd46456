/**
 * The shipped music beds (issue 20, item 7): each mood's recipe renders with real ffmpeg into a
 * 32 s loop that is not silent, has no click where it repeats, and is the same bytes every time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { LOOP_SECONDS, MOOD_NAMES } from '../../src/media/music-recipes.js';
import { moodLoop } from '../../src/engine/music.js';
import { readWav } from '../../src/core/wav.js';
import { integratedLoudness, pcmToFloat } from '../../src/media/loudness.js';

const { ffmpeg } = resolveFfmpeg();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-moods-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the moods', () => {
  it.each(MOOD_NAMES)('%s: a 32 s loop, audible, seamless', async (name) => {
    const path = await moodLoop(ffmpeg, name, join(dir, 'a'));
    const pcm = readWav(await readFile(path))!;
    const samples = pcmToFloat(pcm);
    expect(samples.length / pcm.sampleRate).toBeCloseTo(LOOP_SECONDS, 2);
    const loudness = integratedLoudness(samples, pcm.sampleRate);
    expect(loudness).toBeGreaterThan(-45);
    expect(loudness).toBeLessThan(-15);
    // the step from the last sample to the first is no bigger than the biggest step inside the loop
    let largest = 0;
    for (let i = 1; i < samples.length; i++) largest = Math.max(largest, Math.abs(samples[i]! - samples[i - 1]!));
    expect(Math.abs(samples[0]! - samples.at(-1)!)).toBeLessThanOrEqual(largest);
  });

  it('is the same bytes when made again', async () => {
    const first = await readFile(await moodLoop(ffmpeg, 'calm', join(dir, 'a')));
    const second = await readFile(await moodLoop(ffmpeg, 'calm', join(dir, 'b')));
    expect(second.equals(first)).toBe(true);
  });
});
