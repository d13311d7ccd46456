/**
 * A Timeline (core/timeline.ts) as ffmpeg arguments: a run of its scenes as clips (the engine's
 * per-scene and batch renders), its narration as one track, or the whole video in one pass (what a
 * hand-written timeline renders with, and the benchmark's floor).
 */
import type { Timeline } from '../core/timeline.js';
import { framesOf, transitionFrames } from '../core/timeline.js';
import { batchVideoGraph, type ClipRun, type ClipScene, videoEncoderArgs } from './clip-args.js';
import { narrationEncoderArgs, type NarrationPart } from './audio-args.js';
import { mixGraph, onePassMaster, type MusicBed, type SpeechInterval } from './soundtrack-args.js';

export function clipSceneOf(timeline: Timeline, index: number): ClipScene {
  const scene = timeline.scenes[index]!;
  return { image: scene.image.path, frames: framesOf(scene.duration, timeline.plan.fps), motion: scene.motion };
}

/** Scenes first .. first+count-1 as one run; the run opens with the crossfade from scene first-1. */
export function clipRunOf(timeline: Timeline, first: number, count: number, subtitles?: string): ClipRun {
  return {
    scenes: Array.from({ length: count }, (_, k) => clipSceneOf(timeline, first + k)),
    ...(first > 0 ? { previous: clipSceneOf(timeline, first - 1) } : {}),
    transitionFrames: transitionFrames(timeline, 1),
    subtitles,
    plan: timeline.plan,
  };
}

/** Each scene's narration with its lead-in, padded to the scene; undefined when some scene has none. */
export function narrationPartsOf(timeline: Timeline): NarrationPart[] | undefined {
  if (!timeline.scenes.every((s) => s.narration)) return undefined;
  return timeline.scenes.map((s) => ({ path: s.narration!.path, seconds: s.duration, lead: s.narration!.lead }));
}

/** When each scene's narration speaks, in seconds of the video (the music bed ducks under these). */
export function speechOf(timeline: Timeline): SpeechInterval[] {
  return timeline.scenes.flatMap((s) =>
    s.narration ? [{ start: s.start + s.narration.lead, end: s.start + s.narration.lead + s.narration.seconds }] : [],
  );
}

/**
 * The whole timeline in one ffmpeg: every scene, the crossfades, the captions, and the soundtrack's
 * filters (narration after its lead-ins, the `music` bed ducked under speech, a one-pass limiter
 * in place of the engine's measured master, which needs the mix first).
 */
export function buildTimelineArgs(timeline: Timeline, output: { subtitles?: string; out: string; music?: MusicBed }): string[] {
  const run = clipRunOf(timeline, 0, timeline.scenes.length, output.subtitles);
  const images = timeline.scenes.map((s) => s.image.path);
  const parts = narrationPartsOf(timeline);
  const music = parts ? output.music : undefined;
  const mix = parts
    ? mixGraph({
        parts: parts.map((p) => ({ ...p, lead: p.lead ?? 0, gainDb: 0 })),
        music,
        speech: speechOf(timeline),
        firstInput: images.length,
      })
    : '';
  const ceilingDb = timeline.audio.loudness.truePeakDb - 1;
  const audio = parts ? `;${mix};[mix]${onePassMaster(0, ceilingDb)}[a]` : '';
  const frames = timeline.scenes.reduce((n, s) => n + framesOf(s.duration, timeline.plan.fps), 0);
  return [
    ...images.flatMap((image) => ['-i', image]),
    ...(parts ?? []).flatMap((p) => ['-i', p.path]),
    ...(music ? ['-stream_loop', '-1', '-i', music.path] : []),
    '-filter_complex',
    `${batchVideoGraph(run)}${audio}`,
    '-map',
    '[v]',
    ...(parts ? ['-map', '[a]'] : ['-an']),
    '-frames:v',
    String(frames),
    ...videoEncoderArgs(timeline.plan),
    ...(parts ? narrationEncoderArgs(timeline.plan.audioKbps) : []),
    '-movflags',
    '+faststart',
    output.out,
  ];
}
