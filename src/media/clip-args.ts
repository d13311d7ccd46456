/**
 * Pure argument builder for one scene's clip: a still image with slow motion and burned
 * captions, video only. The image is decoded and scaled once, then repeated in memory by the
 * loop filter; per frame only a moving crop, the caption overlay and the encoder run (the
 * cheapest motion measured on 2 cores: see shared/notes/ffmpeg.md).
 */
import type { EncodingPlan } from './plan.js';
import { filterPath } from './filter-escape.js';

export const MOTIONS = ['pan-right', 'pan-left', 'pan-up', 'pan-down', 'pan-diagonal'] as const;
export type Motion = (typeof MOTIONS)[number];

/** How much bigger than the frame the still is scaled, to leave room for the pan. */
export const PAN_MARGIN = 1.12;

const even = (n: number) => 2 * Math.round(n / 2);

export function frameCount(durationSeconds: number, fps: number): number {
  return Math.max(1, Math.round(durationSeconds * fps));
}

/** crop x/y expressions: move from one edge of the slack to the other over the clip. */
export function panExpressions(motion: Motion, frames: number): { x: string; y: string } {
  const p = `n/${Math.max(1, frames - 1)}`;
  const centerX = '(iw-ow)/2';
  const centerY = '(ih-oh)/2';
  switch (motion) {
    case 'pan-right':
      return { x: `(iw-ow)*${p}`, y: centerY };
    case 'pan-left':
      return { x: `(iw-ow)*(1-${p})`, y: centerY };
    case 'pan-up':
      return { x: centerX, y: `(ih-oh)*(1-${p})` };
    case 'pan-down':
      return { x: centerX, y: `(ih-oh)*${p}` };
    case 'pan-diagonal':
      return { x: `(iw-ow)*${p}`, y: `(ih-oh)*(1-${p})` };
  }
}

/**
 * Encoder settings every clip shares, so the clips concatenate without re-encoding.
 * ultrafast with CABAC and the deblocking filter put back: about a third less CPU than superfast
 * with -tune stillimage, for the same or better SSIM at the bitrates a 10 MiB limit gives, on
 * detailed and on plain stills alike (a slowly panning still needs no motion search or B-frames).
 * Measured in docs/benchmarks.md; the bitrate, not the preset, decides the size.
 */
export function videoEncoderArgs(plan: EncodingPlan): string[] {
  const k = plan.videoKbps;
  return [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-x264-params',
    'cabac=1:deblock=1',
    '-profile:v',
    'high',
    '-pix_fmt',
    'yuv420p',
    '-r',
    String(plan.fps),
    // a keyframe every 5 s, not 2: each one re-codes the whole detailed still, which made short
    // clips overshoot their bitrate by 10-20%; a still that only pans needs few of them
    '-g',
    String(plan.fps * 5),
    '-b:v',
    `${k}k`,
    '-maxrate',
    `${Math.round(k * 1.5)}k`,
    '-bufsize',
    `${k * 2}k`,
  ];
}

export interface SceneClipInput {
  image: string;
  /** An ASS subtitle file with this scene's captions; undefined renders no captions. */
  subtitles?: string;
  durationSeconds: number;
  plan: EncodingPlan;
  motion: Motion;
  out: string;
}

/** A still, scaled once and repeated in memory, under a moving crop: one scene's frames before captions. */
export function stillMotion(input: { durationSeconds: number; plan: EncodingPlan; motion: Motion }): string {
  const { plan } = input;
  const frames = frameCount(input.durationSeconds, plan.fps);
  const bigW = even(plan.width * PAN_MARGIN);
  const bigH = even(plan.height * PAN_MARGIN);
  const { x, y } = panExpressions(input.motion, frames);
  return [
    `scale=${bigW}:${bigH}:force_original_aspect_ratio=increase:flags=bicubic`,
    `crop=${bigW}:${bigH}`,
    'format=yuv420p',
    'loop=loop=-1:size=1:start=0',
    // a time base of one frame, so every frame's timestamp is a whole number: in the still's own
    // time base (1/25 from the image demuxer) N/(24*TB) was rounded, and frames collided at the
    // encoder's constant frame rate (the one-pass render of 10 scenes lost 5 of 1323 frames)
    `settb=1/${plan.fps}`,
    'setpts=N',
    `crop=${plan.width}:${plan.height}:x='${x}':y='${y}'`,
  ].join(',');
}

