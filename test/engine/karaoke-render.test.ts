/**
 * Karaoke end to end: the engine with the real Inworld client against the fake (which times every
 * word of its espeak-ng speech), offline images, real ffmpeg. In the finished MP4 the highlight
 * moves onto each word within 45 ms after the word's start (the issue allows 80 ms), and plain
 * captions of the same render light nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEngine, type Engine } from '../../src/engine/create-engine.js';
import { LocalImageProvider } from '../../src/providers/images/local.js';
import { EspeakVoiceProvider } from '../../src/providers/voices/espeak.js';
import { InworldVoiceProvider, INWORLD_SAMPLE_RATE } from '../../src/providers/voices/inworld.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { alignWords, speak, startFakeInworld } from '../fakes/providers.js';
import type { FakeServer } from '../fakes/providers.js';
import { fakeConfig, TEST_KEYS } from '../support/provider-config.js';
import { boxOf, isGold, type Frame } from './burn-frame.js';

const STORY = 'The fox found lanterns in the snow.';
const { ffmpeg } = resolveFfmpeg();
let dir: string;
let fake: FakeServer;
let engine: Engine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-karaoke-render-'));
  fake = await startFakeInworld({ apiKey: TEST_KEYS.inworld });
  const images = new LocalImageProvider();
  const writer = new LocalSceneWriter();
  engine = createEngine({
    images,
    voices: new InworldVoiceProvider(fakeConfig({ inworld: fake.url }).voices.inworld),
    writer,
    fallbackImages: images,
    fallbackVoices: new EspeakVoiceProvider(),
    fallbackWriter: writer,
    ffmpeg: resolveFfmpeg(),
  });
});
afterAll(async () => {
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

async function frameOf(video: string, width: number, height: number, t: number): Promise<Frame> {
  const args = ['-v', 'error', '-i', video, '-ss', t.toFixed(3), '-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'rawvideo', '-'];
  const { stdout } = await promisify(execFile)(ffmpeg, args, { encoding: 'buffer', maxBuffer: 4 * width * height });
  return { width, height, rgb: stdout };
}

/**
 * Box of the pixels gold in `karaoke` but not in `plain` (the same frame without the highlight),
 * counting only pixels with at least 3 such neighbours: a lit word is a solid area, while the two
 * encodes of a moving picture with something gold in it (the offline card's lantern) differ by a
 * stray pixel here and there, which would stretch the box.
 */
function highlight(karaoke: Frame, plain: Frame) {
  const { width, height } = karaoke;
  const lit = new Uint8Array(width * height);
  for (let j = 0; j < lit.length; j++) {
    const i = j * 3;
    const k: [number, number, number] = [karaoke.rgb[i]!, karaoke.rgb[i + 1]!, karaoke.rgb[i + 2]!];
    const p: [number, number, number] = [plain.rgb[i]!, plain.rgb[i + 1]!, plain.rgb[i + 2]!];
    lit[j] = isGold(k) && !isGold(p) ? 1 : 0;
  }
  const solid: Frame = { ...karaoke, rgb: Buffer.alloc(karaoke.rgb.length) };
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const j = y * width + x;
      if (!lit[j]) continue;
      let around = 0;
      for (const d of [-width - 1, -width, -width + 1, -1, 1, width - 1, width, width + 1]) around += lit[j + d]!;
      if (around >= 3) solid.rgb.set([255, 200, 0], j * 3);
    }
  }
  return boxOf(solid, isGold);
}

describe('karaoke captions in a rendered video', () => {
  it('the spoken word is lit from its start, not before; plain captions light nothing', async () => {
    const options = { aspect: '1:1' as const, scenes: 1, maxBytes: 1_500_000, seed: 7 };
    const karaoke = await engine.render({ story: STORY, out: join(dir, 'karaoke.mp4'), options: { ...options, captions: 'karaoke' } });
    await engine.render({ story: STORY, out: join(dir, 'plain.mp4'), options: { ...options, captions: 'plain' } });
    expect(karaoke).toMatchObject({ language: 'en', voices: ['Ashley'], fallbackScenes: [] });

    // The fake's word timings for this text (what the Inworld client received).
    const speech = await speak(STORY, 'LINEAR16', INWORLD_SAMPLE_RATE, 1);
    // in the video, the voice starts after the scene's lead-in
    const lead = karaoke.timeline.scenes[0]!.narration!.lead;
    expect(lead).toBeGreaterThan(0);
    const starts = alignWords(STORY, speech.voiced, 'words').wordStartTimeSeconds.map((s) => s + lead);
    const { width, height } = karaoke;
    const at = async (t: number) =>
      highlight(await frameOf(join(dir, 'karaoke.mp4'), width, height, t), await frameOf(join(dir, 'plain.mp4'), width, height, t));

    if (starts[0]! > 0.1) expect(await at(starts[0]! - 0.06), 'nothing lit before the first word').toBeUndefined();
    // Words 2-4 ("fox found lanterns") share the first caption chunk ("The fox found lanterns", 4 words) with the word before them.
    for (const k of [1, 2, 3]) {
      const before = await at(starts[k]! - 0.045);
      const after = await at(starts[k]! + 0.045);
      expect(before, `word ${k - 1} lit`).toBeDefined();
      expect(after, `word ${k} lit`).toBeDefined();
      // bold outlined words sit close: the next word's light starts past the middle of the one before
      // (their anti-aliased edges may touch), and ends well past its end
      expect(after!.x0, `the light moved right onto word ${k}`).toBeGreaterThan((before!.x0 + before!.x1) / 2);
      expect(after!.x1, `the light moved right onto word ${k}`).toBeGreaterThan(before!.x1 + 10);
    }
    // Plain captions of the same frames: (almost) no gold, where karaoke has a word's worth.
    const t = starts[2]! + 0.045;
    const plainGold = boxOf(await frameOf(join(dir, 'plain.mp4'), width, height, t), isGold)?.count ?? 0;
    const karaokeGold = boxOf(await frameOf(join(dir, 'karaoke.mp4'), width, height, t), isGold)!.count;
    expect(plainGold).toBeLessThan(karaokeGold / 10);
  });
});
