/**
 * The last step: the clips joined without re-encoding, the narration encoded once to AAC,
 * faststart; then the size checked against the limit and the video re-encoded smaller when it
 * came out too big.
 */
import { copyFile, stat } from 'node:fs/promises';
import type { Emit } from './scene-assets.js';
import type { Workspace } from './workspace.js';
import type { FfmpegBinaries } from '../media/binaries.js';
import { formatSize, refitPlan, type EncodingPlan } from '../media/plan.js';
import { buildMuxArgs, buildRefitArgs } from '../media/args.js';
import { runFfmpeg, writeConcatList } from '../media/run.js';
import { probeMedia } from '../media/probe.js';

export class OutputTooLargeError extends Error {
  override readonly name = 'OutputTooLargeError';
  /** The sizes, so a member can be told in their own language. */
  constructor(
    message: string,
    readonly sizeBytes?: number,
    readonly limitBytes?: number,
  ) {
    super(message);
  }
}

const MAX_REFITS = 2;

export interface MuxContext {
  ffmpeg: FfmpegBinaries;
  workspace: Workspace;
  signal: AbortSignal;
  emit: Emit;
}

export interface MuxJob {
  clips: string[];
  narration: string;
  plan: EncodingPlan;
  maxBytes: number;
  out: string;
}

export interface MuxedVideo {
  sizeBytes: number;
  durationSeconds: number;
  width: number;
  height: number;
}

export async function muxToFit(ctx: MuxContext, job: MuxJob): Promise<MuxedVideo> {
  const list = ctx.workspace.file('clips.txt');
  await writeConcatList(job.clips, list);
  await runFfmpeg(ctx.ffmpeg.ffmpeg, buildMuxArgs({ concatList: list, narration: job.narration, out: job.out }), { signal: ctx.signal });
  let plan = job.plan;
  let size = (await stat(job.out)).size;
  for (let n = 1; size > job.maxBytes && n <= MAX_REFITS; n++) {
    ctx.emit({ type: 'mux', state: 'refit', sizeBytes: size });
    plan = refitPlan(plan, size, job.maxBytes);
    const smaller = ctx.workspace.file(`refit-${n}.mp4`);
    await runFfmpeg(ctx.ffmpeg.ffmpeg, buildRefitArgs({ input: job.out, plan, out: smaller }), { signal: ctx.signal });
    await copyFile(smaller, job.out);
    size = (await stat(job.out)).size;
  }
  if (size > job.maxBytes) {
    throw new OutputTooLargeError(
      `The video came out at ${formatSize(size)}, over the ${formatSize(job.maxBytes)} limit, even after re-encoding: try fewer scenes or a shorter story.`,
      size,
      job.maxBytes,
    );
  }
  const info = await probeMedia(ctx.ffmpeg.ffprobe, job.out);
  return {
    sizeBytes: size,
    durationSeconds: info.durationSeconds,
    width: info.video?.width ?? plan.width,
    height: info.video?.height ?? plan.height,
  };
}
