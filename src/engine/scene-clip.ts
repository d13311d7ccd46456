/**
 * One scene's clip: captions timed to its narration, burned over its image under a Ken Burns move,
 * opening with the crossfade from the scene before, video only (the narration is encoded once, in the final mux). If ffmpeg cannot use the
 * provider's image, the scene is rendered again over a local card instead of failing the job.
 * Consecutive scenes ready together render as one clip, in one ffmpeg (see clip-batches.ts).
 */
import { writeFile } from 'node:fs/promises';
import type { CaptionMode, CaptionPosition, Scene } from '../core/story.js';
import type { TimelineScene, TimelineTitle, Transition } from '../core/timeline.js';
import { framesOf } from '../core/timeline.js';
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
import { buildBatchClipArgs, type ClipRun, type ClipScene } from '../media/args.js';
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
  /** The scene's part of the timeline: length (lead-in, narration, pause), picture, move, narration. */
  part: Omit<TimelineScene, 'start'>;
  /** The part of the scene before, when this one opens with a crossfade from it. */
  previous?: Omit<TimelineScene, 'start'>;
  transition: Transition;
  image: SceneImage;
  voice: SceneVoice & { seconds: number };
  plan: EncodingPlan;
  seed: number;
  /** The prompt the image was asked for (style, brief, framing): a stand-in card paints from it too. */
  prompt?: string;
  /** karaoke (the default) lights the word being said when the voice timed its words. */
  captions?: CaptionMode;
  /** The story is written right to left. */
  rtl?: boolean;
  /** The story's language (BCP-47): which words a caption should not end on. */
  language?: string;
  /** Where captions sit (default: the safe bottom). */
  captionsPosition?: CaptionPosition;
  /** Scene 0 of a story that opened with a title: the card, over the first scene's lead-in. */
  title?: TimelineTitle;
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
  // each clip starts at its cut (its crossfade in), the words after the scene's lead-in
  const starts = consecutiveStarts(jobs.map((job) => job.part.duration));
  const titled = jobs.findIndex((job) => job.title);
  const title = jobs[titled]?.title;
  const extraEvents = title
    ? titleCardEvents(title.text, { width, height, start: starts[titled]! + title.start, end: starts[titled]! + title.end, position })
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
            start: starts[k]! + (job.part.narration?.lead ?? 0),
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

/** The jobs as one run of clips; `images` replaces their stills (a stand-in card), `cut` drops the crossfade in. */
export function clipRunOfJobs(jobs: ClipJob[], subtitles: string | undefined, options: { images?: string[]; cut?: boolean } = {}): ClipRun {
  const first = jobs[0]!;
  const { fps } = first.plan;
  const clipScene = (part: Omit<TimelineScene, 'start'>, image: string): ClipScene => ({
    image,
    frames: framesOf(part.duration, fps),
    motion: part.motion,
  });
  const previous = options.cut || !first.previous ? undefined : clipScene(first.previous, first.previous.image.path);
  return {
    scenes: jobs.map((job, k) => clipScene(job.part, options.images?.[k] ?? job.image.path)),
    ...(previous ? { previous } : {}),
    transitionFrames: first.transition.kind === 'crossfade' ? framesOf(first.transition.seconds, fps) : 0,
    subtitles,
    plan: first.plan,
  };
}

export async function renderSceneClip(ctx: ClipContext, job: ClipJob): Promise<RenderedClip> {
  const i = job.scene.index;
  const subtitles = await writeCaptions(ctx, [job], String(i));
  const out = ctx.workspace.file(`clip-${i}.mp4`);
  const render = (options: { images?: string[]; cut?: boolean }) =>
    runFfmpeg(ctx.ffmpeg.ffmpeg, buildBatchClipArgs({ ...clipRunOfJobs([job], subtitles, options), out }), { signal: ctx.signal });
  try {
    await render({});
    return { path: out, imageFellBack: false };
  } catch (error) {
    if (isAbort(error, ctx.signal)) throw error;
    // the crossfade reads the scene before's still too: if that one is what ffmpeg could not use,
    // this scene's own picture is fine and only the crossfade goes
    if (job.previous) {
      const cut = await render({ cut: true }).then(
        () => true,
        (e: unknown) => (isAbort(e, ctx.signal) ? Promise.reject(e) : false),
      );
      if (cut) return { path: out, imageFellBack: false };
    }
    if (job.image.fallback) throw error;
    const { provider } = ctx.fallbackImages;
    const card = await provider.generate({
      prompt: job.prompt ?? job.scene.imagePrompt,
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
    await render({ images: [cardPath], cut: true });
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
  const segments = { pattern: ctx.workspace.file('clip-%d.mp4'), firstIndex };
  try {
    await runFfmpeg(ctx.ffmpeg.ffmpeg, buildBatchClipArgs({ ...clipRunOfJobs(jobs, subtitles), segments }), { signal: ctx.signal });
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
