/**
 * The benchmark's prepared story: every scene's image, narration and captions written to a
 * folder, fetched from the same providers (the fakes) with the same prompts and seeds storyreel
 * used, and timed with storyreel's own rules, so the peers render exactly the timeline storyreel
 * renders from its cache.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Aspect, Script } from '../core/story.js';
import type { ImageProvider, VoiceProvider } from '../providers/types.js';
import { composeImagePrompt } from '../engine/styles.js';
import { imageSizeFor, sceneSeconds } from '../engine/timeline.js';
import { plannedLength } from '../engine/encoding-plan.js';
import { chunkCaptions, type CaptionChunk } from '../engine/captions.js';
import { buildAss } from '../engine/caption-ass.js';
import { planEncoding, type EncodingPlan } from '../media/plan.js';
import { MOTIONS } from '../media/clip-args.js';
import { wavSeconds } from '../media/wav-seconds.js';
import type { PreparedScene } from './one-pass-args.js';

export interface PreparedStory {
  scenes: PreparedScene[];
  plan: EncodingPlan;
  /** Every scene's captions on one timeline, as storyreel's batches burn them. */
  timelineSubtitles: string;
  durationSeconds: number;
}

const EXT = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const;

export async function prepareScenes(input: {
  script: Script;
  seeds: number[];
  aspect: Aspect;
  maxBytes: number;
  images: ImageProvider;
  voices: VoiceProvider;
  dir: string;
}): Promise<PreparedStory> {
  const { script, aspect, dir } = input;
  const size = imageSizeFor(aspect);
  const fetched = await Promise.all(
    script.scenes.map(async (scene, i) => {
      const [image, speech] = await Promise.all([
        input.images.generate({
          prompt: composeImagePrompt(scene.imagePrompt, script.visualBrief, undefined),
          ...size,
          seed: input.seeds[i]!,
        }),
        input.voices.synthesize({ text: scene.narration }),
      ]);
      const imagePath = join(dir, `scene-${i}.${EXT[image.mime]}`);
      const voicePath = join(dir, `voice-${i}.${speech.format}`);
      await Promise.all([writeFile(imagePath, image.bytes), writeFile(voicePath, speech.audio)]);
      const seconds = await wavSeconds(voicePath);
      if (seconds === undefined) throw new Error(`bench: scene ${i + 1}'s narration is not a PCM WAV`);
      return { imagePath, voicePath, seconds, words: speech.words };
    }),
  );
  const texts = script.scenes.map((s) => s.narration);
  const durationSeconds = plannedLength(
    fetched.map((f) => f.seconds),
    texts,
  ).durationSeconds;
  const plan = planEncoding({ aspect, maxBytes: input.maxBytes, durationSeconds });
  const video = { width: plan.width, height: plan.height };
  const timeline: CaptionChunk[] = [];
  let offset = 0;
  const scenes: PreparedScene[] = [];
  for (const [i, f] of fetched.entries()) {
    const chunks = chunkCaptions(script.scenes[i]!.narration, f.seconds, f.words);
    const seconds = sceneSeconds(f.seconds, plan.fps);
    timeline.push(...chunks.map((c) => ({ ...c, start: c.start + offset, end: c.end + offset })));
    scenes.push({
      image: f.imagePath,
      voice: f.voicePath,
      voiceSeconds: f.seconds,
      seconds,
      motion: MOTIONS[input.seeds[i]! % MOTIONS.length]!,
    });
    offset += seconds;
  }
  const timelineSubtitles = join(dir, 'timeline.ass');
  await writeFile(timelineSubtitles, buildAss(timeline, video), 'utf8');
  return { scenes, plan, timelineSubtitles, durationSeconds: offset };
}
