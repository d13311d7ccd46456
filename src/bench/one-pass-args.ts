/**
 * The benchmark's two peers, as single ffmpeg runs over the same prepared scenes storyreel
 * renders (issue 14):
 * - the floor: one ffmpeg with storyreel's own filters (its batch graph over every scene, see
 *   media/clip-args.ts), soundtrack filters (media/soundtrack-args.ts: the mix with the music bed
 *   and a one-pass limiter in place of the measured master) and encoder settings. What this design
 *   costs with no process, probe or mux overhead at all.
 * - the naive pass: what most generators do once every asset exists: zoompan on a 2x still per
 *   scene, one ASS file burned over the whole timeline, x264 veryfast (same bitrate).
 */
import type { EncodingPlan } from '../media/plan.js';
import { batchVideoGraph, frameCount, videoEncoderArgs, type Motion } from '../media/clip-args.js';
import { narrationEncoderArgs, narrationGraph } from '../media/audio-args.js';
import { mixGraph, onePassMaster, type MusicBed } from '../media/soundtrack-args.js';
import { filterPath } from '../media/filter-escape.js';

export interface PreparedScene {
  image: string;
  voice: string;
  /** How long the narration speaks. */
  voiceSeconds: number;
  /** How long the scene lasts (narration + gap, frame-aligned), as storyreel renders it. */
  seconds: number;
  motion: Motion;
}

const inputs = (scenes: PreparedScene[]) => [...scenes.flatMap((s) => ['-i', s.image]), ...scenes.flatMap((s) => ['-i', s.voice])];
const joined = (scenes: PreparedScene[]) => scenes.map((_, i) => `[v${i}]`).join('') + `concat=n=${scenes.length}:v=1:a=0`;

export function buildFloorArgs(input: {
  scenes: PreparedScene[];
  plan: EncodingPlan;
  timelineSubtitles: string;
  out: string;
  /** The music bed storyreel mixes in (issue 20): the floor mixes, ducks and limits it too. */
  music?: MusicBed;
}): string[] {
  const { scenes, plan } = input;
  const video = batchVideoGraph({
    scenes: scenes.map((s) => ({ image: s.image, durationSeconds: s.seconds, motion: s.motion })),
    subtitles: input.timelineSubtitles,
    plan,
  });
  // storyreel's soundtrack filters in the same pass: levelled parts, compressor, ducked bed, master
  let at = 0;
  const speech = scenes.map((s) => {
    const start = at;
    at += s.seconds;
    return { start, end: start + s.voiceSeconds };
  });
  const mix = mixGraph({
    parts: scenes.map((s) => ({ path: s.voice, seconds: s.seconds, lead: 0, gainDb: 0 })),
    music: input.music,
    speech,
    firstInput: scenes.length,
  });
  const audio = `${mix};[mix]${onePassMaster(0, -2)}[a]`;
  return [
    ...inputs(scenes),
    ...(input.music ? ['-stream_loop', '-1', '-i', input.music.path] : []),
    '-filter_complex',
    `${video};${audio}`,
    '-map',
    '[v]',
    '-map',
    '[a]',
    ...videoEncoderArgs(plan),
    ...narrationEncoderArgs(plan.audioKbps),
    '-movflags',
    '+faststart',
    input.out,
  ];
}

/** zoompan from 1.0 to 1.15 over each scene, centred, on a still scaled to twice the frame (less jitter). */
export function buildNaiveArgs(input: { scenes: PreparedScene[]; plan: EncodingPlan; timelineSubtitles: string; out: string }): string[] {
  const { scenes, plan } = input;
  const [w, h] = [plan.width, plan.height];
  const video = scenes.map((s, i) => {
    const frames = frameCount(s.seconds, plan.fps);
    const step = (0.15 / Math.max(1, frames - 1)).toFixed(6);
    return `[${i}:v]scale=${2 * w}:${2 * h}:force_original_aspect_ratio=increase,crop=${2 * w}:${2 * h},zoompan=z='min(1+${step}*on,1.15)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=${frames}:s=${w}x${h}:fps=${plan.fps},setsar=1[v${i}]`;
  });
  const audio = narrationGraph(
    scenes.map((s) => ({ path: s.voice, seconds: s.seconds })),
    'a',
    scenes.length,
  );
  const k = plan.videoKbps;
  return [
    ...inputs(scenes),
    '-filter_complex',
    `${video.join(';')};${joined(scenes)},ass=filename=${filterPath(input.timelineSubtitles)},format=yuv420p[v];${audio}`,
    '-map',
    '[v]',
    '-map',
    '[a]',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-r',
    String(plan.fps),
    '-b:v',
    `${k}k`,
    '-maxrate',
    `${Math.round(k * 1.5)}k`,
    '-bufsize',
    `${k * 2}k`,
    '-c:a',
    'aac',
    '-b:a',
    `${plan.audioKbps}k`,
    '-ac',
    '1',
    '-movflags',
    '+faststart',
    input.out,
  ];
}

/** A near-lossless render of the same timeline with the same filters: the SSIM reference. */
export function buildReferenceArgs(input: {
  scenes: PreparedScene[];
  plan: EncodingPlan;
  timelineSubtitles: string;
  out: string;
}): string[] {
  const args = buildFloorArgs(input);
  const from = args.indexOf('-c:v');
  const to = args.indexOf('-c:a');
  return [
    ...args.slice(0, from),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '8',
    '-pix_fmt',
    'yuv420p',
    '-r',
    String(input.plan.fps),
    ...args.slice(to),
  ];
}
