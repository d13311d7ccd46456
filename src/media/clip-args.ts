/**
 * Pure argument builders for scene clips, video only: each scene a still under a Ken Burns move
 * (media/motion.ts), the crossfade from the scene before it over its first frames, and burned
 * captions. One scene or a run of consecutive scenes in one ffmpeg; a run is written as one file
 * or cut into one file per scene, so every clip can be cached and joined like any other.
 */
import type { EncodingPlan, MotionSpec } from '../core/timeline.js';
import { filterPath } from './filter-escape.js';
import { motionFilter } from './motion.js';

export { PAN_MARGIN } from './motion.js';

export function frameCount(durationSeconds: number, fps: number): number {
  return Math.max(1, Math.round(durationSeconds * fps));
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
    // subme=1: quarter-pixel motion vectors (ultrafast has none): without them a move of a fraction
    // of a pixel a frame was coded as whole-pixel steps, held 5.4% of frames on a textured still
    // (3.0% with it), for +12% CPU (docs/benchmarks.md)
    'cabac=1:deblock=1:subme=1',
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

/** One scene as a clip renders it: its still, its length in frames and its move. */
export interface ClipScene {
  image: string;
  frames: number;
  motion: MotionSpec;
}

/** Consecutive scenes rendered by one ffmpeg. */
export interface ClipRun {
  scenes: ClipScene[];
  /** The scene before the first, when the first opens with a crossfade from it (its move continued). */
  previous?: ClipScene;
  /** Frames of the crossfade at the start of each scene that has a scene before it (0: cuts). */
  transitionFrames: number;
  /** An ASS file with the run's captions on the run's own timeline; undefined renders none. */
  subtitles?: string;
  plan: EncodingPlan;
}

/**
 * How many frames of the move one `perspective` evaluation stands for: the move is computed
 * exactly (sub-pixel) on every second frame, and the frame between two of them is their blend
 * (`framerate`). Moves are slow (about 0.55 px a frame, 1.1 px between computed frames), so a
 * blend of two pictures a pixel apart is what bilinear interpolation at half a pixel gives anyway:
 * the held / uneven shares stay under their targets (docs/benchmarks.md), and the move, the
 * render's dearest filter, costs half as much.
 */
export const MOTION_STEP = 2;

/**
 * A still decoded and scaled once to cover the frame, repeated in memory by the loop filter, then
 * moved: frames `offset` .. `offset + count` of the scene's move.
 */
export function stillMotion(scene: ClipScene, plan: EncodingPlan, offset = 0, count = scene.frames): string {
  const { width: w, height: h } = plan;
  const step = count > 1 ? MOTION_STEP : 1;
  // computed frames 0, step, 2*step, ... up to the first at or past the last frame wanted
  const keys = Math.ceil((count - 1) / step) + 1;
  return [
    `scale=${w}:${h}:force_original_aspect_ratio=increase:flags=bicubic`,
    `crop=${w}:${h}`,
    'format=yuv420p',
    // exactly `keys` frames: a loop without end kept the previous scene's move running after the
    // crossfade had taken its 7 frames (+20% CPU for a clip that opens with one)
    `loop=loop=${keys - 1}:size=1:start=0`,
    // a time base of one frame, so every frame's timestamp is a whole number: in the still's own
    // time base (1/25 from the image demuxer) N/(24*TB) was rounded, and frames collided at the
    // encoder's constant frame rate (the one-pass render of 10 scenes lost 5 of 1323 frames)
    `settb=1/${plan.fps}`,
    `setpts=${step}*N`,
    motionFilter({ motion: scene.motion, frames: scene.frames, width: w, height: h, offset, step }),
    // the frames between computed ones: a linear blend by time (never a copy, never a scene cut)
    ...(step > 1 ? [`framerate=fps=${plan.fps}:interp_start=0:interp_end=255:scene=100`] : []),
    `trim=end_frame=${count}`,
  ].join(',');
}

/** Frames of the crossfade into a scene: never the whole scene, never more than the scene before it has. */
function fadeFrames(run: ClipRun, scene: ClipScene, previous: ClipScene | undefined): number {
  if (!previous) return 0;
  return Math.max(0, Math.min(run.transitionFrames, scene.frames - 1, previous.frames));
}

/** Captions burned in by libass, when there are any ("none": no filter at all). */
const burnIn = (subtitles: string | undefined) => (subtitles === undefined ? '' : `,ass=filename=${filterPath(subtitles)}`);

/** The run's input files in order: the previous scene's still first when the run opens with a crossfade. */
export function runInputs(run: ClipRun): string[] {
  const opensWithFade = run.previous !== undefined && fadeFrames(run, run.scenes[0]!, run.previous) > 0;
  return [...(opensWithFade ? [run.previous!.image] : []), ...run.scenes.map((s) => s.image)];
}

/**
 * The run as one video stream [v]: per scene its moving still cut to its exact frame count, the
 * first frames an xfade from the previous scene's still (its move continued past its end) into
 * this one, then the concat filter, then one `ass` over the run with every scene's captions on the
 * run's timeline (one libass, one font load, not one per scene: 147 MB for a five-scene ffmpeg
 * with an `ass` per scene). Input i is the run's input i (runInputs), from `firstInput`.
 */
export function batchVideoGraph(run: ClipRun & { firstInput?: number }): string {
  const { scenes, plan } = run;
  const at = run.firstInput ?? 0;
  const hasPreviousInput = runInputs(run).length > scenes.length;
  const inputOf = (k: number) => at + k + (hasPreviousInput ? 1 : 0);
  const chains = scenes.map((scene, k) => {
    const previous = k === 0 ? run.previous : scenes[k - 1];
    const fade = fadeFrames(run, scene, previous);
    if (fade === 0) return `[${inputOf(k)}:v]${stillMotion(scene, plan)}[v${k}]`;
    const from = inputOf(k - 1);
    return (
      `[${from}:v]${stillMotion(previous!, plan, previous!.frames, fade)}[p${k}];` +
      `[${inputOf(k)}:v]${stillMotion(scene, plan)}[c${k}];` +
      `[p${k}][c${k}]xfade=transition=fade:duration=${(fade / plan.fps).toFixed(6)}:offset=0[v${k}]`
    );
  });
  const joined = scenes.length === 1 ? '[v0]null' : `${scenes.map((_, k) => `[v${k}]`).join('')}concat=n=${scenes.length}:v=1:a=0`;
  return `${chains.join(';')};${joined}${burnIn(run.subtitles)},setsar=1[v]`;
}

/** A run written as one file per scene (`pattern` with %d = the scene's index). */
export interface Segments {
  pattern: string;
  firstIndex: number;
}

/**
 * Consecutive scenes in one clip, one ffmpeg and one x264 (see engine/clip-batches.ts), written to
 * `out` or cut into one file per scene (`segments`). A single scene is a run of one.
 */
export function buildBatchClipArgs(input: ClipRun & ({ out: string } | { segments: Segments })): string[] {
  const { scenes, plan } = input;
  const counts = scenes.map((s) => s.frames);
  const frames = counts.reduce((n, c) => n + c, 0);
  const segmented = 'segments' in input && scenes.length > 1;
  const out = 'segments' in input ? input.segments.pattern.replace('%d', String(input.segments.firstIndex)) : input.out;
  return [
    ...runInputs(input).flatMap((image) => ['-i', image]),
    '-filter_complex',
    batchVideoGraph(input),
    '-map',
    '[v]',
    '-frames:v',
    String(frames),
    '-an',
    ...videoEncoderArgs(plan),
    ...(segmented ? segmentArgs(counts, plan.fps, (input as { segments: Segments }).segments) : [out]),
  ];
}

/** One scene's clip: a run of one scene. */
export function buildSceneClipArgs(input: Omit<ClipRun, 'scenes'> & { scene: ClipScene; out: string }): string[] {
  const { scene, ...rest } = input;
  return buildBatchClipArgs({ ...rest, scenes: [scene] });
}

/**
 * Cut the batch at each scene's first frame: a keyframe there (a new still: x264 would likely put
 * one there anyway), and the segment muxer starts a file at it, its timestamps from zero. Each
 * file is then the scene's own clip, to be cached and joined like any other. Cuts are by frame
 * number: by time, a cut between two frames was missed and two scenes came out as one file.
 */
function segmentArgs(counts: number[], fps: number, segments: Segments): string[] {
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
