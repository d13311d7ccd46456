/**
 * One scene's clip: captions timed to its narration, burned over its image with slow motion,
 * video only (the narration is encoded once, in the final mux). If ffmpeg cannot use the
 * provider's image, the scene is rendered again over a local card instead of failing the job.
 * Consecutive scenes ready together render as one clip, in one ffmpeg (see clip-batches.ts).
 */
import { writeFile } from 'node:fs/promises';
import type { Scene } from '../core/story.js';
import type { Emit, GatedProvider, SceneImage, SceneVoice } from './scene-assets.js';
import type { Workspace } from './workspace.js';
import { chunkCaptions, buildAss } from './captions.js';
import { isAbort } from './retry.js';
import { describeError } from '../core/describe-error.js';
import type { ImageProvider } from '../providers/types.js';
import type { FfmpegBinaries } from '../media/binaries.js';
import type { EncodingPlan } from '../media/plan.js';
import { buildBatchClipArgs, buildSceneClipArgs, MOTIONS } from '../media/args.js';
import { runFfmpeg } from '../media/run.js';

export interface ClipContext {
  ffmpeg: FfmpegBinaries;
  workspace: Workspace;
  signal: AbortSignal;
  fallbackImages: GatedProvider<ImageProvider>;
  emit: Emit;
}

export interface ClipJob {
  scene: Scene;
  image: SceneImage;
  voice: SceneVoice & { seconds: number };
  /** The clip's exact length (narration + gap, frame-aligned). */
  seconds: number;
  plan: EncodingPlan;
  seed: number;
}

export interface RenderedClip {
  path: string;
  /** True when the provider's image could not be used and a local card stood in. */
  imageFellBack: boolean;
}

const captionsOf = (job: ClipJob) => chunkCaptions(job.scene.narration, job.voice.seconds, job.voice.words);

async function writeCaptions(ctx: ClipContext, job: ClipJob): Promise<string> {
  const subtitles = ctx.workspace.file(`captions-${job.scene.index}.ass`);
  await writeFile(subtitles, buildAss(captionsOf(job), { width: job.plan.width, height: job.plan.height }), 'utf8');
  return subtitles;
}

/** Every scene's captions on the batch's timeline: each shifted by the scenes before it. */
async function writeBatchCaptions(ctx: ClipContext, jobs: ClipJob[], name: string): Promise<string> {
  let offset = 0;
  const chunks = jobs.flatMap((job) => {
    const shifted = captionsOf(job).map((c) => ({ ...c, start: c.start + offset, end: c.end + offset }));
    offset += job.seconds;
    return shifted;
  });
  const subtitles = ctx.workspace.file(`captions-${name}.ass`);
  await writeFile(subtitles, buildAss(chunks, { width: jobs[0]!.plan.width, height: jobs[0]!.plan.height }), 'utf8');
  return subtitles;
}

const motionOf = (job: ClipJob) => MOTIONS[job.seed % MOTIONS.length]!;

export async function renderSceneClip(ctx: ClipContext, job: ClipJob): Promise<RenderedClip> {
  const i = job.scene.index;
  const subtitles = await writeCaptions(ctx, job);
  const out = ctx.workspace.file(`clip-${i}.mp4`);
  const motion = motionOf(job);
  const render = (image: string) =>
    runFfmpeg(ctx.ffmpeg.ffmpeg, buildSceneClipArgs({ image, subtitles, durationSeconds: job.seconds, plan: job.plan, motion, out }), {
      signal: ctx.signal,
    });
  try {
    await render(job.image.path);
    return { path: out, imageFellBack: false };
  } catch (error) {
    if (isAbort(error, ctx.signal) || job.image.fallback) throw error;
    const { provider } = ctx.fallbackImages;
    const card = await provider.generate({ prompt: job.scene.imagePrompt, width: job.plan.width, height: job.plan.height, seed: job.seed, signal: ctx.signal });
    const cardPath = ctx.workspace.file(`card-${i}.png`);
    await writeFile(cardPath, card.bytes);
    ctx.emit({ type: 'asset', scene: i, kind: 'image', state: 'fallback', attempt: 0, provider: provider.name, error: `image unusable: ${describeError(error)}` });
    await render(cardPath);
    return { path: out, imageFellBack: true };
  }
}

export interface RenderedBatch {
  /** The clip files for these scenes, in order: one, or one per scene after a fallback. */
  paths: string[];
  /** Per scene of the batch, in order. */
  imageFellBack: boolean[];
}

/** Consecutive scenes (same plan) as one clip. If one image is unusable, each scene is rendered on its own, with its stand-in card where needed. */
export async function renderClipBatch(ctx: ClipContext, jobs: ClipJob[]): Promise<RenderedBatch> {
  if (jobs.length === 1) {
    const clip = await renderSceneClip(ctx, jobs[0]!);
    return { paths: [clip.path], imageFellBack: [clip.imageFellBack] };
  }
  const name = `${jobs[0]!.scene.index}-${jobs.at(-1)!.scene.index}`;
  const subtitles = await writeBatchCaptions(ctx, jobs, name);
  const out = ctx.workspace.file(`clip-${name}.mp4`);
  const scenes = jobs.map((job) => ({ image: job.image.path, durationSeconds: job.seconds, motion: motionOf(job) }));
  try {
    await runFfmpeg(ctx.ffmpeg.ffmpeg, buildBatchClipArgs({ scenes, subtitles, plan: jobs[0]!.plan, out }), { signal: ctx.signal });
    return { paths: [out], imageFellBack: jobs.map(() => false) };
  } catch (error) {
    if (isAbort(error, ctx.signal)) throw error;
    const clips: RenderedClip[] = [];
    for (const job of jobs) clips.push(await renderSceneClip(ctx, job));
    return { paths: clips.map((c) => c.path), imageFellBack: clips.map((c) => c.imageFellBack) };
  }
}
