/**
 * A Timeline (core/timeline.ts) as ffmpeg arguments: a run of its scenes as clips (the engine's
 * per-scene and batch renders), its narration as one track, or the whole video in one pass (what a
 * hand-written timeline renders with, and the benchmark's floor).
 */
import type { Timeline } from '../core/timeline.js';
import { framesOf, transitionFrames } from '../core/timeline.js';
import { batchVideoGraph, type ClipRun, type ClipScene, videoEncoderArgs } from './clip-args.js';
import { narrationEncoderArgs, narrationGraph, type NarrationPart } from './audio-args.js';

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

/** The whole timeline in one ffmpeg: every scene, the crossfades, the captions and the narration. */
export function buildTimelineArgs(timeline: Timeline, output: { subtitles?: string; out: string }): string[] {
  const run = clipRunOf(timeline, 0, timeline.scenes.length, output.subtitles);
  const images = timeline.scenes.map((s) => s.image.path);
  const parts = narrationPartsOf(timeline);
  const audio = parts ? `;${narrationGraph(parts, 'a', images.length)}` : '';
  const frames = timeline.scenes.reduce((n, s) => n + framesOf(s.duration, timeline.plan.fps), 0);
  return [
    ...images.flatMap((image) => ['-i', image]),
    ...(parts ?? []).flatMap((p) => ['-i', p.path]),
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
