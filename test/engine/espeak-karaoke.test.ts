/**
 * Karaoke with the offline voice: espeak-ng gives no word timings, so they are estimated from its
 * audio (estimate-word-times.ts), and the burned captions and the .srt's cues follow them. Real
 * espeak-ng, real ffmpeg, offline images.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { offlineEngine } from '../support/offline-engine.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { boxOf, isGold, type Frame } from './burn-frame.js';
import { EspeakVoiceProvider } from '../../src/providers/voices/espeak.js';
import { AssetCache } from '../../src/providers/cache.js';

const STORY = 'The old keeper climbed the stairs every night. He lit the lamp, watched the sea, and waited for the ships.';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-espeak-karaoke-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('espeak-ng narration with karaoke captions', () => {
  it('burns karaoke timed by the estimated word times, and says the timings were estimated', async () => {
    const engine = offlineEngine();
    const result = await engine.render({
      story: STORY,
      out: join(dir, 'a.mp4'),
      options: { aspect: '1:1', scenes: 2, maxBytes: 2_000_000, seed: 3 },
    });
    expect(result.sceneResults.map((s) => [s.voice.timings, s.captions])).toEqual([
      ['estimated', 'karaoke'],
      ['estimated', 'karaoke'],
    ]);
    // what espeak-ng gives for each scene's narration (the same text, the same audio)
    const espeak = new EspeakVoiceProvider();
    for (const [i, scene] of result.script.scenes.entries()) {
      const speech = await espeak.synthesize({ text: scene.narration });
      expect(speech.wordTimings).toBe('estimated');
      const start = result.timeline.scenes[i]!.start + result.timeline.scenes[i]!.narration!.lead;
      const end = start + result.sceneResults[i]!.narrationSeconds;
      // the cues of this scene carry every word lit at its estimated time
      const cueWords = result.captions!.filter((c) => c.start >= start - 1e-6 && c.start < end).flatMap((c) => c.words ?? []);
      expect(cueWords.map((w) => w.text)).toEqual(scene.narration.split(/\s+/));
      cueWords.forEach((w, k) => {
        if (k > 0) expect(w.start).toBeCloseTo(start + speech.words![k]!.start, 3);
      });
    }
  });

  it('in the MP4, the light moves onto each word at its estimated start', async () => {
    const story = 'The fox found lanterns in the snow.';
    const options = { aspect: '1:1' as const, scenes: 1, maxBytes: 1_500_000, seed: 7 };
    const karaoke = await offlineEngine().render({ story, out: join(dir, 'k.mp4'), options });
    await offlineEngine().render({ story, out: join(dir, 'p.mp4'), options: { ...options, captions: 'plain' } });
    const speech = await new EspeakVoiceProvider().synthesize({ text: story });
    const lead = karaoke.timeline.scenes[0]!.narration!.lead;
    const starts = speech.words!.map((w) => w.start + lead);
    const { ffmpeg } = resolveFfmpeg();
    const frame = async (file: string, t: number): Promise<Frame> => {
      const args = [
        '-v',
        'error',
        '-i',
        join(dir, file),
        '-ss',
        t.toFixed(3),
        '-frames:v',
        '1',
        '-pix_fmt',
        'rgb24',
        '-f',
        'rawvideo',
        '-',
      ];
      const { stdout } = await promisify(execFile)(ffmpeg, args, { encoding: 'buffer', maxBuffer: 4 * karaoke.width * karaoke.height });
      return { width: karaoke.width, height: karaoke.height, rgb: stdout };
    };
    // gold in the karaoke frame that the plain frame has not: the lit word
    const lit = async (t: number) => {
      const [k, p] = [await frame('k.mp4', t), await frame('p.mp4', t)];
      const only: Frame = { ...k, rgb: Buffer.from(k.rgb) };
      for (let i = 0; i < only.rgb.length; i += 3) if (isGold([p.rgb[i]!, p.rgb[i + 1]!, p.rgb[i + 2]!])) only.rgb.fill(0, i, i + 3);
      return boxOf(only, isGold);
    };
    for (const k of [1, 2, 3]) {
      const before = await lit(starts[k]! - 0.045);
      const after = await lit(starts[k]! + 0.045);
      expect(before, `word ${k - 1} lit`).toBeDefined();
      expect(after, `word ${k} lit`).toBeDefined();
      expect(after!.x1, `the light moved right onto word ${k}`).toBeGreaterThan(before!.x1 + 10);
    }
  });

  it('plain captions asked for are plain, though the timings exist', async () => {
    const result = await offlineEngine().render({
      story: 'The moon rose.',
      out: join(dir, 'b.mp4'),
      options: { aspect: '1:1', scenes: 1, maxBytes: 2_000_000, captions: 'plain' },
    });
    expect(result.sceneResults[0]).toMatchObject({ voice: { timings: 'estimated' }, captions: 'plain' });
  });

  it('a cached narration from before the estimate (no words) is estimated from its audio', async () => {
    const cache = new AssetCache({ dir: join(dir, 'cache'), maxBytes: 50_000_000 });
    const espeak = new EspeakVoiceProvider();
    // a voice without timings, as espeak-ng was: its speech cached without words
    const untimed = {
      name: espeak.name,
      model: espeak.model,
      defaultVoice: espeak.defaultVoice,
      concurrency: 1,
      synthesize: async (req: Parameters<EspeakVoiceProvider['synthesize']>[0]) => {
        const { audio, format } = await espeak.synthesize(req);
        return { audio, format };
      },
    };
    const first = await offlineEngine({ voices: untimed, cache }).render({
      story: 'The moon rose over the hill.',
      out: join(dir, 'c.mp4'),
      options: { aspect: '1:1', scenes: 1, maxBytes: 2_000_000 },
    });
    expect(first.sceneResults[0]).toMatchObject({ voice: { timings: 'estimated', cached: false }, captions: 'karaoke' });
    const again = await offlineEngine({ cache }).render({
      story: 'The moon rose over the hill.',
      out: join(dir, 'd.mp4'),
      options: { aspect: '1:1', scenes: 1, maxBytes: 2_000_000 },
    });
    expect(again.sceneResults[0]).toMatchObject({ voice: { timings: 'estimated', cached: true }, captions: 'karaoke' });
  });
});
