import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audioSeconds, wavSeconds } from '../../src/media/wav-seconds.js';
import { probeMedia } from '../../src/media/probe.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { pcmSeconds, readWav, wavLayout, wavSecondsFromHeader, withWavSizes, writeWav } from '../../src/core/wav.js';

const { ffmpeg, ffprobe } = resolveFfmpeg();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-wav-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A WAV with a LIST chunk between fmt and data, as ffmpeg writes unless told not to. */
function wavWithList(seconds: number, rate: number): Buffer {
  const plain = writeWav({ sampleRate: rate, channels: 1, samples: Buffer.alloc(Math.round(seconds * rate) * 2) });
  const list = Buffer.alloc(8 + 26);
  list.write('LIST', 0, 'ascii');
  list.writeUInt32LE(26, 4);
  list.write('INFOISFT', 8, 'ascii');
  return Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
}

describe('wavSeconds: a PCM WAV length from its header, as ffprobe reads it', () => {
  it('agrees with ffprobe on espeak-ng speech and on an ffmpeg-made 48 kHz stereo WAV', async () => {
    const speech = join(dir, 'speech.wav');
    execFileSync('espeak-ng', ['-w', speech, 'The keeper climbed the tower at dusk and lit the lamp.']);
    const stereo = join(dir, 'stereo.wav');
    execFileSync(ffmpeg, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=2.345',
      '-ac',
      '2',
      '-ar',
      '48000',
      '-c:a',
      'pcm_s16le',
      stereo,
    ]);
    for (const path of [speech, stereo]) {
      const probed = (await probeMedia(ffprobe, path)).durationSeconds;
      expect(await wavSeconds(path)).toBeCloseTo(probed, 4);
    }
    expect(await wavSeconds(stereo)).toBeCloseTo(2.345, 3);
  });

  it('skips chunks before the data, and reads a streamed header (size left at 0xFFFFFFFF) to the end of the file', async () => {
    const listed = wavWithList(1.5, 24_000);
    expect(wavSecondsFromHeader(listed, listed.length)).toBeCloseTo(1.5, 6);
    const streamed = Buffer.from(writeWav({ sampleRate: 24_000, channels: 1, samples: Buffer.alloc(24_000) }));
    streamed.writeUInt32LE(0xffffffff, 40);
    expect(wavSecondsFromHeader(streamed, streamed.length)).toBeCloseTo(0.5, 6);
    // a header that promises more than the file holds: what is there
    const cut = streamed.subarray(0, 44 + 12_000);
    cut.writeUInt32LE(24_000, 40);
    expect(wavSecondsFromHeader(cut, cut.length)).toBeCloseTo(0.25, 6);
  });

  it('answers undefined for anything that is not PCM in a WAV, and audioSeconds then asks ffprobe', async () => {
    const mp3 = join(dir, 'tone.mp3');
    execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=1.2', '-c:a', 'libmp3lame', mp3]);
    expect(await wavSeconds(mp3)).toBeUndefined();
    expect(await audioSeconds(ffprobe, mp3)).toBeCloseTo((await probeMedia(ffprobe, mp3)).durationSeconds, 6);
    const alaw = join(dir, 'alaw.wav');
    execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=0.8', '-c:a', 'pcm_alaw', alaw]);
    const bytes = await readFile(alaw);
    expect(wavSecondsFromHeader(bytes, bytes.length)).toBeUndefined();
    expect(await audioSeconds(ffprobe, alaw)).toBeCloseTo(0.8, 2);
    const junk = join(dir, 'junk.wav');
    await writeFile(junk, 'RIFF....WAVEnothing here');
    expect(await wavSeconds(junk)).toBeUndefined();
    await expect(audioSeconds(ffprobe, junk)).rejects.toThrow(/Cannot read media file/);
  });
});

describe('the one WAV reader (core/wav.ts)', () => {
  it('refuses a fmt chunk too short to hold the format, instead of reading past it', () => {
    const wav = writeWav({ sampleRate: 16_000, channels: 1, samples: Buffer.alloc(3200) });
    const short = Buffer.from(wav);
    short.writeUInt32LE(8, 16); // fmt says 8 bytes: no room for rate, channels, bits
    expect(wavLayout(short)).toBeUndefined();
    expect(wavLayout(wav.subarray(0, 30))).toBeUndefined(); // cut inside fmt
    expect(readWav(wav)!.samples.length).toBe(3200);
  });

  it('writes the real sizes into a streamed WAV (espeak-ng --stdout) and leaves other bytes alone', () => {
    const wav = writeWav({ sampleRate: 22_050, channels: 1, samples: Buffer.alloc(4410) });
    const streamed = Buffer.from(wav);
    streamed.writeUInt32LE(0xffffffff, 4);
    streamed.writeUInt32LE(0xffffffff, 40);
    const fixed = withWavSizes(streamed);
    expect(fixed.readUInt32LE(4)).toBe(wav.length - 8);
    expect(fixed.readUInt32LE(40)).toBe(4410);
    expect(pcmSeconds(readWav(fixed)!)).toBeCloseTo(0.1, 6); // 4410 bytes of 16-bit mono at 22.05 kHz
    const notWav = Buffer.from('not a wav at all');
    expect(withWavSizes(notWav)).toBe(notWav);
  });
});
