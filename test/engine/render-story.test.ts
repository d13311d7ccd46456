import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlineEngine } from '../support/offline-engine.js';
import { probeMedia } from '../../src/media/probe.js';
import { moovBeforeMdat } from '../support/mp4-boxes.js';
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { planEncoding } from '../../src/media/plan.js';
import { liveFfmpegCount } from '../../src/media/run.js';
import type { ProgressEvent } from '../../src/engine/events.js';
import { StoryInputError } from '../../src/engine/story-input.js';
import { SCENE_GAP_SECONDS } from '../../src/engine/timeline.js';
import { LocalImageProvider } from '../../src/providers/images/local.js';
import type { GeneratedImage, ImageProvider, ImageRequest } from '../../src/providers/types.js';

const STORY = `A small fox found a lantern in the snow. It glowed softly in the dark forest.

The fox carried the lantern to the river, where a tired heron was waiting.

Together they followed the light home, and the night felt warm.`;

const { ffprobe } = resolveFfmpeg();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-render-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renderStory (offline providers, real ffmpeg)', () => {
  it('renders a 3-scene story into a faststart H.264/AAC MP4 whose length is the narration', async () => {
    const events: ProgressEvent[] = [];
    const out = join(dir, 'three.mp4');
    const maxBytes = 3_000_000;
    const result = await offlineEngine().render({
      story: STORY,
      out,
      options: { aspect: '9:16', scenes: 3, maxBytes },
      onProgress: (e) => events.push(e),
    });

    const info = await probeMedia(ffprobe, out);
    expect(result.scenes).toBe(3);
    expect(info.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p' });
    expect(info.audio?.codec).toBe('aac');
    const expected = planEncoding({ aspect: '9:16', maxBytes, durationSeconds: result.durationSeconds });
    expect([info.video!.width, info.video!.height]).toEqual([expected.width, expected.height]);
    // The narration track (each scene's voice plus its pause) sets the length.
    const narration = result.sceneResults.reduce((s, x) => s + x.seconds, 0);
    expect(Math.abs(info.durationSeconds - narration)).toBeLessThan(0.1);
    const spoken = result.sceneResults.reduce((s, x) => s + x.narrationSeconds + SCENE_GAP_SECONDS, 0);
    expect(Math.abs(info.durationSeconds - spoken)).toBeLessThan(0.1);
    expect(Math.abs(info.video!.durationSeconds - info.audio!.durationSeconds)).toBeLessThan(0.05);
    expect(await moovBeforeMdat(out)).toBe(true);
    expect((await stat(out)).size).toBeLessThanOrEqual(maxBytes);
    expect(result.fallbackScenes).toEqual([]);

    // Every scene's clip was rendered, and each only after its own image and voice existed.
    for (let scene = 0; scene < 3; scene++) {
      const clipStart = events.findIndex((e) => e.type === 'clip' && e.scene === scene && e.state === 'started');
      const assetsDone = events.filter((e, i) => e.type === 'asset' && e.scene === scene && e.state === 'done' && i < clipStart);
      expect(assetsDone.map((e) => (e as { kind: string }).kind).sort()).toEqual(['image', 'voice']);
    }
    expect(events.at(-1)).toMatchObject({ type: 'done', sizeBytes: result.sizeBytes });
  });

  it('renders captions holding quotes, colons, backslashes, percent, braces, emoji and several scripts', async () => {
    const story = [
      `He said: "100% {sure}" \\N isn't a newline; C:\\path\\to [x], y=z.`,
      `Emoji time 😀🎬👩‍👩‍👧 and 'single' quotes.`,
      `日本語の物語です。中文故事。`,
      `مرحبا بالعالم. Привет, мир!`,
    ].join('\n\n');
    const out = join(dir, 'awkward.mp4');
    const result = await offlineEngine().render({ story, out, options: { aspect: '1:1', maxBytes: 4_000_000 } });
    const info = await probeMedia(ffprobe, out);
    expect(result.scenes).toBeGreaterThanOrEqual(3);
    expect(info.video).toMatchObject({ codec: 'h264', width: 720, height: 720 });
    expect(result.fallbackScenes).toEqual([]);
  });

  it('squeezes a video into a small size limit', async () => {
    const out = join(dir, 'small.mp4');
    const maxBytes = 1_000_000;
    const result = await offlineEngine().render({ story: STORY, out, options: { aspect: '16:9', maxBytes } });
    expect(result.sizeBytes).toBeLessThanOrEqual(maxBytes);
    expect((await stat(out)).size).toBe(result.sizeBytes);
    expect([result.width, result.height]).toEqual([1280, 720]);
  });

  it('scenes ready together share a batch; an image ffmpeg cannot read sends only its own scene to a local card', async () => {
    const local = new LocalImageProvider();
    // the second scene (seed 701) gets a PNG signature followed by junk: it passes as an image until ffmpeg decodes it
    // All three images are answered once every narration is in, so scenes tend to be ready together
    // and share a batch; whether they do depends on timing (a free render slot takes a scene that is
    // ready alone), so only the outcome is checked here: batching itself is tested in
    // test/media/batch-clip.test.ts and test/engine/clip-batches.test.ts.
    let release!: () => void;
    const together = new Promise<void>((r) => (release = r));
    const voiced = new Set<number>();
    const broken: ImageProvider = {
      name: 'broken-at-2',
      model: 'test',
      concurrency: 4,
      generate: async (req: ImageRequest) => {
        const image: GeneratedImage =
          req.seed === 701
            ? {
                bytes: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2048, 7)]),
                mime: 'image/png',
                width: req.width,
                height: req.height,
              }
            : await local.generate(req);
        await together;
        return image;
      },
    };
    const events: ProgressEvent[] = [];
    const out = join(dir, 'broken-image.mp4');
    const result = await offlineEngine({ images: broken, fallbackImages: local }).render({
      story: STORY,
      out,
      options: { aspect: '9:16', scenes: 3, maxBytes: 3_000_000, seed: 700 },
      onProgress: (e) => {
        events.push(e);
        if (e.type === 'asset' && e.kind === 'voice' && (e.state === 'done' || e.state === 'cached')) voiced.add(e.scene);
        if (voiced.size === 3) release();
      },
    });
    const starts = events.filter((e) => e.type === 'clip' && e.state === 'started');
    // all three were ready together: one batch, started and finished together (then the retry scene by scene)
    expect(starts.map((e) => (e as { scene: number }).scene).sort()).toEqual([0, 1, 2]);
    const dones = events.filter((e) => e.type === 'clip' && e.state === 'done') as { ms?: number }[];
    expect(dones).toHaveLength(3);
    expect(result.fallbackScenes).toEqual([1]);
    expect(result.sceneResults.map((s) => s.image.fallback)).toEqual([false, true, false]);
    expect(events.some((e) => e.type === 'asset' && e.scene === 1 && e.state === 'fallback' && /image unusable/.test(e.error ?? ''))).toBe(
      true,
    );
    const info = await probeMedia(ffprobe, out);
    const planned = result.sceneResults.reduce((t, s) => t + s.seconds, 0);
    expect(info.video!.durationSeconds).toBeCloseTo(planned, 1);
  });

  it('refuses bad input before doing any work', async () => {
    const engine = offlineEngine();
    await expect(engine.render({ story: '  \n ', out: join(dir, 'x.mp4'), options: { aspect: '9:16', maxBytes: 1e7 } })).rejects.toThrow(
      StoryInputError,
    );
    await expect(
      engine.render({ story: 'ok.', out: join(dir, 'x.mp4'), options: { aspect: '9:16', maxBytes: 1e7, scenes: 40 } }),
    ).rejects.toThrow(/from 1 to 20/);
    expect(existsSync(join(dir, 'x.mp4'))).toBe(false);
  });

  it('an abort kills its ffmpeg processes, removes its temp files and writes nothing', async () => {
    const workRoot = join(dir, 'work-abort');
    const out = join(dir, 'aborted.mp4');
    const controller = new AbortController();
    const engine = offlineEngine({ workRoot });
    let sawRunningFfmpeg = false;
    const run = engine.render({
      story: STORY,
      out,
      options: { aspect: '9:16', maxBytes: 20_000_000 },
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'clip' && e.state === 'started' && !controller.signal.aborted) {
          // Give ffmpeg a moment to really be running, then pull the plug.
          setTimeout(() => {
            sawRunningFfmpeg = liveFfmpegCount() > 0;
            controller.abort(new Error('user cancelled'));
          }, 150);
        }
      },
    });
    await expect(run).rejects.toThrow('user cancelled');
    expect(sawRunningFfmpeg).toBe(true);
    expect(liveFfmpegCount()).toBe(0);
    expect(await readdir(workRoot)).toEqual([]);
    expect(existsSync(out)).toBe(false);
    expect((await readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);
  });
});
