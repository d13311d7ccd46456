/**
 * One scene's clip: captions timed to its narration, burned over its image with slow motion,
 * video only (the narration is encoded once, in the final mux). If ffmpeg cannot use the
 * provider's image, the scene is rendered again over a local card instead of failing the job.
 */
import { writeFile } from 'node:fs/promises';
import type { CaptionMode, Scene } from '../core/story.js';
import type { Emit, GatedProvider, SceneImage, SceneVoice } from './scene-assets.js';
import type { Workspace } from './workspace.js';
import { chunkCaptions } from './captions.js';
import { buildAss } from './caption-ass.js';
import { isAbort } from './retry.js';
import { describeError } from '../core/describe-error.js';
import type { ImageProvider } from '../providers/types.js';
import type { FfmpegBinaries } from '../media/binaries.js';
import type { EncodingPlan } from '../media/plan.js';
import { buildSceneClipArgs, MOTIONS } from '../media/args.js';
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
}

export interface RenderedClip {
  path: string;
  /** True when the provider's image could not be used and a local card stood in. */
  imageFellBack: boolean;
}

/** The scene's captions as an ASS file's text; undefined when the job asks for none. */
export function sceneAss(job: ClipJob): string | undefined {
  const mode = job.captions ?? 'karaoke';
  if (mode === 'none') return undefined;
  const chunks = chunkCaptions(job.scene.narration, job.voice.seconds, job.voice.words);
  return buildAss(chunks, { width: job.plan.width, height: job.plan.height, karaoke: mode === 'karaoke', rtl: job.rtl });
}

export async function renderSceneClip(ctx: ClipContext, job: ClipJob): Promise<RenderedClip> {
  const i = job.scene.index;
  const ass = sceneAss(job);
  let subtitles: string | undefined;
  if (ass !== undefined) {
    subtitles = ctx.workspace.file(`captions-${i}.ass`);
    await writeFile(subtitles, ass, 'utf8');
  }
  const out = ctx.workspace.file(`clip-${i}.mp4`);
  const motion = MOTIONS[job.seed % MOTIONS.length]!;
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
