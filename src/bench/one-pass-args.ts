/**
 * The benchmark's two peers, as single ffmpeg runs over the same prepared scenes storyreel
 * renders (issue 14):
 * - the floor: the prepared Timeline rendered in one ffmpeg (media/timeline-args.ts): storyreel's
 *   own filters (moves, crossfades, captions), soundtrack filters (the mix with the music bed and a
 *   one-pass limiter in place of the measured master) and encoder settings: what this design costs
 *   with no process, probe or mux overhead at all.
 * - the naive pass: what most generators do once every asset exists: zoompan on a 2x still per
 *   scene, one ASS file burned over the whole timeline, x264 veryfast (same bitrate).
 */
import type { Timeline } from '../core/timeline.js';
import { framesOf } from '../core/timeline.js';
import { narrationGraph } from '../media/audio-args.js';
import { filterPath } from '../media/filter-escape.js';
import { buildTimelineArgs, narrationPartsOf } from '../media/timeline-args.js';
import type { MusicBed } from '../media/soundtrack-args.js';

interface OnePassInput {
  timeline: Timeline;
  timelineSubtitles: string;
  out: string;
  /** The music bed storyreel mixes in: the floor mixes, ducks and limits it too. */
  music?: MusicBed;
}

/** The floor: the prepared timeline in one ffmpeg, storyreel's filters and encoder settings (media/timeline-args.ts). */
export function buildFloorArgs(input: OnePassInput): string[] {
  return buildTimelineArgs(input.timeline, { subtitles: input.timelineSubtitles, out: input.out, music: input.music });
}

/** zoompan from 1.0 to 1.15 over each scene, centred, on a still scaled to twice the frame (less jitter). */
export function buildNaiveArgs(input: OnePassInput): string[] {
  const { scenes, plan } = input.timeline;
  const [w, h] = [plan.width, plan.height];
  const video = scenes.map((s, i) => {
    const frames = framesOf(s.duration, plan.fps);
    const step = (0.15 / Math.max(1, frames - 1)).toFixed(6);
    return `[${i}:v]scale=${2 * w}:${2 * h}:force_original_aspect_ratio=increase,crop=${2 * w}:${2 * h},zoompan=z='min(1+${step}*on,1.15)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=${frames}:s=${w}x${h}:fps=${plan.fps},setsar=1[v${i}]`;
  });
  const audio = narrationGraph(narrationPartsOf(input.timeline)!, 'a', scenes.length);
  const k = plan.videoKbps;
  return [
    ...scenes.flatMap((s) => ['-i', s.image.path]),
    ...scenes.flatMap((s) => ['-i', s.narration!.path]),
    '-filter_complex',
    `${video.join(';')};${scenes.map((_, i) => `[v${i}]`).join('')}concat=n=${scenes.length}:v=1:a=0,ass=filename=${filterPath(input.timelineSubtitles)},format=yuv420p[v];${audio}`,
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
export function buildReferenceArgs(input: OnePassInput): string[] {
  const args = buildFloorArgs(input);
  const from = args.indexOf('-c:v');
  const to = args.includes('-c:a') ? args.indexOf('-c:a') : args.indexOf('-movflags');
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
    String(input.timeline.plan.fps),
    ...args.slice(to),
  ];
}
