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
import { buildTimeline, imageSizeFor } from '../engine/timeline.js';
import { plannedLength } from '../engine/encoding-plan.js';
import { chunkCaptions, type CaptionChunk } from '../engine/captions.js';
import { buildAss } from '../engine/caption-ass.js';
import { planEncoding, type EncodingPlan } from '../media/plan.js';
import { wavSeconds } from '../media/wav-seconds.js';
import type { Timeline } from '../core/timeline.js';

export interface PreparedStory {
  /** The story as storyreel times it: every scene's length, move, lead-in and the crossfades. */
  timeline: Timeline;
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
  const timeline = buildTimeline({
    plan,
    scenes: fetched.map((f, i) => ({
      image: { path: f.imagePath },
      narration: { path: f.voicePath, seconds: f.seconds, text: script.scenes[i]!.narration, words: f.words },
      seed: input.seeds[i]!,
    })),
  });
  const chunks: CaptionChunk[] = timeline.scenes.flatMap((scene) => {
    const at = scene.start + scene.narration!.lead;
    return chunkCaptions(scene.narration!.text, scene.narration!.seconds, scene.narration!.words).map((c) => ({
      ...c,
      start: c.start + at,
      end: c.end + at,
    }));
  });
  const timelineSubtitles = join(dir, 'timeline.ass');
  await writeFile(timelineSubtitles, buildAss(chunks, video), 'utf8');
  return { timeline, plan, timelineSubtitles, durationSeconds: timeline.duration };
}
