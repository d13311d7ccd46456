/**
 * The TS loudness meter against ffmpeg's ebur128 (the reference the issue measures with), and the
 * master stage: the limiter never lets a sample past its ceiling, and the gain search lands on
 * the target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { integratedLoudness, parseEbur128Summary, pcmToFloat } from '../../src/media/loudness.js';
import { limit, masterToTarget } from '../../src/media/limiter.js';
import { readWav } from '../../src/core/wav.js';

const { ffmpeg } = resolveFfmpeg();
let dir: string;

const peak = (samples: Float32Array) => samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

const ffmpegLoudness = (path: string) =>
  parseEbur128Summary(
    spawnSync(ffmpeg, ['-hide_banner', '-nostats', '-i', path, '-af', 'ebur128=framelog=verbose', '-f', 'null', '-'], { encoding: 'utf8' })
      .stderr,
  )!.integrated;

/** Speech-like test signal: bursts of noise, a loud click now and then (peaks 20 dB over the body). */
function bursts(seconds: number, rate: number): Float32Array {
  const out = new Float32Array(seconds * rate);
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647 - 0.5;
  };
  for (let i = 0; i < out.length; i++) {
    const on = Math.sin((2 * Math.PI * i) / rate) > -0.2 ? 1 : 0;
    out[i] = on * random() * 0.1 + (i % (rate / 2) === 0 ? 0.9 : 0);
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-loudness-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the loudness meter', () => {
  it('agrees with ffmpeg ebur128 within 0.2 LU, on espeak speech at 22.05 kHz and a tone at 48 kHz', async () => {
    const speech = join(dir, 'speech.wav');
    execFileSync('espeak-ng', ['-v', 'en-us', '-w', speech, 'The keeper climbed the tower and lit the great lamp before the storm.']);
    const tone = join(dir, 'tone.wav');
    execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=300:r=48000:d=3', '-af', 'volume=-12dB', tone]);
    for (const path of [speech, tone]) {
      const pcm = readWav(await readFile(path))!;
      expect(Math.abs(integratedLoudness(pcmToFloat(pcm), pcm.sampleRate) - ffmpegLoudness(path))).toBeLessThanOrEqual(0.2);
    }
    expect(integratedLoudness(new Float32Array(48_000), 48_000)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('the master stage', () => {
  it('keeps every sample under the ceiling', () => {
    const signal = bursts(4, 48_000);
    const ceiling = 10 ** (-2 / 20);
    const out = limit(signal, 4, ceiling, 48_000);
    expect(peak(out)).toBeLessThanOrEqual(ceiling + 1e-6);
    // and leaves a signal that stays under the ceiling alone
    const quiet = signal.map((v) => Math.min(0.05, Math.max(-0.05, v)));
    expect(limit(quiet, 4, ceiling, 48_000)).toEqual(quiet.map((v) => v * 4));
  });

  it('finds the gain that puts the limited signal at the target', () => {
    const signal = bursts(6, 48_000);
    const mastered = masterToTarget(signal, 48_000, -14, -2);
    expect(Math.abs(mastered.loudness - -14)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(integratedLoudness(mastered.samples, 48_000) - -14)).toBeLessThanOrEqual(0.1);
    expect(peak(mastered.samples)).toBeLessThanOrEqual(10 ** (-2 / 20) + 1e-6);
  });
});
