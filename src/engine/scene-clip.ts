/**
 * One scene's clip: captions timed to its narration, burned over its image with slow motion,
 * video only (the narration is encoded once, in the final mux). If ffmpeg cannot use the
 * provider's image, the scene is rendered again over a local card instead of failing the job.
 * Consecutive scenes ready together render as one clip, in one ffmpeg (see clip-batches.ts).
 */
import { writeFile } from 'node:fs/promises';
import type { CaptionMode, CaptionPosition, Scene } from '../core/story.js';
import type { Emit, GatedProvider, SceneImage, SceneVoice } from './scene-assets.js';
import type { Workspace } from './workspace.js';
import { buildAss } from './caption-ass.js';
import { consecutiveStarts, videoCues } from './video-cues.js';
import { titleCardEvents } from './title-card.js';
import { isAbort } from './retry.js';
import { describeError } from '../core/describe-error.js';
import { createLogger } from '../core/log.js';
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
  /** karaoke (the default) lights the word being said when the voice timed its words. */
  captions?: CaptionMode;
  /** The story is written right to left. */
  rtl?: boolean;
  /** The story's language (BCP-47): which words a caption should not end on. */
  language?: string;
  /** Where captions sit (default: the safe bottom). */
  captionsPosition?: CaptionPosition;
  /** Scene 0 of a story that opened with a title: the card shown over its first `seconds`. */
  title?: { text: string; seconds: number };
}

export interface RenderedClip {
  path: string;
  /** True when the provider's image could not be used and a local card stood in. */
  imageFellBack: boolean;
}

/** The scene's captions as an ASS file's text; undefined when the job asks for none. */
export function sceneAss(job: ClipJob): string | undefined {
  return captionsAss([job]);
}

/**
 * Captions of consecutive scenes on one timeline (each scene's chunks and words shifted by the
 * scenes before it), as an ASS file's text; undefined when they ask for none.
 */
function captionsAss(jobs: ClipJob[]): string | undefined {
  const first = jobs[0]!;
  const mode = first.captions ?? 'karaoke';
  const { width, height } = first.plan;
  const position = first.captionsPosition;
  const starts = consecutiveStarts(jobs.map((job) => job.seconds));
  const titled = jobs.findIndex((job) => job.title);
  const title = jobs[titled]?.title;
  const extraEvents = title
    ? titleCardEvents(title.text, { width, height, start: starts[titled]!, end: starts[titled]! + title.seconds, position })
    : [];
  if (mode === 'none' && extraEvents.length === 0) return undefined;
  const cues =
    mode === 'none'
      ? []
      : videoCues(
          jobs.map((job, k) => ({
            narration: job.scene.narration,
            narrationSeconds: job.voice.seconds,
            words: job.voice.words,
            start: starts[k]!,
          })),
          first.language,
        );
  return buildAss(cues, { width, height, karaoke: mode === 'karaoke', rtl: first.rtl, position, extraEvents });
}

async function writeCaptions(ctx: ClipContext, jobs: ClipJob[], name: string): Promise<string | undefined> {
  const ass = captionsAss(jobs);
  if (ass === undefined) return undefined;
  const subtitles = ctx.workspace.file(`captions-${name}.ass`);
  await writeFile(subtitles, ass, 'utf8');
  return subtitles;
}

const log = createLogger('render');

const motionOf = (job: ClipJob) => MOTIONS[job.seed % MOTIONS.length]!;

export async function renderSceneClip(ctx: ClipContext, job: ClipJob): Promise<RenderedClip> {
  const i = job.scene.index;
  const subtitles = await writeCaptions(ctx, [job], String(i));
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
    const card = await provider.generate({
      prompt: job.scene.imagePrompt,
      width: job.plan.width,
      height: job.plan.height,
      seed: job.seed,
      signal: ctx.signal,
    });
    const cardPath = ctx.workspace.file(`card-${i}.png`);
    await writeFile(cardPath, card.bytes);
    ctx.emit({
      type: 'asset',
      scene: i,
      kind: 'image',
      state: 'fallback',
      attempt: 0,
      provider: provider.name,
      error: `image unusable: ${describeError(error)}`,
    });
    await render(cardPath);
    return { path: out, imageFellBack: true };
  }
}

export interface RenderedBatch {
  /** One clip file per scene of the batch, in order. */
  paths: string[];
  /** Per scene of the batch, in order. */
  imageFellBack: boolean[];
}

/**
 * Consecutive scenes (same plan) in one ffmpeg and one x264, written as one clip per scene (cut at
 * each scene's first frame), so each can be cached and joined like a clip rendered alone. If one
 * image is unusable, each scene is rendered on its own, with its stand-in card where needed.
 */
export async function renderClipBatch(ctx: ClipContext, jobs: ClipJob[]): Promise<RenderedBatch> {
  if (jobs.length === 1) {
    const clip = await renderSceneClip(ctx, jobs[0]!);
    return { paths: [clip.path], imageFellBack: [clip.imageFellBack] };
  }
  const firstIndex = jobs[0]!.scene.index;
  const subtitles = await writeCaptions(ctx, jobs, `${firstIndex}-${jobs.at(-1)!.scene.index}`);
  const scenes = jobs.map((job) => ({ image: job.image.path, durationSeconds: job.seconds, motion: motionOf(job) }));
  const segments = { pattern: ctx.workspace.file('clip-%d.mp4'), firstIndex };
  try {
    await runFfmpeg(ctx.ffmpeg.ffmpeg, buildBatchClipArgs({ scenes, subtitles, plan: jobs[0]!.plan, segments }), { signal: ctx.signal });
    return { paths: jobs.map((job) => ctx.workspace.file(`clip-${job.scene.index}.mp4`)), imageFellBack: jobs.map(() => false) };
  } catch (error) {
    if (isAbort(error, ctx.signal)) throw error;
    log.warn(
      `scenes ${firstIndex + 1}-${jobs.at(-1)!.scene.index + 1} could not render together (${describeError(error)}); rendering them one by one`,
    );
    const clips: RenderedClip[] = [];
    for (const job of jobs) clips.push(await renderSceneClip(ctx, job));
    return { paths: clips.map((c) => c.path), imageFellBack: clips.map((c) => c.imageFellBack) };
  }
}