/** Captions burned in by libass, when there are any ("none": no filter at all). */
const burnIn = (subtitles: string | undefined) => (subtitles === undefined ? '' : `,ass=filename=${filterPath(subtitles)}`);

/** One scene's whole chain: its moving still and its captions. */
export function stillMotionChain(input: { subtitles?: string; durationSeconds: number; plan: EncodingPlan; motion: Motion }): string {
  return `${stillMotion(input)}${burnIn(input.subtitles)},setsar=1`;
}

export function buildSceneClipArgs(input: SceneClipInput): string[] {
  const { plan } = input;
  const frames = frameCount(input.durationSeconds, plan.fps);
  return [
    '-i',
    input.image,
    '-filter_complex',
    `[0:v]${stillMotionChain(input)}[v]`,
    '-map',
    '[v]',
    '-frames:v',
    String(frames),
    '-an',
    ...videoEncoderArgs(plan),
    input.out,
  ];
}

export interface BatchScene {
  image: string;
  durationSeconds: number;
  motion: Motion;
}

/**
 * Consecutive scenes as one video stream [v]: each scene's moving still cut to its exact frame
 * count (input i is scene i, from `firstInput`), joined by the concat filter, then one `ass` over
 * the run with every scene's captions on the run's timeline (one libass, one font load, not one
 * per scene: 147 MB for a five-scene ffmpeg with an `ass` per scene).
 */
export function batchVideoGraph(input: { scenes: BatchScene[]; subtitles?: string; plan: EncodingPlan; firstInput?: number }): string {
  const { scenes, plan } = input;
  const at = input.firstInput ?? 0;
  const chains = scenes.map(
    (s, i) => `[${at + i}:v]${stillMotion({ ...s, plan })},trim=end_frame=${frameCount(s.durationSeconds, plan.fps)}[v${i}]`,
  );
  const joined = `${scenes.map((_, i) => `[v${i}]`).join('')}concat=n=${scenes.length}:v=1:a=0`;
  return `${chains.join(';')};${joined}${burnIn(input.subtitles)},setsar=1[v]`;
}

/**
 * Consecutive scenes in one clip, one ffmpeg and one x264 (see engine/clip-batches.ts). The
 * frames are those of the scenes' separate clips (same chain, same counts); the file joins the
 * others in the final mux like any clip.
 */
export function buildBatchClipArgs(
  input: { scenes: BatchScene[]; subtitles?: string; plan: EncodingPlan; out: string } | BatchSegmentsInput,
): string[] {
  const { scenes, plan } = input;
  const counts = scenes.map((s) => frameCount(s.durationSeconds, plan.fps));
  const frames = counts.reduce((n, c) => n + c, 0);
  return [
    ...scenes.flatMap((s) => ['-i', s.image]),
    '-filter_complex',
    batchVideoGraph(input),
    '-map',
    '[v]',
    '-frames:v',
    String(frames),
    '-an',
    ...videoEncoderArgs(plan),
    ...('segments' in input ? segmentArgs(counts, plan.fps, input.segments) : [input.out]),
  ];
}

/** A batch written as one file per scene (`pattern` with %d = the scene's index), from one x264. */
export interface BatchSegmentsInput {
  scenes: BatchScene[];
  subtitles?: string;
  plan: EncodingPlan;
  segments: { pattern: string; firstIndex: number };
}

/**
 * Cut the batch at each scene's first frame: a keyframe there (a new still: x264 would likely put
 * one there anyway), and the segment muxer starts a file at it, its timestamps from zero. Each
 * file is then the scene's own clip, to be cached and joined like any other. Cuts are by frame
 * number: by time, a cut between two frames was missed and two scenes came out as one file.
 */
function segmentArgs(counts: number[], fps: number, segments: BatchSegmentsInput['segments']): string[] {
  const cuts: number[] = [];
  let frame = 0;
  for (const count of counts.slice(0, -1)) {
    frame += count;
    cuts.push(frame);
  }
  return [
    '-force_key_frames',
    `expr:${cuts.map((n) => `eq(n,${n})`).join('+')}`,
    // every scene now starts on a keyframe, so the 5 s interval of videoEncoderArgs would add a
    // second one inside most scenes (5-7 s long), each re-coding the whole still: +15% size at the
    // same bitrate in the bench. 10 s gives one per scene, as a scene rendered alone has.
    '-g',
    String(fps * 10),
    '-f',
    'segment',
    '-segment_frames',
    cuts.join(','),
    '-segment_start_number',
    String(segments.firstIndex),
    '-reset_timestamps',
    '1',
    segments.pattern,
  ];
}
